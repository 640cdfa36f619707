"""With Celery configured, a notification's e-mail goes through the broker to a real worker (in
a thread, against Redis on 127.0.0.1:6379, its own database purged first: the fixture of
tests/webhooks/test_real_worker.py), not inline in the request."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from npm_portal.celery import app
from npm_portal.notifications.models import Kind, Notification
from tests.webhooks.test_real_worker import broker  # noqa: F401  (the fixture)
from visits.services import section_create


@pytest.mark.django_db(transaction=True)
def test_the_assignment_mail_is_sent_by_the_worker(broker, case):  # noqa: F811 (fixture)
    mail.outbox.clear()
    section_create(report=case.report, by=case.staff, title="Health care", author=case.partner)
    notification = Notification.objects.get(recipient=case.partner)
    assert notification.kind == Kind.SECTION_ASSIGNED
    # Queued, not sent: nothing is sent in the request's own thread.
    assert notification.emailed_at is None
    assert mail.outbox == []
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        for _poll in range(300):
            notification.refresh_from_db()
            if notification.emailed_at is not None:
                break
            time.sleep(0.1)
    assert notification.emailed_at is not None, "the worker sent nothing"
    [message] = [m for m in mail.outbox if case.partner.email in m.to]
    assert case.report.reference in message.subject
    assert "Health care" not in message.subject + message.body
