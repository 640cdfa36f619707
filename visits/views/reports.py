"""Pages of a visit's report: the report itself, its review, approval and issue, and its
dispatches. Section pages are in `sections`, PDFs in `pdf`; the rules are in `visits.services`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.http import apply_service_errors, posted
from core.richtext import render_markdown
from core.roles import is_partner_only

from .. import services
from ..access import (
    can_create_report,
    can_dispatch_reports,
    can_issue_reports,
    can_manage_reports,
    can_see_section_text,
    deny_unless,
    get_report,
    get_report_visit_for_user,
    may_edit_section,
    may_take_report_action,
)
from ..forms import DispatchForm, ReportForm
from ..models import RenderKind, Report, Visit
from .pdf import pdf_panel_context
from .tabs import render_tab


def managed_report(request, pk: int) -> tuple[Visit, Report, HttpResponse | None]:
    """The visit and report for a page that changes the report's structure: 404 unless the user
    sees the visit, 403 unless they manage reports; the third item is the answer to send instead
    when the report can no longer change."""
    visit = get_report_visit_for_user(request.user, pk)
    report = get_report(visit)
    deny_unless(can_manage_reports(request.user))
    try:
        services.require_editable(report)
    except ValidationError as error:
        return visit, report, refused(request, error, reverse("visits:report_detail", args=[pk]))
    return visit, report, None


def refused(request, error: ValidationError, url: str) -> HttpResponse:
    """A refused change (e.g. of an issued report): say why and go back."""
    messages.error(request, " ".join(error.messages))
    return redirect(url)


# --- The report ---------------------------------------------------------------------------------


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_report_visit_for_user(request.user, pk)
    user = request.user
    report = Report.objects.filter(visit=visit).first()
    if report is None:
        return render_tab(
            request,
            visit,
            "report",
            "visits/report_detail.html",
            {
                "report": None,
                "can_create": can_create_report(user),
                "reportable": visit.took_place,
            },
        )
    sections = list(
        report.sections.select_related("author", "theme", "updated_by").order_by("order", "pk")
    )
    for section in sections:
        section.visible = can_see_section_text(user, section)
        section.editable = may_edit_section(user, section) and report.is_editable
        section.html = render_markdown(section.body) if section.visible else ""
    manager = can_manage_reports(user)
    context = {
        "report": report,
        "sections": sections,
        "manager": manager,
        "issuer": can_issue_reports(user),
        "editable": report.is_editable,
        "partner": is_partner_only(user),
        "dispatches": report.dispatches.select_related("authority", "recorded_by"),
        "can_dispatch": report.is_issued and can_dispatch_reports(user),
        "history": _report_history(report) if manager else [],
        **pdf_panel_context(request, report),
    }
    return render_tab(request, visit, "report", "visits/report_detail.html", context)


def _report_history(report: Report, limit: int = 10) -> list:
    """The report's status changes and the storing of its frozen PDF, newest first; other saves
    (a changed title) are left out. Each record gets `event`: "status" or "pdf".

    Issuing writes two rows: the status change, then (once rendered, in a worker or inline)
    the frozen PDF and its checksum being stored, which is its own event."""
    records = list(report.history.select_related("history_user").order_by("-history_id")[:50])
    if not records:  # a report loaded in bulk (an import, a generated dataset) has no history
        return []
    events = []
    for record, older in zip(records, [*records[1:], None], strict=True):
        if older is None or older.status != record.status:
            record.event = "status"
        elif (record.pdf_sha256, record.public_pdf_sha256) != (
            older.pdf_sha256,
            older.public_pdf_sha256,
        ) and (record.pdf_sha256 or record.public_pdf_sha256):
            record.event = "pdf"
        else:
            continue
        events.append(record)
    return events[:limit]


@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_report_visit_for_user(request.user, pk)
    deny_unless(can_create_report(request.user))
    if Report.objects.filter(visit=visit).exists():
        return redirect("visits:report_detail", visit.pk)
    form = ReportForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(visit=visit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Report %(ref)s created.") % {"ref": report.reference})
            return redirect("visits:report_detail", visit.pk)
    return render_tab(
        request,
        visit,
        "report",
        "visits/report_form.html",
        {"form": form, "page_title": _("Create the report")},
    )


@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit, report, refusal = managed_report(request, pk)
    if refusal:
        return refusal
    detail = reverse("visits:report_detail", args=[visit.pk])
    form = ReportForm(posted(request), initial={"title": report.title, "language": report.language})
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update(report=report, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Report saved."))
            return redirect(detail)
    return render_tab(
        request,
        visit,
        "report",
        "visits/report_form.html",
        {"form": form, "report": report, "page_title": _("Edit the report")},
    )


REPORT_ACTIONS = {
    "submit": (
        services.report_submit_for_review,
        gettext_lazy("The report is submitted for review."),
    ),
    "return": (services.report_return_to_drafting, gettext_lazy("The report is back in drafting.")),
    "approve": (services.report_approve, gettext_lazy("The report is approved.")),
    "reopen": (services.report_reopen, gettext_lazy("The report is reopened for review.")),
    "issue": (
        services.report_issue,
        gettext_lazy("The report is issued; its PDFs are being rendered."),
    ),
}


@require_POST
def report_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    visit = get_report_visit_for_user(request.user, pk)
    report = get_report(visit)
    if action not in REPORT_ACTIONS:
        raise Http404
    deny_unless(may_take_report_action(request.user, action))
    service, done = REPORT_ACTIONS[action]
    if action == "issue" and request.POST.get("confirm") != "yes":
        # Issuing is confirmed on its own page first (report_issue_confirm).
        return redirect("visits:report_issue_confirm", visit.pk)
    kwargs = {"report": report, "by": request.user}
    if action == "return":
        kwargs["comment"] = request.POST.get("comment", "")
    try:
        service(**kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
        if action == "issue":
            return _to_issued_render(visit, report)
    return redirect("visits:report_detail", visit.pk)


def report_issue_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """What issuing does and that it cannot be undone; "Yes" posts to the issue action."""
    from .corrections import confirm_page

    visit = get_report_visit_for_user(request.user, pk)
    report = get_report(visit)
    deny_unless(may_take_report_action(request.user, "issue"))
    detail = reverse("visits:report_detail", args=[visit.pk])
    if "issue" not in report.actions:
        messages.error(request, _("Only an approved report can be issued."))
        return redirect(detail)
    return confirm_page(
        request,
        visit,
        "report",
        title=_("Issue report %(ref)s?") % {"ref": report.reference},
        lead=report.title,
        consequences=[
            _("The report, its sections and its recommendations are frozen: nobody can edit them."),
            _("Its PDF is rendered and frozen with a SHA-256 checksum, with its public version."),
            _("The visit is closed once its report is issued; dispatches can then be recorded."),
            _("Findings and interviews of the visit can no longer be edited or deleted."),
        ],
        irreversible=_("An issued report cannot be withdrawn or changed."),
        action_url=reverse("visits:report_transition", args=[visit.pk, "issue"]),
        yes_label=_("Yes, issue the report"),
        back_url=detail,
    )


def _to_issued_render(visit: Visit, report: Report) -> HttpResponse:
    """Issuing queues the rendering of the frozen PDFs (`request_render`) instead of waiting
    for it: the job's page shows its progress and, once done, the PDF."""
    render = report.renders.filter(kind=RenderKind.ISSUED).order_by("-created_at", "-pk").first()
    if render is None:  # `report_issue` always queues one; never a link to nothing, though
        return redirect("visits:report_detail", visit.pk)
    return redirect("visits:report_render", visit.pk, render.pk)


