"""Compliance pages: a recommendation's detail and timeline, authority response letters,
assessments, a visit's recommendations and a follow-up visit's checklist.

Partner-only users get 404 on all of them; the NPM roles see everything, and change what their
permissions allow (403 otherwise).
"""

from __future__ import annotations

import re
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from visits.access import get_visit_for_user
from visits.forms import apply_service_errors
from visits.models import ReportStatus, Visit, VisitKind, is_partner_only
from visits.uploads import detect_content_type
from visits.visit_views import render_tab

from . import services
from .compliance_forms import (
    AssessmentForm,
    FollowUpCheckForm,
    ResponseLetterForm,
    ResponseRowForm,
    ResponseStartForm,
)
from .models import (
    AuthorityResponse,
    FollowUpCheck,
    Recommendation,
    ResponseItem,
)

ROW_KEY = re.compile(r"^rec-([0-9]+)-")


def _require(request: HttpRequest, perm: str) -> None:
    """404 for partner-only users (they never see recommendations), 403 without `perm`."""
    if is_partner_only(request.user):
        raise Http404
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _url_or_none(name: str, *args, query: str = "") -> str | None:
    try:
        return reverse(name, args=args) + query
    except NoReverseMatch:
        return None


def _recommendation(pk: int) -> Recommendation:
    return get_object_or_404(
        Recommendation.objects.select_related(
            "visit__place__authority", "visit__report", "theme", "created_by"
        ).prefetch_related("addressees"),
        pk=pk,
    )


# --- Detail -------------------------------------------------------------------------------------


def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "recommendations.view_recommendation")
    recommendation = _recommendation(pk)
    report = services.issued_report(recommendation.visit)
    responses = (
        AuthorityResponse.objects.filter(items__recommendation=recommendation)
        .select_related("authority")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=ResponseItem.objects.filter(recommendation=recommendation),
                to_attr="own_items",
            )
        )
        .distinct()
        .order_by("received_on", "pk")
    )
    assessments = recommendation.assessments.select_related(
        "assessed_by", "response__authority", "follow_up_visit"
    ).order_by("-assessed_on", "-pk")
    checks = recommendation.follow_up_checks.select_related("visit", "recorded_by").order_by(
        "visit__planned_start"
    )
    user = request.user
    open_addressees = []
    if report is not None and recommendation.is_open:
        open_addressees = list(recommendation.addressees.all())
    return render(
        request,
        "recommendations/detail.html",
        {
            "recommendation": recommendation,
            "report": report,
            "overdue": recommendation.is_overdue(),
            "timeline": services.recommendation_timeline(recommendation),
            "responses": responses,
            "assessments": assessments,
            "checks": checks,
            "can_assess": report is not None and user.has_perm("recommendations.add_assessment"),
            "can_respond": user.has_perm("recommendations.add_authorityresponse"),
            "open_addressees": open_addressees,
            "list_url": _url_or_none("recommendations:list"),
            "edit_url": (
                _url_or_none("recommendations:edit", recommendation.pk)
                if report is None and user.has_perm("recommendations.change_recommendation")
                else None
            ),
        },
    )


