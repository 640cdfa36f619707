"""Report drafting and review: one service per status change of a report or a section, the
optimistic lock on section text, autosaves, and dispatches of the issued report.

Who may do what is checked here as well as in the views, so that admin actions and commands
calling these services follow the same rules."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from . import signals
from .models import (
    PARTNER_EDITABLE,
    Authority,
    Dispatch,
    Report,
    ReportSection,
    ReportStatus,
    SectionAutosave,
    SectionKind,
    SectionStatus,
    TeamMember,
    Visit,
    VisitStatus,
    is_partner_only,
)
from .services import visit_close, visit_start_reporting

# Reports may be written once the visit took place.
REPORTABLE_VISIT_STATUSES = {VisitStatus.CONDUCTED, VisitStatus.REPORTING, VisitStatus.CLOSED}
# The report, its sections and their text change only in these states.
EDITABLE_REPORT_STATUSES = {ReportStatus.DRAFTING, ReportStatus.IN_REVIEW}
# Report language → the Django language its section titles are written in.
UI_LANGUAGE = {"en": "en", "sr-latn": "sr-latn", "sr-cyrl": "sr"}


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


# --- Who may do what ----------------------------------------------------------------------------


# NPM users who may author any section (group names: `visits` does not import npm_portal.roles).
REPORT_AUTHOR_GROUPS = ["NPM head", "NPM staff"]


def can_manage_reports(user) -> bool:
    """NPM head and staff: create reports, edit any section, review."""
    return user.has_perm("visits.change_reportsection") and not is_partner_only(user)


def can_issue_reports(user) -> bool:
    return user.has_perm("visits.issue_report") and not is_partner_only(user)


def can_see_section_text(user, section: ReportSection) -> bool:
    """NPM roles read every section; a partner only the sections they write (the others may
    hold confidential material)."""
    if is_partner_only(user):
        return section.author_id == user.pk
    return user.has_perm("visits.view_reportsection")


def may_edit_section(user, section: ReportSection) -> bool:
    """By role and section state only; the report's own state is checked by `require_editable`."""
    if can_manage_reports(user):
        return True
    return (
        is_partner_only(user)
        and section.author_id == user.pk
        and section.status in PARTNER_EDITABLE
    )


def require_editable(report: Report) -> None:
    if report.status == ReportStatus.ISSUED:
        raise ValidationError(_("Issued reports are immutable."), code="issued")
    if report.status not in EDITABLE_REPORT_STATUSES:
        raise ValidationError(
            _("The report is approved: reopen it for review first to change it."),
            code="approved",
        )


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _locked_report(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("visit__place").get(pk=report.pk)


def _locked_section(section: ReportSection) -> ReportSection:
    section = ReportSection.objects.select_for_update().get(pk=section.pk)
    section.report = Report.objects.select_related("visit").get(pk=section.report_id)
    return section


def _require_report_transition(report: Report, status: str, *, source: str | None = None) -> None:
    # Two transitions end in review (submit from drafting, reopen from approved): `source` says
    # which one is meant.
    if status not in Report.TRANSITIONS[report.status] or source not in (None, report.status):
        raise ValidationError(
            _("A report that is %(current)s cannot become %(new)s.")
            % {
                "current": report.get_status_display().lower(),
                "new": ReportStatus(status).label.lower(),
            },
            code="transition",
        )


def _require_section_transition(section: ReportSection, status: str) -> None:
    if status not in ReportSection.TRANSITIONS[section.status]:
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
        users.filter(groups__name__in=REPORT_AUTHOR_GROUPS) | users.filter(pk__in=team_users)
    ).distinct()


def _validate_author(visit: Visit, author) -> None:
    if author is not None and not eligible_authors(visit).filter(pk=author.pk).exists():
        raise ValidationError(
            {"author": _("The author must be NPM staff or a partner member on this visit's team.")}
        )


# --- Reports ------------------------------------------------------------------------------------


