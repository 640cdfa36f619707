"""Bad input never gives a 500: ids too large for a column, non-ASCII digits, double submits."""

import datetime as dt

import pytest
from django.urls import reverse

from recommendations.models import Assessment, AuthorityResponse
from tests.recommendations.compliance_helpers import dispatch, issued_case, visit_at

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


@pytest.fixture
def case():
    visit, institution, ministry, recs = issued_case()
    dispatch(visit, institution, dt.date(2025, 10, 3))
    return {"visit": visit, "institution": institution, "recs": recs}


def test_huge_ids_in_get_parameters_are_unknown_ids(case, head_client):
    visit = case["visit"].pk
    urls = [
        reverse("recommendations:response_create") + f"?visit={HUGE}&authority={HUGE}",
        reverse("recommendations:response_create") + f"?visit={HUGE}",
        reverse("recommendations:suggestions") + f"?visit={visit}&theme={HUGE}&repeats={HUGE}",
        reverse("recommendations:suggestions") + f"?exclude={HUGE}",
    ]
    for url in urls:
        assert head_client.get(url).status_code in (200, 404), url
    assert head_client.get(reverse("recommendations:create") + f"?visit={HUGE}").status_code == 404


def test_huge_ids_in_posts_are_invalid_choices(case, head_client):
    rec = case["recs"][0]
    response = head_client.post(
        reverse("recommendations:bulk"), {"action": "public", "ids": [HUGE]}, follow=True
    )
    assert response.status_code == 200
    assert "not one of the available choices" in response.content.decode()
    rec.refresh_from_db()
    assert rec.public is False
    draft = visit_at(case["visit"].place)
    response = head_client.post(
        reverse("recommendations:create") + f"?visit={draft.pk}",
        {"text": "x", "priority": "normal", "addressees": [HUGE], "repeats": [HUGE]},
    )
    assert response.status_code == 200


def test_a_row_key_with_a_non_ascii_digit_is_ignored(case, compliance_client):
    rec = case["recs"][0]
    response = compliance_client.post(
        reverse("recommendations:response_create"),
        {
            "visit": case["visit"].pk,
            "authority": case["institution"].pk,
            "received_on": "2025-11-01",
            "rec-²-include": "on",
            f"rec-{rec.pk}-include": "on",
            f"rec-{rec.pk}-stated_status": "implemented",
        },
    )
    assert response.status_code == 302
    assert AuthorityResponse.objects.count() == 1


def test_a_double_submitted_letter_is_recorded_once(case, compliance_client):
    rec = case["recs"][0]
    data = {
        "visit": case["visit"].pk,
        "authority": case["institution"].pk,
        "received_on": "2025-11-01",
        "reference": "72/2025",
        f"rec-{rec.pk}-include": "on",
        f"rec-{rec.pk}-stated_status": "in_progress",
    }
    url = reverse("recommendations:response_create")
    assert compliance_client.post(url, data).status_code == 302
    again = compliance_client.post(url, data)
    assert again.status_code == 200
    assert "already recorded" in again.content.decode()
    assert AuthorityResponse.objects.count() == 1
    # Another letter the same day is fine once it has its own reference.
    assert compliance_client.post(url, data | {"reference": "73/2025"}).status_code == 302


def test_a_double_submitted_assessment_is_recorded_once(case, compliance_client):
    rec = case["recs"][0]
    url = reverse("recommendations:assess", args=[rec.pk])
    data = {"status": "implemented", "basis": "other", "assessed_on": "2025-11-02", "note": "Ok"}
    assert compliance_client.post(url, data).status_code == 302
    again = compliance_client.post(url, data)
    assert again.status_code == 200
    assert "already recorded" in again.content.decode()
    assert Assessment.objects.filter(recommendation=rec).count() == 1
