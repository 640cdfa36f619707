"""Reports: creating and numbering a visit's report, and one service per status change of it
(review, approval, issue). The rules for sections are in `sections`, dispatches in `dispatch`.

Who may do what is checked here (`visits.access`) as well as in the views, so that admin
actions and commands calling these services follow the same rules."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from ..access import can_create_report, can_issue_reports, can_manage_reports, deny_unless
from ..models import (
    Report,
    ReportSection,
    ReportStatus,
    SectionKind,
    SectionStatus,
    Theme,
    Visit,
    VisitStatus,
)
from ..pdf.tasks import request_render
from ..signals import report_issued, report_submitted_for_review
from .visits import visit_close, visit_start_reporting

# Report language → the Django language its section titles are written in.
UI_LANGUAGE = {"en": "en", "sr-latn": "sr-latn", "sr-cyrl": "sr"}


def require_editable(report: Report) -> None:
    if report.is_issued:
        raise ValidationError(_("Issued reports are immutable."), code="issued")
    if not report.is_editable:
        raise ValidationError(
            _("The report is approved: reopen it for review first to change it."),
            code="approved",
        )


def lock_report(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("visit__place").get(pk=report.pk)


def _require_report_transition(report: Report, status: str, *, source: str | None = None) -> None:
    # Two transitions end in review (submit from drafting, reopen from approved): `source` says
    # which one is meant.
    if not report.can_move_to(status, source=source):
        raise ValidationError(
            _("A report that is %(current)s cannot become %(new)s.")
            % {
                "current": report.get_status_display().lower(),
                "new": ReportStatus(status).label.lower(),
            },
            code="transition",
        )


def _default_sections(visit: Visit) -> list[dict]:
    themes = Theme.objects.filter(findings__visit=visit).distinct().order_by("order", "name")
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
    deny_unless(by is None or can_create_report(by))
    visit = Visit.objects.select_for_update().select_related("place").get(pk=visit.pk)
    if not visit.took_place:
        raise ValidationError(
            _("A report can be written once the visit is conducted (this one is %(status)s).")
            % {"status": visit.get_status_display().lower()}
        )
    if Report.objects.filter(visit=visit).exists():
        raise ValidationError(_("This visit already has a report."))
    if language not in UI_LANGUAGE:
        raise ValidationError({"language": _("Choose a language of the report.")})
    with translation.override(UI_LANGUAGE[language]):
        place = visit.place.display_name  # in the report's language, as the title
        title = title.strip() or _("Report on the visit to %(place)s") % {"place": place}
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
    deny_unless(can_manage_reports(by))
    report = lock_report(report)
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
    deny_unless(can_manage_reports(by))
    report = lock_report(report)
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
    report_submitted_for_review.send(sender=Report, report=report, by=by)
    return _set_report_status(report, ReportStatus.IN_REVIEW, by)


@transaction.atomic
def report_return_to_drafting(*, report: Report, by, comment: str = "") -> Report:
    deny_unless(can_manage_reports(by))
    report = lock_report(report)
    _require_report_transition(report, ReportStatus.DRAFTING)
    return _set_report_status(report, ReportStatus.DRAFTING, by, reason=comment.strip()[:100])


@transaction.atomic
def report_approve(*, report: Report, by) -> Report:
    deny_unless(can_issue_reports(by))
    report = lock_report(report)
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
    deny_unless(can_issue_reports(by))
    report = lock_report(report)
    _require_report_transition(report, ReportStatus.IN_REVIEW, source=ReportStatus.APPROVED)
    return _set_report_status(
        report, ReportStatus.IN_REVIEW, by, approved_by=None, approved_at=None
    )


@transaction.atomic
def report_issue(*, report: Report, by, issued_on: dt.date | None = None) -> Report:
    """Issue the approved report: from now on it is immutable; its PDF is frozen.

    The frozen PDF and the public version are rendered by a render job queued here and run
    once this transaction commits, outside it and (but for the "inline" runner) outside the
    request: see `visits.pdf.tasks`. Until the job is done the report is issued without them.

    `issued_on` is the date on the signed report: today unless an earlier date is given (a
    report issued on paper before it was entered here)."""
    deny_unless(can_issue_reports(by))
    report = lock_report(report)
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
    request_render(report=report, kind="issued", by=by)
    report_issued.send(sender=Report, report=report)
    return report
