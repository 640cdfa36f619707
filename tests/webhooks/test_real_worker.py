"""A real Celery worker (in a thread, against Redis on 127.0.0.1:6379) delivers an event raised
by a service to the spec-written receiver: the task goes through the broker, not inline.

Redis runs in CI (.ci/run starts it) and locally. The test uses its own Redis database and
purges it first, so nobody else's tasks are picked up."""

import datetime as dt
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connections
from kombu import pools

from npm_portal.celery import app
from npm_portal.webhooks import services
from npm_portal.webhooks.models import DeliveryStatus, WebhookDelivery
from recommendations.services import assessment_record
from tests.recommendations.compliance_helpers import issued_case

BROKER = "redis://127.0.0.1:6379/11"


def _drop_pool() -> None:
    # Close and forget every broker connection and producer pool (kombu keeps them by URL), so
    # no test after this one, and not this one, reuses a closed or stale one.
    pools.reset()
    for group in pools._groups:
        group.clear()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker(settings):
    settings.CELERY_BROKER_URL = BROKER
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # The app reads Django's settings live; a producer pool made before would keep the old URL.
    app.conf.broker_url = BROKER
    app.conf.task_always_eager = False
    _drop_pool()
    # The worker's thread closes its database connection after each task (no lingering
    # connection to the test database).
    db_settings = connections.settings["default"]
    max_age = db_settings.get("CONN_MAX_AGE", 0)
    db_settings["CONN_MAX_AGE"] = 0
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge("celery")
    yield
    db_settings["CONN_MAX_AGE"] = max_age
    _drop_pool()
    app.conf.broker_url = ""
    app.conf.task_always_eager = True


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_an_event_to_the_receiver(broker, receiver, head, compliance):
    subscription, secret = services.subscription_create(
        name="Tracker", url=receiver.url, events=["recommendation.status_changed"], by=head
    )
    receiver.secret = secret
    _visit, _institution, _ministry, [recommendation, _] = issued_case()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        assessment_record(
            recommendation=recommendation,
            status="implemented",
            basis="other",
            assessed_on=dt.date(2025, 11, 1),
            by=compliance,
        )
        assert receiver.got_one.wait(timeout=60), "the worker delivered nothing"
        delivery = WebhookDelivery.objects.get()
        for _poll in range(100):  # the worker records the answer just after it
            delivery.refresh_from_db()
            if delivery.status != DeliveryStatus.PENDING:
                break
            time.sleep(0.1)
    [request] = receiver.received
    assert request.refused == ""
    assert request.headers["webhook-id"] == delivery.event_id
    assert request.payload["type"] == "recommendation.status_changed"
    assert request.payload["data"]["id"] == recommendation.pk
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        DeliveryStatus.SUCCEEDED,
        1,
        204,
    )
    assert subscription.deliveries.get() == delivery
