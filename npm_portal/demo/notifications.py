"""The demo's notifications as a user would have them. Loading the demo takes a decade of
reports through drafting, review and issue in a few seconds, and each step tells someone, so
each notification is set to what it would be by now:

- about a report since issued: dated on the day of the issue (`issued_on`, noon), and read if
  that was more than a month ago;
- an approval request for a report no longer in review, or a submitted section of a report
  past drafting: read (the work it asked for is done).

What still waits (a partner's assigned section, a report in review) stays unread."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from npm_portal.notifications.models import Kind, Notification
from visits.models import ReportStatus

READ_AFTER = dt.timedelta(days=30)


def _issue_time(report) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(report.issued_on, dt.time(12)))


def _done(notification, report) -> bool:
    if notification.kind == Kind.APPROVAL_NEEDED:
        return report.status != ReportStatus.IN_REVIEW
    if notification.kind == Kind.SECTION_SUBMITTED:
        return report.status != ReportStatus.DRAFTING
    return False


def load() -> dict[str, int]:
    now = timezone.now()
    changed = 0
    rows = Notification.objects.filter(visit__report__isnull=False).select_related("visit__report")
    for notification in rows:
        report = notification.visit.report
        created_at, read_at = notification.created_at, notification.read_at
        if report.status == ReportStatus.ISSUED and report.issued_on:
            created_at = min(created_at, _issue_time(report))
            if now - created_at > READ_AFTER:
                read_at = read_at or created_at
        elif _done(notification, report):
            read_at = read_at or created_at
        if (created_at, read_at) != (notification.created_at, notification.read_at):
            notification.created_at, notification.read_at = created_at, read_at
            notification.save(update_fields=["created_at", "read_at"])
            changed += 1
    return {"notifications brought up to date": changed}
