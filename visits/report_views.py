"""Pages of a visit's report: drafting sections (with autosave, preview and conflict-safe
saving), review, approval, issue and dispatch. The rules are in `report_services`."""

from __future__ import annotations

import difflib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from . import report_services as rs
from .access import get_visit_for_user
from .forms import apply_service_errors
from .models import (
    PARTNER_EDITABLE,
    Report,
    ReportSection,
    SectionAutosave,
    Visit,
    is_partner_only,
)
from .report_forms import (
    MAX_INT,
    DispatchForm,
    ReportForm,
    ReturnForm,
    SectionSettingsForm,
    SectionTextForm,
)
from .richtext import render_markdown
from .visit_views import render_tab


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _visit(request: HttpRequest, pk: int) -> Visit:
    """The visit (404 unless the user may see it) for any report page."""
    visit = get_visit_for_user(request.user, pk)
    if not is_partner_only(request.user) and not request.user.has_perm("visits.view_report"):
        raise PermissionDenied
    return visit


def _report(visit: Visit) -> Report:
    try:
        return Report.objects.select_related("approved_by", "issued_by").get(visit=visit)
    except Report.DoesNotExist as error:
        raise Http404 from error


def _section(report: Report, section_pk: int, user) -> ReportSection:
    """A section of this report; 403 for a partner asking for somebody else's text."""
    section = get_object_or_404(
        ReportSection.objects.select_related("author", "theme", "updated_by"),
        report=report,
        pk=section_pk,
    )
    section.report = report
    if not rs.can_see_section_text(user, section):
        raise PermissionDenied
    return section


def _require_manager(user) -> None:
    if not rs.can_manage_reports(user):
        raise PermissionDenied


def _require_text_editor(user, section: ReportSection) -> None:
    """403 unless the user may write this section at all; its author is told by the service why
    a section that is submitted or accepted cannot be changed (their text is kept)."""
    if not rs.may_edit_section(user, section) and section.author_id != user.pk:
        raise PermissionDenied


def _report_tab(request, visit, template, context) -> HttpResponse:
    return render_tab(request, visit, "report", template, context)


def _refused(request, error: ValidationError, url: str) -> HttpResponse:
    messages.error(request, " ".join(error.messages))
    return redirect(url)


# --- The report ---------------------------------------------------------------------------------


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    user = request.user
    report = Report.objects.filter(visit=visit).first()
    if report is None:
        return _report_tab(
            request,
            visit,
            "visits/report_detail.html",
            {
                "report": None,
                "can_create": user.has_perm("visits.add_report") and not is_partner_only(user),
                "reportable": visit.status in rs.REPORTABLE_VISIT_STATUSES,
            },
        )
    from .rendering import pdf_panel_context

    sections = list(
        report.sections.select_related("author", "theme", "updated_by").order_by("order", "pk")
    )
    for section in sections:
        section.visible = rs.can_see_section_text(user, section)
        section.editable = (
            rs.may_edit_section(user, section) and report.status in rs.EDITABLE_REPORT_STATUSES
        )
        section.html = render_markdown(section.body) if section.visible else ""
    manager = rs.can_manage_reports(user)
    context = {
        "report": report,
        "sections": sections,
        "manager": manager,
        "issuer": rs.can_issue_reports(user),
        "editable": report.status in rs.EDITABLE_REPORT_STATUSES,
        "partner": is_partner_only(user),
        "dispatches": report.dispatches.select_related("authority", "recorded_by"),
        "can_dispatch": report.is_issued
        and user.has_perm("visits.add_dispatch")
        and not is_partner_only(user),
        "history": _report_history(report) if manager else [],
        **pdf_panel_context(request, report),
    }
    return _report_tab(request, visit, "visits/report_detail.html", context)