# --- Dispatch -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def dispatch_create(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_report_visit_for_user(request.user, pk)
    report = get_report(visit)
    deny_unless(can_dispatch_reports(request.user))
    detail = reverse("visits:report_detail", args=[visit.pk])
    if not report.is_issued:
        messages.error(request, _("Only an issued report can be dispatched."))
        return redirect(detail)
    form = DispatchForm(posted(request), report=report)
    if request.method == "POST" and form.is_valid():
        try:
            dispatch = services.dispatch_record(report=report, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Dispatch to %(authority)s recorded.") % {"authority": dispatch.authority},
            )
            return redirect(detail)
    return render_tab(
        request,
        visit,
        "report",
        "visits/report_form.html",
        {
            "form": form,
            "report": report,
            "page_title": _("Record a dispatch"),
            "today": timezone.localdate(),
        },
    )


@require_POST
def dispatch_share(request: HttpRequest, pk: int, dispatch_pk: int) -> HttpResponse:
    """Share the full issued report with one addressee's authority portal users, or stop."""
    visit = get_report_visit_for_user(request.user, pk)
    report = get_report(visit)
    deny_unless(can_dispatch_reports(request.user))
    dispatch = get_object_or_404(report.dispatches.select_related("authority"), pk=dispatch_pk)
    wanted = request.POST.get("shared")
    # An explicit value ("1" / "0") is safe against a double submit; without one, a toggle.
    shared = wanted == "1" if wanted in {"0", "1"} else not dispatch.full_version_shared
    dispatch = services.dispatch_share_set(dispatch=dispatch, shared=shared, by=request.user)
    if dispatch.full_version_shared:
        text = _("The full report is now shared with %(authority)s's users.")
    else:
        text = _("%(authority)s's users now see the public version only.")
    messages.success(request, text % {"authority": dispatch.authority})
    return redirect("visits:report_detail", visit.pk)
