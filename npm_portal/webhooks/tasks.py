"""Webhook delivery tasks. `deliver_webhook` makes one attempt of one delivery (queued when the
event's transaction commits, when a broker is configured); `deliver_due_webhooks` is the periodic
task (Celery beat, every minute: CELERY_BEAT_SCHEDULE) that hands every due delivery (retries, and
everything queued without a broker) to `deliver_webhook`; `manage.py deliver_webhooks` runs it
from cron."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="npm_portal.webhooks.tasks.deliver_webhook", ignore_result=True)
def deliver_webhook(delivery_pk: int) -> None:
    """One attempt; the endpoint's failures are recorded on the delivery, never raised."""
    services.delivery_attempt(delivery_pk=delivery_pk)


@shared_task(name="npm_portal.webhooks.tasks.deliver_due_webhooks", ignore_result=True)
def deliver_due_webhooks() -> int:
    """Queue (or, without a broker, make) an attempt of every due delivery; how many."""
    due = services.deliveries_due()
    for pk in due:
        deliver_webhook.delay(pk)
    return len(due)
