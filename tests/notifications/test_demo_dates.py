"""The demo's notifications as they would be by now (npm_portal.demo.notifications): dated on
the day of the issue, read where old or where the work is done, unread where it still waits."""

import datetime as dt

from django.utils import timezone

from npm_portal.demo import notifications as demo_notifications
from npm_portal.notifications.models import Kind, Notification
from tests.factories import UserFactory
from tests.factories.visits import ReportFactory
from visits.models import ReportStatus


def _notify(user, report, kind=Kind.REPORT_ISSUED) -> Notification:
    return Notification.objects.create(
        recipient=user,
        kind=kind,
        title=f"About {report.reference}",
        reference=report.reference,
        url=report.get_absolute_url(),
        visit=report.visit,
    )


def _issued(days_ago: int):
    issued_on = timezone.localdate() - dt.timedelta(days=days_ago)
    return ReportFactory(status=ReportStatus.ISSUED, issued_at=timezone.now(), issued_on=issued_on)


def test_notifications_are_dated_and_read_as_they_would_be_by_now(db):
    user = UserFactory(username="demo-staff")
    old_report, recent_report = _issued(400), _issued(3)
    old = _notify(user, old_report)
    old_request = _notify(user, old_report, Kind.APPROVAL_NEEDED)
    recent = _notify(user, recent_report)
    approved = _notify(user, ReportFactory(status=ReportStatus.APPROVED), Kind.APPROVAL_NEEDED)
    waiting = _notify(user, ReportFactory(status=ReportStatus.IN_REVIEW), Kind.APPROVAL_NEEDED)
    drafting = _notify(user, ReportFactory(), Kind.SECTION_ASSIGNED)

    assert demo_notifications.load() == {"notifications brought up to date": 4}
    for row in (old, old_request, recent, approved, waiting, drafting):
        row.refresh_from_db()
    assert timezone.localdate(old.created_at) == old_report.issued_on
    assert old.read_at == old.created_at
    assert old_request.read_at is not None
    assert timezone.localdate(recent.created_at) == recent_report.issued_on
    assert recent.read_at is None  # three days ago: still news
    assert approved.read_at is not None  # approved since: nothing to do
    assert waiting.read_at is None
    assert drafting.read_at is None
    # Loading again changes nothing.
    assert demo_notifications.load() == {"notifications brought up to date": 0}