def _default_sections(visit: Visit) -> list[dict]:
    from django.apps import apps

    theme_model = apps.get_model("recommendations", "Theme")
    themes = theme_model.objects.filter(findings__visit=visit).distinct().order_by("order", "name")
    sections = [
        {"kind": SectionKind.INTRODUCTION, "title": _("Introduction and methodology")},
        {"kind": SectionKind.PLACE, "title": _("The place and its population")},
    ]
    sections += [
        {
            "kind": SectionKind.FINDINGS,
            "theme": theme,
            "title": _("Findings: %(theme)s") % {"theme": theme.label},
        }
        for theme in themes
    ]
    sections += [
        {"kind": SectionKind.GOOD_PRACTICE, "title": _("Good practices")},
        {"kind": SectionKind.RECOMMENDATIONS, "title": _("Recommendations")},
    ]
    return sections


def _next_report_number(year: int) -> int:
    return Report.objects.filter(visit__year=year).count() + 1


@transaction.atomic
def report_create(*, visit: Visit, by, language: str = "en", title: str = "") -> Report:
    """The visit's report with the next reference of its year and the default sections; a
    conducted visit moves on to reporting."""
    _require(by is None or (by.has_perm("visits.add_report") and not is_partner_only(by)))
    visit = Visit.objects.select_for_update().select_related("place").get(pk=visit.pk)
    if visit.status not in REPORTABLE_VISIT_STATUSES:
        raise ValidationError(
            _("A report can be written once the visit is conducted (this one is %(status)s).")
            % {"status": visit.get_status_display().lower()}
        )
    if Report.objects.filter(visit=visit).exists():
        raise ValidationError(_("This visit already has a report."))
    if language not in UI_LANGUAGE:
        raise ValidationError({"language": _("Choose a language of the report.")})
    with translation.override(UI_LANGUAGE[language]):
        title = title.strip() or _("Report on the visit to %(place)s") % {"place": visit.place.name}
        defaults = _default_sections(visit)
    number = _next_report_number(visit.year)
    # Two reports of the same year created at once: the unique reference makes one retry.
    for _attempt in range(50):
        reference = settings.NPM_REPORT_REFERENCE_PATTERN.format(year=visit.year, number=number)
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    visit=visit, reference=reference, title=title, language=language, created_by=by
                )
            break
        except IntegrityError:
            if Report.objects.filter(visit=visit).exists():
                raise ValidationError(_("This visit already has a report.")) from None
            number += 1
    else:  # pragma: no cover - fifty collisions in a row
        raise ValidationError(_("Could not number the report; try again."))
    bulk_create_with_history(
        [
            ReportSection(report=report, order=(index + 1) * 10, updated_by=by, **section)
            for index, section in enumerate(defaults)
        ],
        ReportSection,
        default_user=by,
    )
    if visit.status == VisitStatus.CONDUCTED:
        visit_start_reporting(visit=visit)
    return report


@transaction.atomic
def report_update(*, report: Report, by, title: str, language: str) -> Report:
    _require(can_manage_reports(by))
    report = _locked_report(report)
    require_editable(report)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the report a title.")})
    if language not in UI_LANGUAGE:
        raise ValidationError({"language": _("Choose a language of the report.")})
    report.title, report.language = title, language
    report._history_user = by
    report.save(update_fields=["title", "language", "updated_at"])
    return report


def _set_report_status(report: Report, status: str, by, reason: str = "", **fields) -> Report:
    report.status = status
    for name, value in fields.items():
        setattr(report, name, value)
    report._history_user = by
    if reason:
        report._change_reason = reason
    report.save(update_fields=["status", "updated_at", *fields])
    return report


