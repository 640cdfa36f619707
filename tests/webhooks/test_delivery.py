"""Delivery: one attempt per task, retries with backoff (1 min, 5 min, 30 min, 2 h, 8 h) on any
failure, failed after the last; nothing posted from a web request without a broker; a failing
endpoint never breaks the service that raised the event."""

import datetime as dt

import time_machine
from django.core.management import call_command
from django.utils import timezone

from npm_portal.webhooks import services
from npm_portal.webhooks.models import DeliveryStatus, WebhookDelivery
from npm_portal.webhooks.services import MAX_ATTEMPTS, RETRY_DELAYS
from npm_portal.webhooks.tasks import deliver_webhook
from recommendations.services import assessment_record
from tests.factories.visits import local
from tests.recommendations.compliance_helpers import issued_case

START = local(2026, 5, 4, 10, 0)


def test_a_500_schedules_a_retry_with_backoff_and_the_next_attempt_succeeds(
    subscription, receiver, head
):
    receiver.script = [500]
    with time_machine.travel(START, tick=False):
        delivery = services.subscription_ping(subscription=subscription, by=head)
        services.delivery_attempt(delivery_pk=delivery.pk)
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
        assert delivery.last_status_code == 500
        assert delivery.last_error == "The endpoint answered 500."
        assert delivery.response_excerpt == "thanks"
        assert delivery.next_attempt_at == START + dt.timedelta(minutes=1)
        # Not due yet: the sweep leaves it, and a stray task does nothing.
        assert services.deliveries_due() == []
        assert services.delivery_attempt(delivery_pk=delivery.pk) is None
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        call_command("deliver_webhooks", verbosity=0)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        DeliveryStatus.SUCCEEDED,
        2,
        204,
    )
    assert delivery.next_attempt_at is None
    # The same webhook-id both times (the receiver's idempotency key), each attempt signed anew.
    first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == delivery.event_id
    assert int(second.headers["webhook-timestamp"]) - int(first.headers["webhook-timestamp"]) == 60


def test_after_the_last_attempt_the_delivery_has_failed(subscription, receiver, head):
    receiver.script = [500] * 10
    at = START
    with time_machine.travel(at, tick=False):
        delivery = services.subscription_ping(subscription=subscription, by=head)
    waits = []
    for _attempt in range(MAX_ATTEMPTS):
        with time_machine.travel(at, tick=False):
            assert services.deliveries_due() == [delivery.pk]
            call_command("deliver_webhooks", verbosity=0)
        delivery.refresh_from_db()
        if delivery.next_attempt_at is not None:
            waits.append(delivery.next_attempt_at - at)
            at = delivery.next_attempt_at
    assert waits == RETRY_DELAYS
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == MAX_ATTEMPTS == 6
    assert delivery.next_attempt_at is None
    assert len(receiver.received) == 6
    with time_machine.travel(at + dt.timedelta(days=2), tick=False):
        assert services.deliveries_due() == []


def test_a_connection_error_and_a_redirect_are_failures_too(subscription, receiver, head, settings):
    receiver.script = [302]
    delivery = services.subscription_ping(subscription=subscription, by=head)
    services.delivery_attempt(delivery_pk=delivery.pk)
    delivery.refresh_from_db()
    # The redirect was not followed: one request, and a retry is due.
    assert (delivery.status, delivery.last_status_code, len(receiver.received)) == (
        DeliveryStatus.PENDING,
        302,
        1,
    )
    receiver.stop()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    services.delivery_attempt(delivery_pk=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempts == 2
    assert delivery.last_status_code is None
    assert "ConnectionRefusedError" in delivery.last_error
    receiver.start()  # for the fixture's teardown


def test_redeliver_sends_a_failed_delivery_again_with_the_same_id(subscription, receiver, head):
    delivery = services.subscription_ping(subscription=subscription, by=head)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED, attempts=6, next_attempt_at=None
    )
    services.delivery_redeliver(delivery=delivery, by=head)
    call_command("deliver_webhooks", verbosity=0)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SUCCEEDED, 1)
    assert receiver.received[0].headers["webhook-id"] == delivery.event_id


def test_without_a_broker_the_service_posts_nothing_itself(subscription, receiver, compliance):
    # CELERY_TASK_ALWAYS_EAGER (no broker, `make run`): the event waits for deliver_webhooks.
    receiver.script = [500]
    _visit, _institution, _ministry, [recommendation, _] = issued_case()
    assessment_record(
        recommendation=recommendation,
        status="implemented",
        basis="other",
        assessed_on=dt.date(2025, 11, 1),
        by=compliance,
    )
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)
    assert receiver.received == []
    call_command("deliver_webhooks", verbosity=0)
    assert len(receiver.received) == 1


def test_a_failing_endpoint_does_not_break_the_service_with_a_broker(
    subscription, receiver, compliance, settings, django_capture_on_commit_callbacks, monkeypatch
):
    # With a broker the first attempt is queued on commit; here a "worker" runs it at once.
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(deliver_webhook, "delay", lambda pk: deliver_webhook.apply(args=(pk,)))
    receiver.script = [500]
    _visit, _institution, _ministry, [recommendation, _] = issued_case()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assessed = assessment_record(
            recommendation=recommendation,
            status="implemented",
            basis="other",
            assessed_on=dt.date(2025, 11, 1),
            by=compliance,
        )
    # One delivery queued (the others are the cached figures' invalidation, recommendations.cache).
    queued = [c for c in callbacks if getattr(c, "__name__", "") != "_bump"]
    assert len(queued) == 1
    recommendation.refresh_from_db()
    assert recommendation.status == "implemented" == assessed.status
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        DeliveryStatus.PENDING,
        1,
        500,
    )
    assert len(receiver.received) == 1


def test_an_inactive_subscription_gets_nothing(subscription, receiver, head, compliance):
    services.subscription_update(
        subscription=subscription,
        name=subscription.name,
        url=subscription.url,
        events=subscription.events,
        active=False,
        by=head,
    )
    _visit, _institution, _ministry, [recommendation, _] = issued_case()
    assessment_record(
        recommendation=recommendation,
        status="implemented",
        basis="other",
        assessed_on=dt.date(2025, 11, 1),
        by=compliance,
    )
    assert not WebhookDelivery.objects.exists()