def _report_history(report: Report, limit: int = 10) -> list:
    """The report's status changes and the storing of its frozen PDF, newest first; other saves
    (a changed title) are left out. Each record gets `event`: "status" or "pdf".

    Issuing writes two rows: the status change, then (once rendered, in a worker or inline)
    the frozen PDF and its checksum being stored, which is its own event."""
    records = list(report.history.select_related("history_user").order_by("-history_id")[:50])
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
    visit = _visit(request, pk)
    if not request.user.has_perm("visits.add_report") or is_partner_only(request.user):
        raise PermissionDenied
    if Report.objects.filter(visit=visit).exists():
        return redirect("visits:report_detail", visit.pk)
    form = ReportForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            report = rs.report_create(visit=visit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Report %(ref)s created.") % {"ref": report.reference})
            return redirect("visits:report_detail", visit.pk)
    return _report_tab(
        request,
        visit,
        "visits/report_form.html",
        {"form": form, "page_title": _("Create the report")},
    )


@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    report = _report(visit)
    _require_manager(request.user)
    detail = reverse("visits:report_detail", args=[visit.pk])
    try:
        rs.require_editable(report)
    except ValidationError as error:
        return _refused(request, error, detail)
    form = ReportForm(
        _posted(request), initial={"title": report.title, "language": report.language}
    )
    if request.method == "POST" and form.is_valid():
        try:
            rs.report_update(report=report, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Report saved."))
            return redirect(detail)
    return _report_tab(
        request,
        visit,
        "visits/report_form.html",
        {"form": form, "report": report, "page_title": _("Edit the report")},
    )


REPORT_ACTIONS = {
    "submit": (rs.report_submit_for_review, gettext_lazy("The report is submitted for review.")),
    "return": (rs.report_return_to_drafting, gettext_lazy("The report is back in drafting.")),
    "approve": (rs.report_approve, gettext_lazy("The report is approved.")),
    "reopen": (rs.report_reopen, gettext_lazy("The report is reopened for review.")),
    "issue": (rs.report_issue, gettext_lazy("The report is issued.")),
}


@require_POST
def report_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    visit = _visit(request, pk)
    report = _report(visit)
    if action not in REPORT_ACTIONS:
        raise Http404
    if action in ("approve", "reopen", "issue"):
        if not rs.can_issue_reports(request.user):
            raise PermissionDenied
    else:
        _require_manager(request.user)
    service, done = REPORT_ACTIONS[action]
    kwargs = {"report": report, "by": request.user}
    if action == "return":
        kwargs["comment"] = request.POST.get("comment", "")
    try:
        service(**kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("visits:report_detail", visit.pk)


# --- Sections -----------------------------------------------------------------------------------


def _settings_initial(section: ReportSection) -> dict:
    return {
        "title": section.title,
        "kind": section.kind,
        "theme": section.theme_id,
        "order": section.order,
        "author": section.author_id,
        "confidential": section.confidential,
    }


@require_http_methods(["GET", "POST"])
def section_create(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    report = _report(visit)
    _require_manager(request.user)
    detail = reverse("visits:report_detail", args=[visit.pk])
    try:
        rs.require_editable(report)
    except ValidationError as error:
        return _refused(request, error, detail)
    form = SectionSettingsForm(_posted(request), report=report)
    if request.method == "POST" and form.is_valid():
        try:
            section = rs.section_create(report=report, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Section “%(title)s” added.") % {"title": section.title})
            return redirect(detail)
    return _report_tab(
        request,
        visit,
        "visits/report_form.html",
        {"form": form, "report": report, "page_title": _("Add a section")},
    )


@require_http_methods(["GET", "POST"])
def section_settings(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    report = _report(visit)
    section = _section(report, section_pk, request.user)
    _require_manager(request.user)
    detail = reverse("visits:report_detail", args=[visit.pk])
    try:
        rs.require_editable(report)
    except ValidationError as error:
        return _refused(request, error, detail)
    form = SectionSettingsForm(_posted(request), report=report, initial=_settings_initial(section))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["order"] is None:
            data["order"] = section.order
        try:
            rs.section_update_settings(section=section, by=request.user, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Section settings saved."))
            return redirect(detail)
    return _report_tab(
        request,
        visit,
        "visits/report_form.html",
        {
            "form": form,
            "report": report,
            "section": section,
            "page_title": _("Section settings: %(title)s") % {"title": section.title},
        },
    )


def _section_context(request, report: Report, section: ReportSection) -> dict:
    user = request.user
    may_edit = rs.may_edit_section(user, section)
    editable = report.status in rs.EDITABLE_REPORT_STATUSES
    return {
        "report": report,
        "section": section,
        "can_edit_text": may_edit and editable,
        "manager": rs.can_manage_reports(user),
        "editable": editable,
        "is_author": section.author_id == user.pk,
        "partner": is_partner_only(user),
        "partner_editable": section.status in PARTNER_EDITABLE,
        "return_form": ReturnForm(),
    }


@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    report = _report(visit)
    section = _section(report, section_pk, request.user)
    user = request.user
    context = _section_context(request, report, section)
    restored = None
    if request.method == "POST":
        form = SectionTextForm(request.POST)
        _require_text_editor(user, section)
        if form.is_valid():
            try:
                rs.section_save(
                    section=section,
                    body=form.cleaned_data["body"],
                    base_version=form.cleaned_data["version"],
                    by=user,
                )
            except rs.SectionConflict as conflict:
                return _conflict(
                    request, visit, report, conflict.section, form.cleaned_data["body"]
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Section saved."))
                return redirect("visits:section_edit", visit.pk, section.pk)
    else:
        form = SectionTextForm(initial={"body": section.body, "version": section.version})
        autosave = SectionAutosave.objects.filter(section=section, user=user).first()
        if autosave and autosave.body != section.body and context["can_edit_text"]:
            # Unsaved text from a closed tab: offer it, against the version it was based on.
            form = SectionTextForm(
                initial={"body": autosave.body, "version": autosave.base_version}
            )
            restored = autosave
    context.update(
        {
            "form": form,
            "restored": restored,
            "html": render_markdown(section.body),
        }
    )
    return _report_tab(request, visit, "visits/section_edit.html", context)


def _conflict(request, visit, report, current: ReportSection, mine: str) -> HttpResponse:
    form = SectionTextForm(initial={"body": mine, "version": current.version})
    diff = _diff_lines(current.body, mine)
    response = _report_tab(
        request,
        visit,
        "visits/section_conflict.html",
        {
            "report": report,
            "section": current,
            "form": form,
            "mine": mine,
            "diff": diff,
        },
    )
    response.status_code = 409
    return response


@require_POST
def section_autosave(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    report = _report(visit)
    section = _section(report, section_pk, request.user)
    _require_text_editor(request.user, section)
    if request.POST.get("discard"):
        # "Discard my text" (conflict page, restored draft): the saved version is shown again.
        SectionAutosave.objects.filter(section=section, user=request.user).delete()
        messages.info(request, _("Your unsaved text was discarded."))
        return redirect("visits:section_edit", visit.pk, section.pk)
    version = request.POST.get("version") or section.version
    try:
        version = int(version)
    except ValueError:
        version = 0
    if not 1 <= version <= MAX_INT:
        return render(
            request,
            "visits/section_autosave.html",
            {"error": _("The page is out of date: reload it and try again.")},
        )
    try:
        autosave = rs.section_autosave(
            section=section,
            user=request.user,
            body=request.POST.get("body", ""),
            base_version=version,
        )
    except ValidationError as error:
        return render(request, "visits/section_autosave.html", {"error": " ".join(error.messages)})
    return render(request, "visits/section_autosave.html", {"autosave": autosave})


@require_POST
def section_preview(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    report = _report(visit)
    _section(report, section_pk, request.user)
    return render(
        request,
        "visits/section_preview.html",
        {"html": render_markdown(request.POST.get("body", ""))},
    )


SECTION_ACTIONS = {
    "submit": (rs.section_submit, gettext_lazy("The section is submitted for review.")),
    "return": (rs.section_return, gettext_lazy("The section is returned to its author.")),
    "accept": (rs.section_accept, gettext_lazy("The section is accepted.")),
}


@require_POST
def section_transition(request: HttpRequest, pk: int, section_pk: int, action: str) -> HttpResponse:
    visit = _visit(request, pk)
    report = _report(visit)
    section = _section(report, section_pk, request.user)
    if action not in SECTION_ACTIONS:
        raise Http404
    user = request.user
    if action == "submit":
        if not (rs.can_manage_reports(user) or section.author_id == user.pk):
            raise PermissionDenied
    else:
        _require_manager(user)
    service, done = SECTION_ACTIONS[action]
    kwargs = {"section": section, "by": user}
    if action == "return":
        kwargs["comment"] = request.POST.get("comment", "")
    try:
        service(**kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    target = request.POST.get("next")
    if target == "report":
        return redirect("visits:report_detail", visit.pk)
    return redirect("visits:section_edit", visit.pk, section.pk)


def _diff_lines(old: str, new: str) -> list[tuple[str, str]]:
    """(kind, line) pairs: kind is "+", "-" or " "; escaped by the template."""
    lines = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        code, text = line[:1], line[2:]
        if code in "+- ":
            lines.append((code, text))
    return lines


def section_history(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    report = _report(visit)
    section = _section(report, section_pk, request.user)
    records = list(section.history.select_related("history_user").order_by("-history_id"))
    by_id = {record.history_id: record for record in records}
    diff = old = new = None
    try:
        a, b = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
    except ValueError:
        a = b = None
    if a is not None:
        old, new = by_id.get(a), by_id.get(b)
        if old is None or new is None:
            raise Http404
        diff = _diff_lines(old.body, new.body)
    # Pairs of consecutive versions whose text differs, for "compare with previous" links.
    for newer, older in zip(records, records[1:], strict=False):
        newer.previous_id = older.history_id
    return _report_tab(
        request,
        visit,
        "visits/section_history.html",
        {
            "report": report,
            "section": section,
            "records": records,
            "diff": diff,
            "old": old,
            "new": new,
        },
    )


# --- Dispatch -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def dispatch_create(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    report = _report(visit)
    if not request.user.has_perm("visits.add_dispatch") or is_partner_only(request.user):
        raise PermissionDenied
    detail = reverse("visits:report_detail", args=[visit.pk])
    if not report.is_issued:
        messages.error(request, _("Only an issued report can be dispatched."))
        return redirect(detail)
    form = DispatchForm(_posted(request), report=report)
    if request.method == "POST" and form.is_valid():
        try:
            dispatch = rs.dispatch_record(report=report, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Dispatch to %(authority)s recorded.") % {"authority": dispatch.authority},
            )
            return redirect(detail)
    return _report_tab(
        request,
        visit,
        "visits/report_form.html",
        {
            "form": form,
            "report": report,
            "page_title": _("Record a dispatch"),
            "today": timezone.localdate(),
        },
    )
