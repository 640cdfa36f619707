"""The NPM head's pages: list, create (secret shown once), edit, rotate and delete (each asks
first), the delivery log with redeliver and a test event. Other NPM roles 403, partners 404."""

import pytest
from django.urls import reverse

from npm_portal.webhooks import services
from npm_portal.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription

PUBLIC_URL = "https://93.184.216.34/npm"


@pytest.fixture
def sub(db, head):
    subscription, _secret = services.subscription_create(
        name="Tracker", url=PUBLIC_URL, events=["report.issued"], by=head
    )
    return subscription


def _urls(sub):
    return [
        reverse("webhooks:list"),
        reverse("webhooks:create"),
        reverse("webhooks:deliveries", args=[sub.pk]),
        reverse("webhooks:edit", args=[sub.pk]),
        reverse("webhooks:rotate", args=[sub.pk]),
        reverse("webhooks:delete", args=[sub.pk]),
    ]


def test_only_the_head_may_open_the_pages(
    sub, head_client, staff_client, compliance_client, partner_client, anonymous_client
):
    for url in _urls(sub):
        assert head_client.get(url).status_code == 200, url
        assert staff_client.get(url).status_code == 403, url
        assert compliance_client.get(url).status_code == 403, url
        assert partner_client.get(url).status_code == 404, url
        assert anonymous_client.get(url).status_code == 302, url
    for url in [
        reverse("webhooks:ping", args=[sub.pk]),
        reverse("webhooks:rotate", args=[sub.pk]),
        reverse("webhooks:delete", args=[sub.pk]),
    ]:
        assert staff_client.post(url).status_code == 403
        assert partner_client.post(url).status_code == 404
    assert WebhookSubscription.objects.filter(pk=sub.pk).exists()
    assert not WebhookDelivery.objects.exists()


def test_the_menu_links_the_page_for_the_head_only(head_client, staff_client):
    url = reverse("webhooks:list")
    assert f'href="{url}"' in head_client.get(reverse("dashboard")).content.decode()
    assert f'href="{url}"' not in staff_client.get(reverse("dashboard")).content.decode()


def test_create_shows_the_secret_once(head_client, head):
    response = head_client.post(
        reverse("webhooks:create"),
        {
            "name": "Tracker",
            "url": PUBLIC_URL,
            "events": ["report.issued", "response.recorded"],
            "active": "on",
        },
    )
    assert response.status_code == 200
    subscription = WebhookSubscription.objects.get()
    assert subscription.events == ["report.issued", "response.recorded"]
    assert subscription.created_by == head
    assert subscription.secret.startswith("whsec_")
    assert subscription.secret in response.content.decode()
    # Never again: not in the list, the log or the edit page.
    for url in _urls(subscription):
        assert subscription.secret not in head_client.get(url).content.decode()


