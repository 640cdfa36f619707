"""Webhook services: subscriptions (the NPM head's), queuing an event for every subscription
that wants it, and the delivery attempts with their retry schedule.

Queuing (`delivery_enqueue`) writes the delivery rows in the transaction of the service that
raised the event, so a rolled-back change sends nothing, and hands them to the task queue once
that transaction commits. With a broker, a Celery worker makes the first attempt at once;
without one (CELERY_TASK_ALWAYS_EAGER, `make run`) nothing is posted from the web request: every
attempt, the first and the retries, is made by `manage.py deliver_webhooks` (or the Celery beat
task `deliver_due_webhooks`, every minute), which sends what is due."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import Role, has_role

from . import payloads, signing, transport
from .models import (
    SUBSCRIBABLE_EVENTS,
    DeliveryStatus,
    EventType,
    WebhookDelivery,
    WebhookSubscription,
)

# After the first attempt: the waits before each retry. After the last one, the delivery failed.
RETRY_DELAYS = [
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=8),
]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# A claimed delivery is not picked again for this long (a worker that died mid-attempt).
CLAIM = dt.timedelta(minutes=2)
DUE_BATCH = 200


def may_manage(user) -> bool:
    """Webhooks are the NPM head's (and an administrator's)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or has_role(user, Role.HEAD))
    )


def _require_manager(by) -> None:
    if by is not None and not may_manage(by):
        raise PermissionDenied


def _clean(*, name: str, url: str, events) -> tuple[str, str, list[str]]:
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Give the subscription a name.")
    url = (url or "").strip()
    try:
        transport.check_url(url)
    except ValidationError as error:
        errors["url"] = error.messages
    events = list(dict.fromkeys(events or []))
    if not events:
        errors["events"] = _("Choose at least one event.")
    elif any(event not in SUBSCRIBABLE_EVENTS for event in events):
        errors["events"] = _("Choose events from the list.")
    if errors:
        raise ValidationError(errors)
    return name, url, [e for e in SUBSCRIBABLE_EVENTS if e in events]


@transaction.atomic
def subscription_create(
    *, name: str, url: str, events, description: str = "", active: bool = True, by
) -> tuple[WebhookSubscription, str]:
    """A new subscription and its signing secret (returned here, and never shown again)."""
    _require_manager(by)
    name, url, events = _clean(name=name, url=url, events=events)
    secret = signing.new_secret()
    subscription = WebhookSubscription.objects.create(
        name=name,
        url=url,
        events=[str(e) for e in events],
        secret=secret,
        active=active,
        description=(description or "").strip(),
        created_by=by if by is not None and by.is_authenticated else None,
    )
    return subscription, secret


@transaction.atomic
def subscription_update(
    *,
    subscription: WebhookSubscription,
    name: str,
    url: str,
    events,
    active: bool,
    description: str = "",
    by,
) -> WebhookSubscription:
    _require_manager(by)
    name, url, events = _clean(name=name, url=url, events=events)
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    subscription.name, subscription.url = name, url
    subscription.events = [str(e) for e in events]
    subscription.active = active
    subscription.description = (description or "").strip()
    subscription.save(
        update_fields=["name", "url", "events", "active", "description", "updated_at"]
    )
    return subscription


@transaction.atomic
def subscription_rotate_secret(*, subscription: WebhookSubscription, by) -> str:
    """A new signing secret (returned, shown once); the old one stops at once, and pending
    retries are signed with the new one."""
    _require_manager(by)
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    secret = signing.new_secret()
    subscription.secret = secret
    subscription.secret_rotated_at = timezone.now()
    subscription.save(update_fields=["secret", "secret_rotated_at", "updated_at"])
    return secret


@transaction.atomic
def subscription_delete(*, subscription: WebhookSubscription, by) -> None:
    """Delete the subscription and its delivery log."""
    _require_manager(by)
    subscription.delete()


def _queue(deliveries: list[WebhookDelivery]) -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER or not deliveries:
        return  # no worker: `deliver_webhooks` sends them, never the web request
    from .tasks import deliver_webhook

    pks = [d.pk for d in deliveries]
    transaction.on_commit(lambda: [deliver_webhook.delay(pk) for pk in pks])


