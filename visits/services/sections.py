"""Report sections: adding and setting them up, saving their text under an optimistic lock
(a stale version is a `SectionConflict`, never a silent overwrite), autosaves, and review."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from core.richtext import markdown_bounds_error
from core.roles import STAFF_GROUPS, is_partner_only

from ..access import can_manage_reports, deny_unless, may_edit_section, may_submit_section
from ..models import (
    Report,
    ReportSection,
    SectionAutosave,
    SectionKind,
    SectionStatus,
    TeamMember,
    Visit,
)
from ..signals import section_assigned, section_returned, section_submitted
from .reports import lock_report, require_editable


class SectionConflict(ValidationError):
    """The section changed since the user opened it: `section` is the current saved version."""

    def __init__(self, section: ReportSection):
        self.section = section
        super().__init__(
            _(
                "Someone else saved this section in the meantime (now version %(version)s): "
                "your text was not saved."
            )
            % {"version": section.version},
            code="conflict",
        )


def _lock_section(section: ReportSection) -> ReportSection:
    section = ReportSection.objects.select_for_update().get(pk=section.pk)
    section.report = Report.objects.select_related("visit").get(pk=section.report_id)
    return section


def _require_section_transition(section: ReportSection, status: str) -> None:
    if not section.can_move_to(status):
        raise ValidationError(
            _("A section that is %(current)s cannot become %(new)s.")
            % {
                "current": section.get_status_display().lower(),
                "new": SectionStatus(status).label.lower(),
            },
            code="transition",
        )


def eligible_authors(visit: Visit):
    """NPM head and staff, and partner members on this visit's team who have a login."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True)
    team_users = TeamMember.objects.filter(visit=visit, member__user__isnull=False).values(
        "member__user"
    )
    return (
        users.filter(groups__name__in=STAFF_GROUPS) | users.filter(pk__in=team_users)
    ).distinct()


def _validate_author(visit: Visit, author) -> None:
    if author is not None and not eligible_authors(visit).filter(pk=author.pk).exists():
        raise ValidationError(
            {"author": _("The author must be NPM staff or a partner member on this visit's team.")}
        )


@transaction.atomic
def section_create(
    *,
    report: Report,
    by,
    title: str,
    kind: str = SectionKind.OTHER,
    theme=None,
    order: int | None = None,
    author=None,
    confidential: bool = False,
) -> ReportSection:
    deny_unless(can_manage_reports(by))
    report = lock_report(report)
    require_editable(report)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the section a title.")})
    _validate_author(report.visit, author)
    if order is None:
        order = max(report.sections.values_list("order", flat=True), default=0) + 10
    section = ReportSection(
        report=report,
        title=title,
        kind=kind,
        theme=theme,
        order=order,
        author=author,
        confidential=confidential,
        updated_by=by,
    )
    section.full_clean(exclude=["report", "author", "theme", "updated_by"])
    section._history_user = by
    section.save()
    if author is not None:
        section_assigned.send(sender=ReportSection, section=section, by=by)
    return section


@transaction.atomic
def section_update_settings(
    *,
    section: ReportSection,
    by,
    title: str,
    kind: str,
    theme=None,
    order: int = 0,
    author=None,
    confidential: bool = False,
) -> ReportSection:
    deny_unless(can_manage_reports(by))
    section = _lock_section(section)
    require_editable(section.report)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the section a title.")})
    if kind not in SectionKind.values:
        raise ValidationError({"kind": _("Choose a kind of section.")})
    _validate_author(section.report.visit, author)
    assigned = author is not None and author.pk != section.author_id
    section.title, section.kind, section.theme = title, kind, theme
    section.order, section.author, section.confidential = order, author, confidential
    section._history_user = by
    section.save(
        update_fields=["title", "kind", "theme", "order", "author", "confidential", "updated_at"]
    )
    if assigned:
        section_assigned.send(sender=ReportSection, section=section, by=by)
    return section