def test_bad_input_gets_messages_next_to_the_fields(head_client):
    response = head_client.post(
        reverse("webhooks:create"), {"name": "Internal", "url": "http://10.0.0.1/", "events": []}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "Only https://" in form.errors["url"][0]
    assert form.errors["events"]
    response = head_client.post(
        reverse("webhooks:create"),
        {"name": "Internal", "url": "https://10.0.0.1/", "events": ["report.issued"]},
    )
    assert "internal address" in response.context["form"].errors["url"][0]
    response = head_client.post(
        reverse("webhooks:create"),
        {"name": "Odd", "url": "https://[not-an-address/", "events": ["report.issued"]},
    )
    assert response.context["form"].errors["url"]
    assert not WebhookSubscription.objects.exists()


def test_edit_changes_url_events_and_active(head_client, sub):
    response = head_client.post(
        reverse("webhooks:edit", args=[sub.pk]),
        {
            "name": "Tracker 2",
            "url": "https://93.184.216.34/v2",
            "events": ["recommendation.status_changed"],
        },
    )
    assert response.status_code == 302
    sub.refresh_from_db()
    assert (sub.name, sub.url, sub.events, sub.active) == (
        "Tracker 2",
        "https://93.184.216.34/v2",
        ["recommendation.status_changed"],
        False,
    )


def test_rotate_asks_first_then_shows_the_new_secret_once(head_client, sub):
    old = sub.secret
    asked = head_client.get(reverse("webhooks:rotate", args=[sub.pk]))
    assert "Continue?" in asked.content.decode()
    sub.refresh_from_db()
    assert sub.secret == old
    response = head_client.post(reverse("webhooks:rotate", args=[sub.pk]))
    sub.refresh_from_db()
    assert sub.secret != old
    assert sub.secret in response.content.decode()


def test_delete_asks_first(head_client, sub):
    services.subscription_ping(subscription=sub, by=None)
    assert (
        "cannot be undone"
        in head_client.get(reverse("webhooks:delete", args=[sub.pk])).content.decode()
    )
    assert WebhookSubscription.objects.exists()
    response = head_client.post(reverse("webhooks:delete", args=[sub.pk]))
    assert response.status_code == 302
    assert not WebhookSubscription.objects.exists()
    assert not WebhookDelivery.objects.exists()


def test_the_log_is_newest_first_and_paginated(head_client, sub, django_assert_max_num_queries):
    for _n in range(55):
        services.subscription_ping(subscription=sub, by=None)
    newest = WebhookDelivery.objects.order_by("-pk").first()
    url = reverse("webhooks:deliveries", args=[sub.pk])
    with django_assert_max_num_queries(12):
        response = head_client.get(url)
    page = response.context["page"]
    assert len(page.object_list) == 50
    assert page.paginator.num_pages == 2
    assert page.object_list[0] == newest
    assert len(head_client.get(url, {"page": 2}).context["page"].object_list) == 5


def test_ping_queues_a_test_event_and_redeliver_resends_a_failed_one(head_client, sub):
    response = head_client.post(reverse("webhooks:ping", args=[sub.pk]))
    assert response.status_code == 302
    delivery = WebhookDelivery.objects.get()
    assert (delivery.event_type, delivery.status) == ("ping", DeliveryStatus.PENDING)
    # Not failed yet: redeliver refuses, with a message.
    url = reverse("webhooks:redeliver", args=[sub.pk, delivery.pk])
    response = head_client.post(url, follow=True)
    assert "Only a failed delivery" in response.content.decode()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED, attempts=6, next_attempt_at=None
    )
    assert (
        'action="' + url
        in head_client.get(reverse("webhooks:deliveries", args=[sub.pk])).content.decode()
    )
    head_client.post(url)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)
    assert delivery.next_attempt_at is not None


def test_a_delivery_of_another_subscription_is_a_404(head_client, sub, head):
    other, _secret = services.subscription_create(
        name="Other", url=PUBLIC_URL, events=["report.issued"], by=head
    )
    delivery = services.subscription_ping(subscription=other, by=None)
    url = reverse("webhooks:redeliver", args=[sub.pk, delivery.pk])
    assert head_client.post(url).status_code == 404


def test_the_admin_is_read_only_and_never_shows_the_secret(sub, client):
    from tests.factories import UserFactory

    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    delivery = services.subscription_ping(subscription=sub, by=None)
    pages = [
        reverse("admin:webhooks_webhooksubscription_changelist"),
        reverse("admin:webhooks_webhooksubscription_change", args=[sub.pk]),
        reverse("admin:webhooks_webhookdelivery_changelist"),
        reverse("admin:webhooks_webhookdelivery_change", args=[delivery.pk]),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert sub.secret not in response.content.decode()
    assert client.get(reverse("admin:webhooks_webhookdelivery_add")).status_code == 403
    response = client.post(
        reverse("admin:webhooks_webhookdelivery_delete", args=[delivery.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert WebhookDelivery.objects.filter(pk=delivery.pk).exists()
