"""Sortable columns of the access log and the webhook subscriptions (core.sorting)."""

from __future__ import annotations

import pytest

from npm_portal.webhooks import services as webhooks
from npm_portal.webhooks.models import SUBSCRIBABLE_EVENTS
from tests.core.test_sorting import assert_invalid_sort_is_default
from visits import audit
from visits.models import AccessAction

pytestmark = pytest.mark.django_db


def in_order(response, texts: list[str]) -> list[str]:
    assert response.status_code == 200
    html = response.content.decode()
    return sorted(texts, key=html.index)


def test_the_access_log_sorts_by_time_both_ways(head_client, head):
    for record_id in ("record-first", "record-second", "record-third"):
        audit.record(
            user=head,
            action=AccessAction.VIEW_CONFIDENTIAL,
            object_type="interview",
            object_id=record_id,
        )
    records = ["record-first", "record-second", "record-third"]
    assert in_order(head_client.get("/access-log/"), records) == records[::-1]  # newest first
    assert in_order(head_client.get("/access-log/", {"sort": "when"}), records) == records
    assert in_order(head_client.get("/access-log/", {"sort": "-when"}), records) == records[::-1]
    # Only the indexed time sorts: a user or action key is the default order.
    for bad in ("user", "action", "-ip", "object_id"):
        assert in_order(head_client.get("/access-log/", {"sort": bad}), records) == records[::-1]


def test_the_access_log_sort_link_keeps_the_filters(head_client, head):
    audit.record(
        user=head, action=AccessAction.EXPORT, object_type="csv", object_id="x", ip="10.0.0.1"
    )
    html = head_client.get("/access-log/", {"action": "export", "ip": "10.0.0.1"}).content.decode()
    assert 'aria-sort="descending"' in html
    assert "?action=export&amp;ip=10.0.0.1&amp;sort=when" in html


def test_the_access_log_stays_closed_to_staff_whatever_the_sort(staff_client):
    assert staff_client.get("/access-log/", {"sort": "when"}).status_code in (403, 404)


@pytest.fixture
def subscriptions(settings, head):
    settings.NPM_WEBHOOKS_ALLOW_HTTP = True
    settings.NPM_WEBHOOKS_ALLOW_PRIVATE = True
    made = []
    for name, url in (
        ("Beta", "http://127.0.0.1:9/c"),
        ("Alpha", "http://127.0.0.1:9/b"),
        ("Gamma", "http://127.0.0.1:9/a"),
    ):
        subscription, _secret = webhooks.subscription_create(
            name=name, url=url, events=[str(SUBSCRIBABLE_EVENTS[0])], by=head
        )
        made.append(subscription)
    made[2].active = False
    made[2].save(update_fields=["active"])
    return made


def test_webhook_subscriptions_sort_by_name_url_and_state(head_client, subscriptions):
    names = ["Alpha", "Beta", "Gamma"]
    url = "/webhooks/"
    assert in_order(head_client.get(url), [f">{n}<" for n in names]) == [f">{n}<" for n in names]
    by_url = in_order(head_client.get(url, {"sort": "url"}), [f">{n}<" for n in names])
    assert by_url == [">Gamma<", ">Alpha<", ">Beta<"]
    by_url = in_order(head_client.get(url, {"sort": "-url"}), [f">{n}<" for n in names])
    assert by_url == [">Beta<", ">Alpha<", ">Gamma<"]
    # Active first, then by name; reversed: the inactive one first.
    active = in_order(head_client.get(url, {"sort": "active"}), [f">{n}<" for n in names])
    assert active == [">Alpha<", ">Beta<", ">Gamma<"]
    inactive = in_order(head_client.get(url, {"sort": "-active"}), [f">{n}<" for n in names])
    assert inactive == [">Gamma<", ">Beta<", ">Alpha<"]
    bad = in_order(head_client.get(url, {"sort": "secret"}), [f">{n}<" for n in names])
    assert bad == [">Alpha<", ">Beta<", ">Gamma<"]


def test_assert_invalid_sort_is_default_on_the_visit_list_for_the_head(head_client):
    from tests.factories.visits import VisitFactory

    VisitFactory()
    VisitFactory()
    assert_invalid_sort_is_default(head_client, "/visits/", "visit")
