"""The SSRF guard: https only, public addresses only (every address a name resolves to), when a
subscription is saved and again at delivery, connecting to the address it checked."""

import socket

import pytest
from django.core.exceptions import ValidationError

from npm_portal.webhooks import services, transport
from npm_portal.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription

REFUSED = [
    "https://127.0.0.1/hook",
    "https://127.1.2.3:8443/hook",
    "https://10.0.0.5/hook",
    "https://172.16.3.4/hook",
    "https://192.168.1.1/hook",
    "https://169.254.169.254/latest/meta-data/",
    "https://100.64.0.1/hook",
    "https://0.0.0.0/hook",
    "https://224.0.0.1/hook",
    "https://240.0.0.1/hook",
    "https://[::1]/hook",
    "https://[::]/hook",
    "https://[fe80::1]/hook",
    "https://[fc00::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://[::ffff:10.0.0.1]/hook",
]


@pytest.mark.parametrize("url", REFUSED)
def test_internal_addresses_are_refused(url, settings):
    settings.NPM_WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(ValidationError, match="internal address"):
        transport.check_url(url)


@pytest.mark.parametrize(
    "url",
    ["http://93.184.216.34/hook", "ftp://93.184.216.34/hook", "file:///etc/passwd", "gopher://x"],
)
def test_only_https_is_accepted(url, settings):
    settings.NPM_WEBHOOKS_ALLOW_HTTP = False
    with pytest.raises(ValidationError, match="Only https://"):
        transport.check_url(url)


def test_a_public_address_is_accepted_and_pinned(settings):
    target = transport.check_url("https://93.184.216.34:8443/in?x=1")
    assert (target.host, target.port, target.path, target.address) == (
        "93.184.216.34",
        8443,
        "/in?x=1",
        "93.184.216.34",
    )


def test_every_address_of_a_name_is_checked(monkeypatch):
    # One public and one private answer: refused (the private one could be the one used).
    monkeypatch.setattr(transport, "resolve", lambda host, port: ["10.1.2.3", "93.184.216.34"])
    with pytest.raises(ValidationError, match=r"hooks\.example\.org points to an internal"):
        transport.check_url("https://hooks.example.org/in")


def test_a_name_that_does_not_resolve_gets_a_message(monkeypatch):
    def fail(host, port):
        raise socket.gaierror("Name or service not known")

    monkeypatch.setattr(transport, "resolve", fail)
    with pytest.raises(ValidationError, match="cannot be resolved"):
        transport.check_url("https://nowhere.invalid/in")


def test_credentials_in_the_url_are_refused():
    with pytest.raises(ValidationError, match="user name or password"):
        transport.check_url("https://user:pass@93.184.216.34/in")


def test_the_settings_open_the_guard_for_local_testing(settings):
    settings.NPM_WEBHOOKS_ALLOW_HTTP = True
    settings.NPM_WEBHOOKS_ALLOW_PRIVATE = True
    assert transport.check_url("http://127.0.0.1:8000/in").address == "127.0.0.1"
    assert transport.check_url("https://[::1]/in").address == "::1"


def test_saving_a_subscription_puts_the_message_next_to_the_url(db, head):
    with pytest.raises(ValidationError) as caught:
        services.subscription_create(
            name="Metadata", url="https://169.254.169.254/", events=["ping"], by=head
        )
    assert set(caught.value.error_dict) == {"url", "events"}
    assert "internal address" in caught.value.message_dict["url"][0]
    assert not WebhookSubscription.objects.exists()


def test_delivery_checks_again_and_connects_to_the_checked_address(db, head, monkeypatch, settings):
    # Saved while the name pointed to a public address…
    answers = {"hooks.example.org": ["93.184.216.34"]}
    monkeypatch.setattr(transport, "resolve", lambda host, port: answers[host])
    subscription, _secret = services.subscription_create(
        name="Tracker", url="https://hooks.example.org/in", events=["report.issued"], by=head
    )
    # …then rebound to the metadata service: the attempt is refused before any connection.
    connected = []
    monkeypatch.setattr(socket, "create_connection", lambda *args, **kwargs: connected.append(args))
    answers["hooks.example.org"] = ["169.254.169.254"]
    delivery = services.subscription_ping(subscription=subscription, by=head)
    services.delivery_attempt(delivery_pk=delivery.pk)
    delivery.refresh_from_db()
    assert connected == []
    assert delivery.status == DeliveryStatus.PENDING
    assert "internal address (169.254.169.254)" in delivery.last_error
    # Public again: the connection goes to the address that was checked, by number.
    answers["hooks.example.org"] = ["93.184.216.34"]

    def refuse(address, timeout):
        connected.append(address)
        raise ConnectionRefusedError("test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
    services.delivery_attempt(delivery_pk=delivery.pk)
    assert connected == [("93.184.216.34", 443)]