@transaction.atomic
def report_submit_for_review(*, report: Report, by) -> Report:
    _require(can_manage_reports(by))
    report = _locked_report(report)
    _require_report_transition(report, ReportStatus.IN_REVIEW, source=ReportStatus.DRAFTING)
    sections = list(report.sections.all())
    if not sections:
        raise ValidationError(_("The report has no sections."))
    waiting = [
        s.title
        for s in sections
        if s.status not in (SectionStatus.SUBMITTED, SectionStatus.ACCEPTED)
    ]
    if waiting:
        raise ValidationError(
            _("Every section must be submitted or accepted first; still open: %(titles)s.")
            % {"titles": ", ".join(waiting)}
        )
    return _set_report_status(report, ReportStatus.IN_REVIEW, by)


@transaction.atomic
def report_return_to_drafting(*, report: Report, by, comment: str = "") -> Report:
    _require(can_manage_reports(by))
    report = _locked_report(report)
    _require_report_transition(report, ReportStatus.DRAFTING)
    return _set_report_status(report, ReportStatus.DRAFTING, by, reason=comment.strip()[:100])


@transaction.atomic
def report_approve(*, report: Report, by) -> Report:
    _require(can_issue_reports(by))
    report = _locked_report(report)
    _require_report_transition(report, ReportStatus.APPROVED)
    waiting = [s.title for s in report.sections.exclude(status=SectionStatus.ACCEPTED)]
    if waiting:
        raise ValidationError(
            _("Every section must be accepted before approval; not yet: %(titles)s.")
            % {"titles": ", ".join(waiting)}
        )
    return _set_report_status(
        report, ReportStatus.APPROVED, by, approved_by=by, approved_at=timezone.now()
    )


@transaction.atomic
def report_reopen(*, report: Report, by) -> Report:
    _require(can_issue_reports(by))
    report = _locked_report(report)
    _require_report_transition(report, ReportStatus.IN_REVIEW, source=ReportStatus.APPROVED)
    return _set_report_status(
        report, ReportStatus.IN_REVIEW, by, approved_by=None, approved_at=None
    )


@transaction.atomic
def report_issue(*, report: Report, by, issued_on: dt.date | None = None) -> Report:
    """Issue the approved report: from now on it is immutable; its PDF is frozen.

    `issued_on` is the date on the signed report: today unless an earlier date is given (a
    report issued on paper before it was entered here)."""
    from .rendering import request_render

    _require(can_issue_reports(by))
    report = _locked_report(report)
    _require_report_transition(report, ReportStatus.ISSUED)
    now = timezone.now()
    today = timezone.localdate(now)
    issued_on = issued_on or today
    if issued_on > today:
        raise ValidationError({"issued_on": _("The date cannot be in the future.")})
    visit_end = report.visit.actual_end or report.visit.planned_end
    if visit_end and issued_on < timezone.localdate(visit_end):
        raise ValidationError({"issued_on": _("A report cannot be issued before the visit ended.")})
    report = _set_report_status(
        report,
        ReportStatus.ISSUED,
        by,
        issued_by=by,
        issued_at=now,
        issued_on=issued_on,
    )
    # The report was the last step of the visit itself; follow-up continues on the
    # recommendations.
    if report.visit.status == VisitStatus.REPORTING:
        report.visit = visit_close(visit=report.visit)
    signals.report_issued.send(sender=Report, report=report)
    request_render(report=report, kind="issued", by=by)
    return report


# --- Sections -----------------------------------------------------------------------------------


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
    _require(can_manage_reports(by))
    report = _locked_report(report)
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
    _require(can_manage_reports(by))
    section = _locked_section(section)
    require_editable(section.report)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the section a title.")})
    if kind not in SectionKind.values:
        raise ValidationError({"kind": _("Choose a kind of section.")})
    _validate_author(section.report.visit, author)
    section.title, section.kind, section.theme = title, kind, theme
    section.order, section.author, section.confidential = order, author, confidential
    section._history_user = by
    section.save(
        update_fields=["title", "kind", "theme", "order", "author", "confidential", "updated_at"]
    )
    return section


