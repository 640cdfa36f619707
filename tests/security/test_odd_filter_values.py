"""List filters check odd values before they reach the database: a message next to
the field, never a 500 (PostgreSQL's inet and integer columns refuse them)."""

import pytest
from django.urls import reverse

from visits import audit
from visits.models import AccessAction


@pytest.fixture
def entries(db, head):
    audit.record(
        user=head,
        action=AccessAction.DENIED,
        object_type="visits.Visit",
        object_id="1",
        ip="192.0.2.7",
    )
    audit.record(
        user=head,
        action=AccessAction.DENIED,
        object_type="visits.Visit",
        object_id="2",
        ip="198.51.100.1",
    )


@pytest.mark.parametrize("value", ["not-an-ip", "999.1.1.1", "1.2.3.4'--", "ž", " "])
def test_an_odd_address_is_a_message_not_an_error(entries, head_client, value):
    response = head_client.get(reverse("access_log"), {"ip": value})
    assert response.status_code == 200
    if value.strip():
        assert "ip" in response.context["filter"].form.errors


def test_a_valid_address_filters(entries, head_client):
    response = head_client.get(reverse("access_log"), {"ip": "192.0.2.7"})
    assert [e.object_id for e in response.context["page"]] == ["1"]


@pytest.mark.parametrize("value", ["-1", "0", "99999999999999999999", "1e400", "x"])
def test_an_odd_visit_number_is_a_message_not_an_error(entries, head_client, value):
    response = head_client.get(reverse("access_log"), {"visit": value})
    assert response.status_code == 200
    assert "visit" in response.context["filter"].form.errors


@pytest.mark.parametrize("value", ["-1", "0", "10000", "99999999999999999999", "1e400", "x"])
def test_an_odd_event_year_is_a_message_not_an_error(staff_client, value):
    response = staff_client.get(reverse("partners:event_list"), {"year": value})
    assert response.status_code == 200
    assert "year" in response.context["filter"].form.errors
