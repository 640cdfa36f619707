"""Receivers of the events of `visits` (sent by its services inside their transaction): each
works out who is concerned and calls `services.notify`, which writes the notifications in the
sender's transaction and e-mails once it commits (a rolled-back change tells nobody).

- `section_assigned(section, by)` → the section's author
- `section_returned(section, by, comment)` → the author, with the comment (in the app only)
- `section_submitted(section, by)` → NPM staff on the visit's team and the report's author
  (all NPM staff when the team has none)
- `report_submitted_for_review(report, by)` → the NPM head(s): approval needed
- `report_issued(report)` → the visit's team (staff and partner members with a login) and the
  report's author

Overdue responses are not an event of a service: `overdue.responses_overdue_notify` runs daily
with the digest (see `tasks.send_digest`).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from core.roles import STAFF_GROUPS, Role
from visits.models import Report, ReportSection
from visits.signals import (
    report_issued,
    report_submitted_for_review,
    section_assigned,
    section_returned,
    section_submitted,
)

from .models import Kind
from .services import notify


def _section_fields(section: ReportSection) -> dict:
    report = section.report
    return {
        "reference": report.reference,
        "url": reverse("visits:section_edit", args=[report.visit_id, section.pk]),
        "visit": report.visit,
    }


def _team_users(visit_id: int, *, staff_only: bool = False) -> list:
    users = get_user_model().objects.filter(is_active=True)
    on_team = users.filter(visit_teams__visit_id=visit_id)
    if staff_only:
        return list(on_team.filter(groups__name__in=STAFF_GROUPS).distinct())
    partners = users.filter(partner_member__team_memberships__visit_id=visit_id)
    return list((on_team | partners).distinct())


@receiver(section_assigned, dispatch_uid="notifications_section_assigned")
def on_section_assigned(sender, section, by, **kwargs) -> None:
    notify(
        [section.author],
        by=by,
        kind=Kind.SECTION_ASSIGNED,
        title=lambda: (
            _("Section “%(title)s” of report %(report)s was assigned to you")
            % {"title": section.title, "report": section.report.reference}
        ),
        **_section_fields(section),
    )


@receiver(section_returned, dispatch_uid="notifications_section_returned")
def on_section_returned(sender, section, by, comment: str = "", **kwargs) -> None:
    notify(
        [section.author],
        by=by,
        kind=Kind.SECTION_RETURNED,
        title=lambda: (
            _("Section “%(title)s” of report %(report)s was returned to you")
            % {"title": section.title, "report": section.report.reference}
        ),
        detail=comment,
        **_section_fields(section),
    )


@receiver(section_submitted, dispatch_uid="notifications_section_submitted")
def on_section_submitted(sender, section, by, **kwargs) -> None:
    report = section.report
    recipients = _team_users(report.visit_id, staff_only=True)
    if report.created_by_id:
        recipients.append(report.created_by)
    if not recipients:
        recipients = list(
            get_user_model().objects.filter(is_active=True, groups__name=Role.STAFF.value)
        )
    notify(
        recipients,
        by=by,
        kind=Kind.SECTION_SUBMITTED,
        title=lambda: (
            _("Section “%(title)s” of report %(report)s was submitted for review")
            % {"title": section.title, "report": report.reference}
        ),
        **_section_fields(section),
    )


def _report_fields(report: Report) -> dict:
    return {
        "reference": report.reference,
        "url": reverse("visits:report_detail", args=[report.visit_id]),
        "visit": report.visit,
    }


@receiver(report_submitted_for_review, dispatch_uid="notifications_report_review")
def on_report_submitted_for_review(sender, report, by, **kwargs) -> None:
    heads = get_user_model().objects.filter(is_active=True, groups__name=Role.HEAD.value)
    notify(
        heads,
        by=by,
        kind=Kind.APPROVAL_NEEDED,
        title=lambda: _("Report %(report)s awaits your approval") % {"report": report.reference},
        **_report_fields(report),
    )


@receiver(report_issued, dispatch_uid="notifications_report_issued")
def on_report_issued(sender, report, **kwargs) -> None:
    recipients = _team_users(report.visit_id)
    if report.created_by_id:
        recipients.append(report.created_by)
    notify(
        recipients,
        by=report.issued_by,
        kind=Kind.REPORT_ISSUED,
        title=lambda: _("Report %(report)s was issued") % {"report": report.reference},
        **_report_fields(report),
    )