@transaction.atomic
def delivery_enqueue(*, event_type: str, payload: dict) -> list[WebhookDelivery]:
    """One delivery of the event to each active subscription that wants it, queued once the
    surrounding transaction commits."""
    # No secret decrypted here: a bulk change raises many events.
    subscriptions = [
        s
        for s in WebhookSubscription.objects.filter(active=True).only("pk", "events", "active")
        if s.wants(event_type)
    ]
    now = timezone.now()
    # One row at a time (a handful of subscriptions): bulk_create leaves pks unset on some
    # databases, and the task needs them.
    deliveries = [
        WebhookDelivery.objects.create(
            subscription=subscription,
            event_type=event_type,
            event_id=signing.new_event_id(),
            payload=payload,
            next_attempt_at=now,
        )
        for subscription in subscriptions
    ]
    _queue(deliveries)
    return deliveries


@transaction.atomic
def subscription_ping(*, subscription: WebhookSubscription, by) -> WebhookDelivery:
    """Queue a test event (`ping`) to this subscription, active or not."""
    _require_manager(by)
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event_type=EventType.PING,
        event_id=signing.new_event_id(),
        payload=payloads.ping(subscription),
        next_attempt_at=timezone.now(),
    )
    _queue([delivery])
    return delivery


@transaction.atomic
def delivery_redeliver(*, delivery: WebhookDelivery, by) -> WebhookDelivery:
    """Send a failed delivery again: the same event id and payload, a fresh retry schedule."""
    _require_manager(by)
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status != DeliveryStatus.FAILED:
        raise ValidationError(_("Only a failed delivery can be sent again."))
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
    _queue([delivery])
    return delivery


def _claim(pk: int) -> WebhookDelivery | None:
    """Take a due delivery for one attempt (None when it is not due, or already taken)."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("subscription")
            .filter(pk=pk)
            .first()
        )
        now = timezone.now()
        if (
            delivery is None
            or delivery.status != DeliveryStatus.PENDING
            or (delivery.next_attempt_at is not None and delivery.next_attempt_at > now)
        ):
            return None
        delivery.next_attempt_at = now + CLAIM
        delivery.save(update_fields=["next_attempt_at", "updated_at"])
        return delivery


def delivery_attempt(*, delivery_pk: int) -> WebhookDelivery | None:
    """Make one attempt of a due delivery (the system's; by the task queue or the command) and
    record it: succeeded on a 2xx answer; otherwise the next retry, or failed after the last.
    Never raises for the endpoint's failures. The POST runs outside any transaction."""
    delivery = _claim(delivery_pk)
    if delivery is None:
        return None
    subscription = delivery.subscription
    if not subscription.active and delivery.event_type != EventType.PING:
        result = transport.Result(error=_("The subscription is inactive."))
        final = True
    else:
        timestamp = int(timezone.now().timestamp())
        body = signing.body_bytes(delivery.payload)
        headers = signing.headers(
            secret=subscription.secret,
            event_id=delivery.event_id,
            timestamp=timestamp,
            body=body,
        )
        result = transport.post(url=subscription.url, body=body, headers=headers)
        final = False
    return _record(delivery.pk, result, final=final)


@transaction.atomic
def _record(pk: int, result: transport.Result, *, final: bool) -> WebhookDelivery:
    delivery = WebhookDelivery.objects.select_for_update().get(pk=pk)
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = result.status_code
    delivery.response_excerpt = result.excerpt[: transport.RESPONSE_EXCERPT_BYTES]
    if result.ok:
        delivery.status = DeliveryStatus.SUCCEEDED
        delivery.last_error = ""
        delivery.next_attempt_at = None
    else:
        delivery.last_error = (
            result.error or _("The endpoint answered %(code)s.") % {"code": result.status_code}
        )[:255]
        if final or delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.next_attempt_at = now + RETRY_DELAYS[delivery.attempts - 1]
    delivery.save()
    return delivery


def deliveries_due(*, now: dt.datetime | None = None, limit: int = DUE_BATCH) -> list[int]:
    now = now or timezone.now()
    return list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
