"""Webhook pages (npm_portal.webhooks) in the role × URL matrix.

Rules: only the NPM head manages webhooks: other NPM roles get 403, partner members 404 (as for
the access log). Rotating the secret and deleting ask first (GET shows the question); sending a
test event and redelivering are POST only. The world's subscription points at a public address
literal (no DNS) and has one failed delivery to redeliver.
"""

from django.utils import timezone

from npm_portal.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from npm_portal.webhooks.signing import new_event_id, new_secret

HEAD_ONLY = "L 200 403 403 404 404"

MATRIX = {
    "webhooks:list": HEAD_ONLY,
    "webhooks:create": HEAD_ONLY,
    "webhooks:deliveries": HEAD_ONLY,
    "webhooks:edit": HEAD_ONLY,
    "webhooks:rotate": HEAD_ONLY,
    "webhooks:delete": HEAD_ONLY,
    "webhooks:ping": "L 405 405 405 405 405",
    "webhooks:redeliver": "L 405 405 405 405 405",
}

# Columns: anonymous partner_off partner_on compliance staff head.
POST_MATRIX = {
    # An empty form: the head gets it back with the messages.
    "webhooks:create": "L 404 404 403 403 200",
    "webhooks:edit": "L 404 404 403 403 200",
    # The new secret, shown once.
    "webhooks:rotate": "L 404 404 403 403 200",
    "webhooks:delete": "L 404 404 403 403 R",
    "webhooks:ping": "L 404 404 403 403 R",
    "webhooks:redeliver": "L 404 404 403 403 R",
}


def _subscription(w) -> dict:
    return {"pk": w.objects["webhook_subscription"].pk}


ARGUMENTS = {
    "webhooks:deliveries": _subscription,
    "webhooks:edit": _subscription,
    "webhooks:rotate": _subscription,
    "webhooks:delete": _subscription,
    "webhooks:ping": _subscription,
    "webhooks:redeliver": lambda w: {
        **_subscription(w),
        "delivery_pk": w.objects["webhook_delivery"].pk,
    },
}


def extend_world(world) -> None:
    subscription = WebhookSubscription.objects.create(
        name="Tracker",
        url="https://93.184.216.34/npm",
        events=["report.issued"],
        secret=new_secret(),
    )
    world.objects["webhook_subscription"] = subscription
    world.objects["webhook_delivery"] = WebhookDelivery.objects.create(
        subscription=subscription,
        event_type="report.issued",
        event_id=new_event_id(),
        payload={"type": "report.issued", "data": {"id": 1}},
        status=DeliveryStatus.FAILED,
        attempts=6,
        last_attempt_at=timezone.now(),
        last_error="The endpoint answered 500.",
    )
