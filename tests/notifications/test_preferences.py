"""E-mail preferences: immediate (the default), daily digest, off. Notifications always appear
in the app; the digest is one e-mail a day with references and links only."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from core.roles import Role
from npm_portal.notifications.models import Delivery, Kind, Notification, NotificationPreference
from npm_portal.notifications.services import digest_send, notification_create, preference_set
from tests.factories import UserFactory
from tests.factories.visits import ReportFactory
from visits.models import Report
from visits.signals import report_submitted_for_review

pytestmark = pytest.mark.django_db


def _notify(user, capture, n: int = 1) -> None:
    with capture(execute=True):
        for index in range(n):
            notification_create(
                recipient=user,
                kind=Kind.APPROVAL_NEEDED,
                title=f"Report NPM-2026-00{index} awaits your approval",
                reference=f"NPM-2026-00{index}",
                url=f"/visits/{index}/report/",
            )


def test_immediate_is_the_default(staff, django_capture_on_commit_callbacks):
    _notify(staff, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[staff.email]]
    assert not NotificationPreference.objects.exists()


def test_digest_sends_one_mail_a_day_with_every_reference(
    staff, django_capture_on_commit_callbacks
):
    preference_set(user=staff, delivery=Delivery.DIGEST)
    _notify(staff, django_capture_on_commit_callbacks, n=3)
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=staff).count() == 3
    assert digest_send() == 1
    [message] = mail.outbox
    assert message.to == [staff.email]
    for index in range(3):
        assert f"NPM-2026-00{index}" in message.body
        assert f"/visits/{index}/report/" in message.body
    assert "awaits your approval" not in message.body  # the kind and reference, not titles
    # Sent once: the next day's digest has nothing for them.
    mail.outbox.clear()
    call_command("send_notification_digest", verbosity=0)
    assert mail.outbox == []


def test_off_sends_no_mail_but_keeps_the_notifications(staff, django_capture_on_commit_callbacks):
    preference_set(user=staff, delivery=Delivery.OFF)
    _notify(staff, django_capture_on_commit_callbacks, n=2)
    assert digest_send() == 0
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=staff, read_at=None).count() == 2


def test_switching_from_digest_to_off_drops_the_pending_mail(
    staff, django_capture_on_commit_callbacks
):
    preference_set(user=staff, delivery=Delivery.DIGEST)
    _notify(staff, django_capture_on_commit_callbacks)
    preference_set(user=staff, delivery=Delivery.OFF)
    assert digest_send() == 0
    assert mail.outbox == []


def test_settings_page_saves_the_choice(staff_client, staff):
    url = reverse("notifications:settings")
    page = staff_client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["delivery"] == Delivery.IMMEDIATE
    assert page.context["form"].initial["language"] == "en"  # the site's (LANGUAGE_CODE)
    response = staff_client.post(url, {"delivery": Delivery.DIGEST, "language": "sr"})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=staff)
    assert (preference.delivery, preference.language) == (Delivery.DIGEST, "sr")
    for bad in ({"delivery": "weekly", "language": "sr"}, {"delivery": "off", "language": "de"}):
        refused = staff_client.post(url, bad)
        assert refused.status_code == 200
        assert refused.context["form"].errors  # shown next to the field
    preference.refresh_from_db()
    assert (preference.delivery, preference.language) == (Delivery.DIGEST, "sr")
    assert staff_client.get(url).context["form"].initial["language"] == "sr"


def test_notifications_are_written_in_the_recipients_language(
    head, staff, django_capture_on_commit_callbacks
):
    """The head chose Serbian Cyrillic; the staff member acts in English. The notification in
    the app, the e-mail's subject and its body are in Cyrillic; the site's language (English)
    stays for whoever chose nothing."""
    preference_set(user=head, delivery=Delivery.IMMEDIATE, language="sr")
    deputy = UserFactory(username="deputy", roles=[Role.HEAD], email="")
    report = ReportFactory(reference="NPM-2026-042")
    # What `report_submit_for_review` sends, in a staff member's English request.
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        report_submitted_for_review.send(sender=Report, report=report, by=staff)
    notification = Notification.objects.get(recipient=head)
    assert notification.title == "Извештај NPM-2026-042 чека ваше одобрење"
    assert Notification.objects.get(recipient=deputy).title == (
        "Report NPM-2026-042 awaits your approval"
    )
    (message,) = mail.outbox
    assert message.subject == "Извештај чека одобрење: NPM-2026-042"
    assert "Отворите га на порталу (после пријаве):" in message.body
    assert "Open it" not in message.body


def test_the_digest_is_written_in_the_recipients_language(
    staff, django_capture_on_commit_callbacks
):
    preference_set(user=staff, delivery=Delivery.DIGEST, language="sr-latn")
    _notify(staff, django_capture_on_commit_callbacks, n=2)
    assert digest_send() == 1
    (message,) = mail.outbox
    assert message.subject == "Vaša današnja obaveštenja: 2"
    # Changing only the delivery keeps the language.
    preference_set(user=staff, delivery=Delivery.OFF)
    assert NotificationPreference.objects.get(user=staff).language == "sr-latn"
