"""A follow-up visit's checklist (a tab of the visit's page): the place's open recommendations,
refreshed on demand, and what the team saw on site for each."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.http import apply_service_errors
from visits.models import Visit, VisitKind
from visits.views.tabs import render_tab

from .. import access, services
from ..forms.compliance import FollowUpCheckForm
from ..models import FollowUpCheck


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
        .order_by(
            # When the earlier visits took place (see services.follow_up_candidates).
            Coalesce("recommendation__visit__actual_start", "recommendation__visit__planned_start"),
            "recommendation__number",
        )
    )
    can_record = access.can_record_checks(request.user)
    recordable = visit.took_place
    forms = forms or {}
    lines = []
    for check in checks:
        form = forms.get(check.pk)
        if form is None and can_record and recordable:
            initial = {"observation": check.observation}
            if check.assessment_id:
                initial |= {
                    "status": check.assessment.status,
                    "reason": check.assessment.reason,
                    "progress": check.assessment.progress,
                }
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
    visit = access.get_visit_for_user(request.user, visit_pk, perm)
    if visit.kind != VisitKind.FOLLOW_UP:
        raise Http404
    return visit


@require_http_methods(["GET", "POST"])
def follow_up_checklist(request: HttpRequest, visit_pk: int) -> HttpResponse:
    visit = _follow_up_visit(request, visit_pk, access.VIEW_CHECK)
    if request.method == "POST":
        # The "Refresh checklist" button: add recommendations that became open since planning.
        access.require_that(access.can_record_checks(request.user))
        try:
            added = services.follow_up_checklist_prefill(visit=visit, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(count)d line(s) added.") % {"count": added})
        return redirect("recommendations:follow_up_checklist", visit.pk)
    return _checklist(request, visit)


def check_record(request: HttpRequest, pk: int) -> HttpResponse:
    # Partners get their 404 before anything else, whatever the method.
    access.require(request.user, access.VIEW_CHECK)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    check, visit = access.get_check_for_user(request.user, pk)
    form = FollowUpCheckForm(request.POST, prefix=f"check-{check.pk}")
    if form.is_valid():
        try:
            services.follow_up_check_record(
                check=check,
                observation=form.cleaned_data["observation"],
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                progress=form.cleaned_data["progress"],
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
