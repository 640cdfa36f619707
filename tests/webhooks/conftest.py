"""Fixtures of the webhook tests: a spec-written receiver on 127.0.0.1 (with the settings that
let the guard allow it, in the tests that use it only) and an issued case to raise events on."""

from __future__ import annotations

import pytest

from npm_portal.webhooks import services
from npm_portal.webhooks.models import SUBSCRIBABLE_EVENTS
from tests.webhooks.receiver import SpecReceiver


@pytest.fixture
def local_delivery(settings):
    """Only here may webhooks go to http:// and to 127.0.0.1."""
    settings.NPM_WEBHOOKS_ALLOW_HTTP = True
    settings.NPM_WEBHOOKS_ALLOW_PRIVATE = True
    settings.NPM_WEBHOOKS_TIMEOUT_SECONDS = 5


@pytest.fixture
def receiver(local_delivery):
    receiver = SpecReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def subscription(db, receiver, head):
    """A subscription to every event at the receiver, which knows its secret."""
    subscription, secret = services.subscription_create(
        name="Tracker", url=receiver.url, events=[str(e) for e in SUBSCRIBABLE_EVENTS], by=head
    )
    receiver.secret = secret
    return subscription
