"""Pages of a report's sections: settings, drafting with autosave, preview and conflict-safe
saving, review and history. The rules are in `visits.services.sections`."""

from __future__ import annotations

import difflib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.http import apply_service_errors, over_rate, posted
from core.richtext import render_markdown
from core.roles import is_partner_only

from .. import services
from ..access import (
    can_manage_reports,
    deny_unless,
    get_report,
    get_report_visit_for_user,
    get_section_for_user,
    may_edit_section,
    may_take_section_action,
    may_write_section_text,
)
from ..forms import MAX_INT, ReturnForm, SectionSettingsForm, SectionTextForm
from ..models import Report, ReportSection, SectionAutosave
from .reports import managed_report, refused
from .tabs import render_tab


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
    visit, report, refusal = managed_report(request, pk)
    if refusal:
        return refusal
    detail = reverse("visits:report_detail", args=[visit.pk])
    form = SectionSettingsForm(posted(request), report=report)
    if request.method == "POST" and form.is_valid():
        try:
            section = services.section_create(report=report, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Section “%(title)s” added.") % {"title": section.title})
            return redirect(detail)
    return render_tab(
        request,
        visit,
        "report",
        "visits/report_form.html",
        {"form": form, "report": report, "page_title": _("Add a section")},
    )


@require_http_methods(["GET", "POST"])
def section_settings(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    visit = get_report_visit_for_user(request.user, pk)
    report = get_report(visit)
    section = get_section_for_user(request.user, report, section_pk)
    deny_unless(can_manage_reports(request.user))
    detail = reverse("visits:report_detail", args=[visit.pk])
    try:
        services.require_editable(report)
    except ValidationError as error:
        return refused(request, error, detail)
    form = SectionSettingsForm(posted(request), report=report, initial=_settings_initial(section))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["order"] is None:
            data["order"] = section.order
        try:
            services.section_update_settings(section=section, by=request.user, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Section settings saved."))
            return redirect(detail)
    return render_tab(
        request,
        visit,
        "report",
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
    may_edit = may_edit_section(user, section)
    editable = report.is_editable
    return {
        "report": report,
        "section": section,
        "can_edit_text": may_edit and editable,
        "manager": can_manage_reports(user),
        "editable": editable,
        "is_author": section.author_id == user.pk,
        "partner": is_partner_only(user),
        "partner_editable": section.partner_editable,
        "return_form": ReturnForm(),
    }


@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    visit = get_report_visit_for_user(request.user, pk)
    report = get_report(visit)
    section = get_section_for_user(request.user, report, section_pk)
    user = request.user
    context = _section_context(request, report, section)
    restored = None
    if request.method == "POST":
        form = SectionTextForm(request.POST)
        deny_unless(may_write_section_text(user, section))
        if form.is_valid():
            try:
                services.section_save(
                    section=section,
                    body=form.cleaned_data["body"],
                    base_version=form.cleaned_data["version"],
                    by=user,
                )
            except services.SectionConflict as conflict:
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
    return render_tab(request, visit, "report", "visits/section_edit.html", context)


def _conflict(request, visit, report, current: ReportSection, mine: str) -> HttpResponse:
    form = SectionTextForm(initial={"body": mine, "version": current.version})
    diff = _diff_lines(current.body, mine)
    response = render_tab(
        request,
        visit,
        "report",
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
    visit = get_report_visit_for_user(request.user, pk)
    report = get_report(visit)
    section = get_section_for_user(request.user, report, section_pk)
    deny_unless(may_write_section_text(request.user, section))
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
        autosave = services.section_autosave(
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
    visit = get_report_visit_for_user(request.user, pk)
    report = get_report(visit)
    get_section_for_user(request.user, report, section_pk)
    # The editor asks for a preview after each pause in typing: a burst beyond that is refused.
    if over_rate(request, "section-preview", limit=PREVIEW_RATE, seconds=60):
        return HttpResponse(
            _("Too many previews in a short time; the preview resumes in a minute."),
            status=429,
            headers={"Retry-After": "60"},
        )
    return render(
        request,
        "visits/section_preview.html",
        {"html": render_markdown(request.POST.get("body", ""))},
    )


PREVIEW_RATE = 60  # previews per user and minute

SECTION_ACTIONS = {
    "submit": (services.section_submit, gettext_lazy("The section is submitted for review.")),
    "return": (services.section_return, gettext_lazy("The section is returned to its author.")),
    "accept": (services.section_accept, gettext_lazy("The section is accepted.")),
}


@require_POST
def section_transition(request: HttpRequest, pk: int, section_pk: int, action: str) -> HttpResponse:
    visit = get_report_visit_for_user(request.user, pk)
    report = get_report(visit)
    section = get_section_for_user(request.user, report, section_pk)
    if action not in SECTION_ACTIONS:
        raise Http404
    user = request.user
    deny_unless(may_take_section_action(user, section, action))
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
    visit = get_report_visit_for_user(request.user, pk)
    report = get_report(visit)
    section = get_section_for_user(request.user, report, section_pk)
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
    return render_tab(
        request,
        visit,
        "report",
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
