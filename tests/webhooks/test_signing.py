"""Deliveries are signed per Standard Webhooks: the spec-written receiver accepts them, and
rejects a tampered body, a wrong secret and a stale timestamp."""

import http.client
import time

from npm_portal.webhooks import services, signing
from npm_portal.webhooks.models import DeliveryStatus
from tests.webhooks.receiver import verify


def test_the_receiver_written_from_the_spec_verifies_a_delivery(subscription, receiver, head):
    delivery = services.subscription_ping(subscription=subscription, by=head)
    services.delivery_attempt(delivery_pk=delivery.pk)
    delivery.refresh_from_db()
    [request] = receiver.received
    assert request.refused == ""
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.last_status_code == 204
    assert request.headers["webhook-id"] == delivery.event_id
    assert request.headers["webhook-signature"].startswith("v1,")
    assert request.headers["content-type"] == "application/json"
    assert request.payload == {
        "type": "ping",
        "timestamp": delivery.payload["timestamp"],
        "data": {"subscription_id": subscription.pk},
    }


def test_a_tampered_body_a_wrong_secret_or_an_old_timestamp_is_rejected(subscription, receiver):
    body = b'{"type":"ping","data":{"subscription_id":1}}'
    now = int(time.time())
    headers = signing.headers(secret=receiver.secret, event_id="msg_1", timestamp=now, body=body)
    assert verify(receiver.secret, headers, body) == ""
    assert verify(receiver.secret, headers, body.replace(b"1", b"2")) == "no valid signature"
    assert verify(signing.new_secret(), headers, body) == "no valid signature"
    old = signing.headers(secret=receiver.secret, event_id="msg_1", timestamp=now - 600, body=body)
    assert verify(receiver.secret, old, body) == "timestamp outside the tolerance"
    # Over the wire too: the receiver answers 401 to the tampered body.
    host, port = receiver.server.server_address
    connection = http.client.HTTPConnection(host, port, timeout=5)
    connection.request("POST", "/hooks/npm", body=body + b" ", headers=headers)
    assert connection.getresponse().status == 401
    assert receiver.received[-1].refused == "no valid signature"


def test_each_subscription_has_its_own_whsec_secret_and_rotation_replaces_it(
    subscription, receiver, head
):
    other, other_secret = services.subscription_create(
        name="Other", url=receiver.url, events=["report.issued"], by=head
    )
    assert other_secret.startswith("whsec_")
    assert other_secret != receiver.secret
    old_secret = receiver.secret
    new_secret = services.subscription_rotate_secret(subscription=subscription, by=head)
    assert new_secret != old_secret
    delivery = services.subscription_ping(subscription=subscription, by=head)
    services.delivery_attempt(delivery_pk=delivery.pk)
    # Signed with the new secret: the receiver, still on the old one, refuses it.
    assert receiver.received[-1].refused == "no valid signature"
    assert verify(new_secret, receiver.received[-1].headers, receiver.received[-1].body) == ""