def _require_writable_text(section: ReportSection, by) -> None:
    """The report is editable; a partner author is told why their submitted or accepted
    section cannot change; then `by` must be allowed to edit it."""
    require_editable(section.report)
    if is_partner_only(by) and section.author_id == by.pk and not section.partner_editable:
        raise ValidationError(
            _("This section is %(status)s: you can change it again if it is returned to you.")
            % {"status": section.get_status_display().lower()}
        )
    deny_unless(may_edit_section(by, section))


@transaction.atomic
def section_save(*, section: ReportSection, body: str, base_version: int, by) -> ReportSection:
    """Save the text if nobody saved since `base_version`, else raise `SectionConflict`.

    The very text already saved (a form sent twice) is no conflict: nothing is lost, so the
    section is returned as it is, without a new version."""
    section = _lock_section(section)
    _require_writable_text(section, by)
    body = body.replace("\r\n", "\n")
    if error := markdown_bounds_error(body):
        raise ValidationError({"body": error})
    if section.version != base_version:
        if body == section.body:
            SectionAutosave.objects.filter(section=section, user=by).delete()
            return section
        raise SectionConflict(section)
    # The conditional update is the lock on databases without SELECT ... FOR UPDATE.
    if not ReportSection.objects.filter(pk=section.pk, version=base_version).update(
        version=F("version") + 1
    ):
        section = _lock_section(section)
        raise SectionConflict(section)
    section.body = body
    section.version = base_version + 1
    section.updated_by = by
    fields = ["body", "version", "updated_by", "updated_at"]
    if section.status in (SectionStatus.ASSIGNED, SectionStatus.RETURNED):
        section.status = SectionStatus.DRAFT
        fields.append("status")
    section._history_user = by
    section.save(update_fields=fields)
    SectionAutosave.objects.filter(section=section, user=by).delete()
    return section


@transaction.atomic
def section_autosave(*, section: ReportSection, user, body: str, base_version: int):
    """Keep the user's unsaved text; no new version, no history."""
    section = ReportSection.objects.select_related("report").get(pk=section.pk)
    _require_writable_text(section, user)
    autosave, _created = SectionAutosave.objects.update_or_create(
        section=section,
        user=user,
        defaults={"body": body.replace("\r\n", "\n"), "base_version": base_version},
    )
    return autosave


def _set_section_status(section: ReportSection, status: str, by, **fields) -> ReportSection:
    section.status = status
    for name, value in fields.items():
        setattr(section, name, value)
    section._history_user = by
    section.save(update_fields=["status", "updated_at", *fields])
    return section


@transaction.atomic
def section_submit(*, section: ReportSection, by) -> ReportSection:
    section = _lock_section(section)
    deny_unless(may_submit_section(by, section))
    require_editable(section.report)
    _require_section_transition(section, SectionStatus.SUBMITTED)
    if not section.body.strip():
        raise ValidationError(_("Write the section before submitting it."))
    section_submitted.send(sender=ReportSection, section=section, by=by)
    return _set_section_status(section, SectionStatus.SUBMITTED, by)


@transaction.atomic
def section_return(*, section: ReportSection, comment: str, by) -> ReportSection:
    section = _lock_section(section)
    deny_unless(can_manage_reports(by))
    require_editable(section.report)
    _require_section_transition(section, SectionStatus.RETURNED)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what should change: a comment is required.")})
    section_returned.send(sender=ReportSection, section=section, by=by, comment=comment)
    return _set_section_status(section, SectionStatus.RETURNED, by, review_comment=comment)


@transaction.atomic
def section_accept(*, section: ReportSection, by) -> ReportSection:
    section = _lock_section(section)
    deny_unless(can_manage_reports(by))
    require_editable(section.report)
    _require_section_transition(section, SectionStatus.ACCEPTED)
    return _set_section_status(section, SectionStatus.ACCEPTED, by)