def _require_text_editor(section: ReportSection, by) -> None:
    require_editable(section.report)
    if (
        is_partner_only(by)
        and section.author_id == by.pk
        and section.status not in PARTNER_EDITABLE
    ):
        raise ValidationError(
            _("This section is %(status)s: you can change it again if it is returned to you.")
            % {"status": section.get_status_display().lower()}
        )
    _require(may_edit_section(by, section))


@transaction.atomic
def section_save(*, section: ReportSection, body: str, base_version: int, by) -> ReportSection:
    """Save the text if nobody saved since `base_version`, else raise `SectionConflict`.

    The very text already saved (a form sent twice) is no conflict: nothing is lost, so the
    section is returned as it is, without a new version."""
    section = _locked_section(section)
    _require_text_editor(section, by)
    body = body.replace("\r\n", "\n")
    if section.version != base_version:
        if body == section.body:
            SectionAutosave.objects.filter(section=section, user=by).delete()
            return section
        raise SectionConflict(section)
    # The conditional update is the lock on databases without SELECT ... FOR UPDATE.
    if not ReportSection.objects.filter(pk=section.pk, version=base_version).update(
        version=F("version") + 1
    ):
        section = _locked_section(section)
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
    _require_text_editor(section, user)
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
    section = _locked_section(section)
    _require(can_manage_reports(by) or (section.author_id and section.author_id == by.pk))
    require_editable(section.report)
    _require_section_transition(section, SectionStatus.SUBMITTED)
    if not section.body.strip():
        raise ValidationError(_("Write the section before submitting it."))
    return _set_section_status(section, SectionStatus.SUBMITTED, by)


@transaction.atomic
def section_return(*, section: ReportSection, comment: str, by) -> ReportSection:
    section = _locked_section(section)
    _require(can_manage_reports(by))
    require_editable(section.report)
    _require_section_transition(section, SectionStatus.RETURNED)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what should change: a comment is required.")})
    return _set_section_status(section, SectionStatus.RETURNED, by, review_comment=comment)


@transaction.atomic
def section_accept(*, section: ReportSection, by) -> ReportSection:
    section = _locked_section(section)
    _require(can_manage_reports(by))
    require_editable(section.report)
    _require_section_transition(section, SectionStatus.ACCEPTED)
    return _set_section_status(section, SectionStatus.ACCEPTED, by)


# --- Dispatch -----------------------------------------------------------------------------------


def suggested_addressees(report: Report) -> list[Authority]:
    """The place's authority and its ancestors (e.g. the ministry), nearest first."""
    chain, authority, seen = [], report.visit.place.authority, set()
    while authority is not None and authority.pk not in seen:
        chain.append(authority)
        seen.add(authority.pk)
        authority = authority.parent
    return chain


@transaction.atomic
def dispatch_record(
    *, report: Report, authority: Authority, sent_on: dt.date, reference: str, channel: str, by
) -> Dispatch:
    _require(by is None or (by.has_perm("visits.add_dispatch") and not is_partner_only(by)))
    report = _locked_report(report)
    if report.status != ReportStatus.ISSUED:
        raise ValidationError(_("Only an issued report can be dispatched."))
    if report.dispatches.filter(authority=authority).exists():
        raise ValidationError(
            {"authority": _("The report was already sent to %(name)s.") % {"name": authority}}
        )
    if report.issued_on and sent_on < report.issued_on:
        raise ValidationError(
            {
                "sent_on": _("The report was issued on %(date)s: it cannot be sent before.")
                % {"date": report.issued_on.isoformat()}
            }
        )
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": _("The date cannot be in the future.")})
    if channel not in Dispatch.Channel.values:
        raise ValidationError({"channel": _("Choose how the report was sent.")})
    dispatch = Dispatch(
        report=report,
        authority=authority,
        sent_on=sent_on,
        reference=reference.strip(),
        channel=channel,
        recorded_by=by,
    )
    dispatch._history_user = by
    dispatch.save()
    signals.report_dispatched.send(sender=Dispatch, dispatch=dispatch)
    return dispatch