# --- Assessments --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def recommendation_assess(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "recommendations.view_recommendation")
    recommendation = _recommendation(pk)
    if not request.user.has_perm("recommendations.add_assessment"):
        raise PermissionDenied
    if services.issued_report(recommendation.visit) is None:
        messages.error(request, _("A recommendation can be assessed once its report is issued."))
        return redirect(recommendation)
    form = AssessmentForm(
        request.POST if request.method == "POST" else None, recommendation=recommendation
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.assessment_record(
                recommendation=recommendation,
                status=data["status"],
                reason=data["reason"],
                basis=data["basis"],
                response=data["response"],
                follow_up_visit=data["follow_up_visit"],
                verified_on_site=data["verified_on_site"],
                note=data["note"],
                assessed_on=data["assessed_on"],
                by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Assessment recorded."))
            return redirect(recommendation)
    return render(
        request,
        "recommendations/assess.html",
        {"recommendation": recommendation, "form": form},
    )


# --- Response letters ---------------------------------------------------------------------------


def _posted_row_pks(post) -> set[int]:
    return {int(match.group(1)) for key in post if (match := ROW_KEY.match(key))}


@require_http_methods(["GET", "POST"])
def response_create(request: HttpRequest) -> HttpResponse:
    _require(request, "recommendations.add_authorityresponse")
    source = request.POST if request.method == "POST" else request.GET
    if source.get("visit") and source.get("authority"):
        start = ResponseStartForm(source)
    else:
        # Step 1, possibly with the report already chosen (from a visit's page).
        start = ResponseStartForm(initial={"visit": source.get("visit")})
    if not start.is_bound or not start.is_valid():
        return render(request, "recommendations/response_start.html", {"start": start})

    visit = start.cleaned_data["visit"]
    authority = start.cleaned_data["authority"]
    offered = services.response_recommendations(visit=visit, authority=authority)
    posted = request.method == "POST" and "received_on" in request.POST
    data = request.POST if posted else None
    letter = ResponseLetterForm(data, request.FILES if posted else None)
    rows = [ResponseRowForm(data, recommendation=r) for r in offered]
    if posted:
        forged = _posted_row_pks(request.POST) - {r.pk for r in offered}
        if forged:
            # Only the rows the page offered may be answered: anything else is refused.
            messages.error(
                request,
                _(
                    "The letter can answer only open recommendations of %(visit)s addressed to "
                    "%(authority)s; nothing was saved."
                )
                % {"visit": visit.reference, "authority": authority},
            )
        elif letter.is_valid() and all(row.is_valid() for row in rows):
            items = _items_from_rows(rows)
            try:
                response = services.response_record(
                    visit=visit,
                    authority=authority,
                    received_on=letter.cleaned_data["received_on"],
                    reference=letter.cleaned_data["reference"],
                    document=letter.cleaned_data["document"],
                    note=letter.cleaned_data["note"],
                    items=items,
                    by=request.user,
                )
            except ValidationError as error:
                apply_service_errors(letter, error)
            else:
                messages.success(
                    request,
                    _("Letter from %(authority)s recorded for %(count)d recommendation(s).")
                    % {"authority": authority, "count": len(items)},
                )
                return redirect("recommendations:response_detail", response.pk)
    return render(
        request,
        "recommendations/response_form.html",
        {
            "visit": visit,
            "authority": authority,
            "report": visit.report,
            "letter": letter,
            "rows": rows,
        },
    )


def _response(pk: int) -> AuthorityResponse:
    return get_object_or_404(
        AuthorityResponse.objects.select_related(
            "authority", "visit__place", "visit__report", "recorded_by"
        ),
        pk=pk,
    )


def _items_from_rows(rows: list[ResponseRowForm]) -> list[dict]:
    return [
        {
            "recommendation": row.recommendation,
            "stated_status": row.cleaned_data["stated_status"],
            "explanation": row.cleaned_data["explanation"],
            "promised_by": row.cleaned_data["promised_by"],
        }
        for row in rows
        if row.cleaned_data["include"]
    ]


@require_http_methods(["GET", "POST"])
def response_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a recorded letter: its details and what it says about each recommendation."""
    _require(request, "recommendations.view_authorityresponse")
    response = _response(pk)
    if not request.user.has_perm("recommendations.change_authorityresponse"):
        raise PermissionDenied
    offered = services.response_correctable_recommendations(response=response)
    current = {item.recommendation_id: item for item in response.items.all()}
    posted = request.method == "POST"
    data = request.POST if posted else None
    letter = ResponseLetterForm(
        data,
        request.FILES if posted else None,
        initial={
            "received_on": response.received_on,
            "reference": response.reference,
            "note": response.note,
        },
    )
    letter.fields["document"].help_text = _("Leave empty to keep the current scan.")
    rows = []
    for recommendation in offered:
        item = current.get(recommendation.pk)
        initial = (
            {
                "include": True,
                "stated_status": item.stated_status,
                "explanation": item.explanation,
                "promised_by": item.promised_by,
            }
            if item is not None
            else {}
        )
        rows.append(ResponseRowForm(data, recommendation=recommendation, initial=initial))
    if posted:
        forged = _posted_row_pks(request.POST) - {r.pk for r in offered}
        if forged:
            messages.error(
                request,
                _(
                    "The letter can answer only recommendations of %(visit)s addressed to "
                    "%(authority)s; nothing was saved."
                )
                % {"visit": response.visit.reference, "authority": response.authority},
            )
        elif letter.is_valid() and all(row.is_valid() for row in rows):
            try:
                changes = services.response_correct(
                    response=response,
                    received_on=letter.cleaned_data["received_on"],
                    reference=letter.cleaned_data["reference"],
                    note=letter.cleaned_data["note"],
                    document=letter.cleaned_data["document"],
                    items=_items_from_rows(rows),
                    by=request.user,
                )
            except ValidationError as error:
                apply_service_errors(letter, error)
            else:
                if changes:
                    messages.success(request, _("The letter was corrected."))
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect("recommendations:response_detail", response.pk)
    return render(
        request,
        "recommendations/response_form.html",
        {
            "visit": response.visit,
            "authority": response.authority,
            "report": response.visit.report,
            "letter": letter,
            "rows": rows,
            "correcting": response,
        },
    )


def response_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "recommendations.view_authorityresponse")
    response = _response(pk)
    items = response.items.select_related("recommendation__visit__report")
    return render(
        request,
        "recommendations/response_detail.html",
        {
            "response": response,
            "response_items": items,
            "assessments": response.assessments.select_related(
                "recommendation__visit__report", "assessed_by"
            ),
            "can_assess": request.user.has_perm("recommendations.add_assessment"),
            "can_correct": request.user.has_perm("recommendations.change_authorityresponse"),
            "corrections": response.history.filter(history_type="~")
            .select_related("history_user")
            .order_by("-history_date"),
        },
    )


def response_document(request: HttpRequest, pk: int) -> FileResponse:
    _require(request, "recommendations.view_authorityresponse")
    response = _response(pk)
    if not response.document:
        raise Http404
    try:
        handle = response.document.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    content_type = detect_content_type(handle) or "application/octet-stream"
    suffix = PurePath(response.document.name).suffix
    name = re.sub(r"[^\w.-]+", "-", response.reference or f"letter-{response.pk}").strip("-")
    request.npm_access_log = {
        "action": "download",
        "object_type": AuthorityResponse._meta.label,
        "object_id": str(response.pk),
    }
    file_response = FileResponse(
        handle, as_attachment=True, filename=f"{name}{suffix}", content_type=content_type
    )
    file_response["Cache-Control"] = "private, no-store"
    return file_response


# --- A visit's recommendations and a follow-up visit's checklist --------------------------------


def _visit(request: HttpRequest, visit_pk: int, perm: str) -> Visit:
    _require(request, perm)
    return get_visit_for_user(request.user, visit_pk)


def visit_recommendations(request: HttpRequest, visit_pk: int) -> HttpResponse:
    visit = _visit(request, visit_pk, "recommendations.view_recommendation")
    report = getattr(visit, "report", None)
    issued = report is not None and report.status == ReportStatus.ISSUED
    recommendations = (
        visit.recommendations.select_related("theme").prefetch_related("addressees").all()
    )
    add_url = None
    if not issued and request.user.has_perm("recommendations.add_recommendation"):
        add_url = _url_or_none("recommendations:create", query=f"?visit={visit.pk}")
    today = timezone.localdate()
    return render_tab(
        request,
        visit,
        "recommendations",
        "recommendations/visit_recommendations.html",
        {
            "recommendations": recommendations,
            "report": report,
            "issued": issued,
            "add_url": add_url,
            "today": today,
            "can_respond": issued
            and request.user.has_perm("recommendations.add_authorityresponse"),
        },
    )


def _checklist(request, visit: Visit, forms: dict | None = None) -> HttpResponse:
    checks = (
        FollowUpCheck.objects.filter(visit=visit)
        .select_related(
            "recommendation__visit__report",
            "recommendation__visit__place",
            "recommendation__theme",
            "assessment",
            "recorded_by",
        )
        .order_by("recommendation__visit__planned_start", "recommendation__number")
    )
    can_record = request.user.has_perm("recommendations.change_followupcheck")
    recordable = visit.status in services.VISITED_STATUSES
    forms = forms or {}
    lines = []
    for check in checks:
        form = forms.get(check.pk)
        if form is None and can_record and recordable:
            initial = {"observation": check.observation}
            if check.assessment_id:
                initial |= {"status": check.assessment.status, "reason": check.assessment.reason}
            form = FollowUpCheckForm(initial=initial, prefix=f"check-{check.pk}")
        lines.append((check, form))
    return render_tab(
        request,
        visit,
        "checklist",
        "recommendations/checklist.html",
        {"lines": lines, "can_record": can_record, "recordable": recordable},
    )


def _follow_up_visit(request, visit_pk: int, perm: str) -> Visit:
    visit = _visit(request, visit_pk, perm)
    if visit.kind != VisitKind.FOLLOW_UP:
        raise Http404
    return visit


@require_http_methods(["GET", "POST"])
def follow_up_checklist(request: HttpRequest, visit_pk: int) -> HttpResponse:
    visit = _follow_up_visit(request, visit_pk, "recommendations.view_followupcheck")
    if request.method == "POST":
        # The "Refresh checklist" button: add recommendations that became open since planning.
        if not request.user.has_perm("recommendations.change_followupcheck"):
            raise PermissionDenied
        try:
            added = services.follow_up_checklist_prefill(visit=visit)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(count)d line(s) added.") % {"count": added})
        return redirect("recommendations:follow_up_checklist", visit.pk)
    return _checklist(request, visit)


def check_record(request: HttpRequest, pk: int) -> HttpResponse:
    # Partners get their 404 before anything else, whatever the method.
    _require(request, "recommendations.view_followupcheck")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    check = get_object_or_404(FollowUpCheck.objects.select_related("visit"), pk=pk)
    visit = get_visit_for_user(request.user, check.visit_id)
    if not request.user.has_perm("recommendations.change_followupcheck"):
        raise PermissionDenied
    form = FollowUpCheckForm(request.POST, prefix=f"check-{check.pk}")
    if form.is_valid():
        try:
            services.follow_up_check_record(
                check=check,
                observation=form.cleaned_data["observation"],
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Recorded for %(reference)s.") % {"reference": check.recommendation.reference},
            )
            return redirect(
                reverse("recommendations:follow_up_checklist", args=[visit.pk])
                + f"#check-{check.pk}"
            )
    return _checklist(request, visit, forms={check.pk: form})
