"""Rate limits per client address: 429 with Retry-After and the API's JSON error, each address
counted apart, a forged X-Forwarded-For changes nothing, the bulk files on their own lower limit."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIST = reverse("opendata:recommendation-list")


def _get(client, path, address="192.0.2.10", **extra):
    return client.get(path, REMOTE_ADDR=address, **extra)


def test_past_the_rate_a_client_gets_429_with_retry_after(anonymous_client, world, settings):
    settings.NPM_OPEN_DATA_RATE = "3/min"
    codes = [_get(anonymous_client, LIST).status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    refused = _get(anonymous_client, LIST)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    error = refused.json()["error"]
    assert error["status"] == 429
    assert error["code"] == "throttled"
    # A refusal is never cached by a proxy, and a page on another site may read it.
    assert refused["Cache-Control"] == "private, no-store"
    assert refused["Access-Control-Allow-Origin"] == "*"
    # Every open-data JSON endpoint shares the count.
    assert _get(anonymous_client, reverse("opendata:dictionary")).status_code == 429


def test_two_addresses_are_counted_apart(anonymous_client, world, settings):
    settings.NPM_OPEN_DATA_RATE = "2/min"
    for _ in range(2):
        assert _get(anonymous_client, LIST, "192.0.2.10").status_code == 200
    assert _get(anonymous_client, LIST, "192.0.2.10").status_code == 429
    assert _get(anonymous_client, LIST, "198.51.100.7").status_code == 200
    # An IPv6 client counts as its /64: another address in it shares the count.
    assert _get(anonymous_client, LIST, "2001:db8::1").status_code == 200
    assert _get(anonymous_client, LIST, "2001:db8::2").status_code == 200
    assert _get(anonymous_client, LIST, "2001:db8::3").status_code == 429
    assert _get(anonymous_client, LIST, "2001:db8:0:1::1").status_code == 200


def test_a_forged_forwarded_for_does_not_reset_the_count(anonymous_client, world, settings):
    settings.NPM_OPEN_DATA_RATE = "2/min"
    settings.NPM_TRUSTED_PROXIES = []
    for n in range(2):
        response = _get(anonymous_client, LIST, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        assert response.status_code == 200
    assert _get(anonymous_client, LIST, HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_client_is_counted(anonymous_client, world, settings):
    settings.NPM_OPEN_DATA_RATE = "1/min"
    settings.NPM_TRUSTED_PROXIES = ["10.0.0.1"]
    proxy = "10.0.0.1"
    assert (
        _get(anonymous_client, LIST, proxy, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 200
    )
    assert (
        _get(anonymous_client, LIST, proxy, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    )
    assert (
        _get(anonymous_client, LIST, proxy, HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 200
    )


def test_bulk_downloads_have_their_own_lower_limit(anonymous_client, world, settings):
    settings.NPM_OPEN_DATA_RATE = "100/min"
    settings.NPM_OPEN_DATA_BULK_RATE = "2/hour"
    csv_url = reverse("opendata:recommendations_csv")
    json_url = reverse("opendata:reports_json")
    assert _get(anonymous_client, csv_url).status_code == 200
    assert _get(anonymous_client, json_url).status_code == 200
    refused = _get(anonymous_client, csv_url)
    assert refused.status_code == 429
    assert 3000 < int(refused["Retry-After"]) <= 3600
    assert refused["Content-Type"] == "application/json"
    assert refused.json()["error"]["code"] == "throttled"
    # Asking for CSV does not change the error's shape.
    refused_csv = _get(anonymous_client, csv_url, HTTP_ACCEPT="text/csv")
    assert refused_csv.status_code == 429
    assert refused_csv["Content-Type"] == "application/json"
    assert refused_csv.json()["error"]["status"] == 429
    # The JSON pages are still served.
    assert _get(anonymous_client, LIST).status_code == 200


def test_an_empty_rate_means_no_limit(anonymous_client, world, settings):
    settings.NPM_OPEN_DATA_RATE = ""
    assert all(_get(anonymous_client, LIST).status_code == 200 for _ in range(5))
