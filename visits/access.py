"""Who may see and change what in `visits`: the registry, visits and their confidential records,
reports, their sections, render jobs and PDFs.

The `get_*_for_user` helpers answer 404 when a user may not see a row and 403 when they may see
it but not change it; the `can_*` / `may_*` predicates are what views, templates (as context
flags) and services (`deny_unless`) all ask."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.roles import is_partner_only

from .models import (
    Attachment,
    Authority,
    Interview,
    Place,
    Report,
    ReportRender,
    ReportSection,
    TeamMember,
    TeamRole,
    Visit,
)


def deny_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def require_perm(user, perm: str) -> None:
    deny_unless(user.has_perm(perm))


# --- The registry -------------------------------------------------------------------------------


def get_place_for_user(user, pk: int, *, write: bool = False) -> Place:
    # The registry of places is not confidential: every role may read it.
    require_perm(user, "visits.view_place")
    place = get_object_or_404(Place.objects.select_related("authority__parent"), pk=pk)
    if write:
        require_perm(user, "visits.change_place")
    return place


def get_authority_for_user(user, pk: int, *, write: bool = False) -> Authority:
    require_perm(user, "visits.view_authority")
    authority = get_object_or_404(Authority.objects.select_related("parent"), pk=pk)
    if write:
        require_perm(user, "visits.change_authority")
    return authority


def check_can_add(user, model: type) -> None:
    require_perm(user, f"{model._meta.app_label}.add_{model._meta.model_name}")


# --- Visits and their confidential records ------------------------------------------------------


def get_visit_for_user(user, pk: int, *, write: bool = False) -> Visit:
    """The visit if `user` may see it (else 404); with `write`, 403 unless they may change it."""
    visit = get_object_or_404(
        Visit.objects.visible_to(user).select_related("place__authority"), pk=pk
    )
    if write and not can_write_visit(user):
        raise PermissionDenied
    return visit


def can_write_visit(user) -> bool:
    return user.has_perm("visits.change_visit")


def can_see_interviews(user) -> bool:
    """Staff and head; a partner on the team sees the non-confidential fields; compliance none."""
    return user.has_perm("visits.view_interview") or is_partner_only(user)


def can_see_interview_notes(user) -> bool:
    return user.has_perm("visits.view_interview") and not is_partner_only(user)


def may_reveal_identity(user, visit: Visit) -> bool:
    """The NPM head, and the visit's head of team when that is an NPM user (never a partner)."""
    if is_partner_only(user):
        return False
    if user.has_perm("visits.view_interviewidentity"):
        return True
    return TeamMember.objects.filter(visit=visit, role=TeamRole.HEAD, user=user).exists()


def get_interview(visit: Visit, pk: int) -> Interview:
    """404 for interviews of other visits (check `can_see_interviews` separately)."""
    return get_object_or_404(Interview.objects.filter(visit=visit), pk=pk)


def get_attachment_for_user(user, visit: Visit, pk: int) -> Attachment:
    try:
        return Attachment.objects.visible_to(user).get(visit=visit, pk=pk)
    except Attachment.DoesNotExist as error:
        raise Http404 from error


# --- Reports and sections -----------------------------------------------------------------------


def can_view_reports(user) -> bool:
    """A partner on the team reads the report (their own sections); NPM roles by permission."""
    return is_partner_only(user) or user.has_perm("visits.view_report")


def can_create_report(user) -> bool:
    return user.has_perm("visits.add_report") and not is_partner_only(user)


def can_manage_reports(user) -> bool:
    """NPM head and staff: create reports, edit any section, review."""
    return user.has_perm("visits.change_reportsection") and not is_partner_only(user)


def can_issue_reports(user) -> bool:
    """Approve, reopen and issue."""
    return user.has_perm("visits.issue_report") and not is_partner_only(user)


def can_dispatch_reports(user) -> bool:
    return user.has_perm("visits.add_dispatch") and not is_partner_only(user)


def can_see_section_text(user, section: ReportSection) -> bool:
    """NPM roles read every section; a partner only the sections they write (the others may
    hold confidential material)."""
    if is_partner_only(user):
        return section.author_id == user.pk
    return user.has_perm("visits.view_reportsection")


def may_edit_section(user, section: ReportSection) -> bool:
    """By role and section state only; the report's own state is checked by the services."""
    if can_manage_reports(user):
        return True
    return is_partner_only(user) and section.author_id == user.pk and section.partner_editable


def may_write_section_text(user, section: ReportSection) -> bool:
    """Whether the text form may be posted at all: its author is told by the service why a
    section that is submitted or accepted cannot be changed (their text is kept)."""
    return may_edit_section(user, section) or section.author_id == user.pk


def may_submit_section(user, section: ReportSection) -> bool:
    return can_manage_reports(user) or bool(section.author_id and section.author_id == user.pk)


def may_take_report_action(user, action: str) -> bool:
    """Approve, reopen and issue are the issuer's; submit and return any manager's."""
    if action in ("approve", "reopen", "issue"):
        return can_issue_reports(user)
    return can_manage_reports(user)


def may_take_section_action(user, section: ReportSection, action: str) -> bool:
    if action == "submit":
        return may_submit_section(user, section)
    return can_manage_reports(user)


def get_report_visit_for_user(user, pk: int) -> Visit:
    """The visit (404 unless the user may see it) for any report page; 403 without reports."""
    visit = get_visit_for_user(user, pk)
    deny_unless(can_view_reports(user))
    return visit


def get_report(visit: Visit, *, related: tuple[str, ...] = ("approved_by", "issued_by")) -> Report:
    """The visit's report, or 404."""
    try:
        return Report.objects.select_related(*related).get(visit=visit)
    except Report.DoesNotExist as error:
        raise Http404 from error


def get_section_for_user(user, report: Report, pk: int) -> ReportSection:
    """A section of this report; 403 for a partner asking for somebody else's text."""
    section = get_object_or_404(
        ReportSection.objects.select_related("author", "theme", "updated_by"),
        report=report,
        pk=pk,
    )
    section.report = report
    deny_unless(can_see_section_text(user, section))
    return section


# --- Render jobs and PDFs -----------------------------------------------------------------------


def can_preview(user) -> bool:
    """Head, staff and compliance: draft previews and the full (confidential) PDF. A partner on
    the team sees the report but never its confidential PDFs."""
    return (
        user.is_authenticated and user.has_perm("visits.view_report") and not is_partner_only(user)
    )


def can_download_full(user) -> bool:
    return can_preview(user)


def can_manage_renders(user) -> bool:
    """Head and staff may open any user's preview and retry the issued PDF; others only their
    own previews."""
    return can_preview(user) and user.has_perm("visits.change_report")


def may_open_render(user, render: ReportRender) -> bool:
    if not can_preview(user):
        return False
    return render.requested_by_id == user.pk or can_manage_renders(user)


def may_retry_render(user, render: ReportRender) -> bool:
    return (
        can_manage_renders(user) if render.kind == ReportRender.Kind.ISSUED else can_preview(user)
    )


def get_pdf_report_for_user(user, pk: int) -> Report:
    """The visit's report for its PDF pages (404 if the user may not see the visit or there is
    no report)."""
    return get_report(get_visit_for_user(user, pk), related=("visit__place",))


def get_render_for_user(user, report: Report, pk: int) -> ReportRender:
    """A render job of this report: 403 without previews, 404 for someone else's preview."""
    deny_unless(can_preview(user))
    render = get_object_or_404(ReportRender.objects.filter(report=report), pk=pk)
    if not may_open_render(user, render):
        raise Http404
    return render
