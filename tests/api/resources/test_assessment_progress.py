"""The progress judgement through the API: written with an assessment, read back, refused when
unknown (400 by the field), and described in the OpenAPI schema."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from recommendations import services
from recommendations.models import Assessment, Progress

pytestmark = pytest.mark.django_db


def _letter(case):
    return services.response_record(
        visit=case.visit,
        authority=case.institution,
        received_on=dt.date(2025, 11, 20),
        items=[{"recommendation": case.recommendations[0], "stated_status": "in_progress"}],
    )


def _body(case, letter, **overrides) -> dict:
    return {
        "recommendation": case.recommendations[0].pk,
        "status": "in_progress",
        "basis": "response",
        "response": letter.pk,
        "assessed_on": "2025-12-01",
        **overrides,
    }


def test_progress_is_written_and_read_back(case, writers, clients):
    letter = _letter(case)
    response = writers["compliance"].post(
        reverse("api:assessment-list"), _body(case, letter, progress="good"), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["progress"] == "good"
    assessment = Assessment.objects.get(pk=response.json()["id"])
    assert assessment.progress == "good"
    detail = clients["staff"].get(reverse("api:assessment-detail", args=[assessment.pk]))
    assert detail.json()["progress"] == "good"
    listed = clients["head"].get(reverse("api:assessment-list"), {"progress": "good"})
    assert [row["id"] for row in listed.json()["results"]] == [assessment.pk]
    other = clients["head"].get(reverse("api:assessment-list"), {"progress": "insufficient"})
    assert other.json()["results"] == []


def test_progress_is_optional(case, writers):
    letter = _letter(case)
    response = writers["staff"].post(
        reverse("api:assessment-list"), _body(case, letter), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["progress"] == ""


def test_an_unknown_progress_is_400_with_the_field(case, writers):
    letter = _letter(case)
    response = writers["compliance"].post(
        reverse("api:assessment-list"), _body(case, letter, progress="splendid"), format="json"
    )
    assert response.status_code == 400, response.content
    assert "progress" in response.json()["error"]["fields"]
    assert not Assessment.objects.exists()


def test_the_schema_describes_progress_for_reading_and_writing():
    schema = Client().get(reverse("api:schema"), {"format": "json"}).json()
    components = schema["components"]["schemas"]

    def values(prop: dict) -> set[str]:
        found: set[str] = set(prop.get("enum", []))
        for ref in [prop.get("$ref"), *(p.get("$ref") for p in prop.get("oneOf", []))]:
            if ref:
                found |= set(components[ref.rsplit("/", 1)[1]].get("enum", []))
        for part in prop.get("oneOf", []):
            found |= set(part.get("enum", []))
        return found

    read = components["Assessment"]["properties"]["progress"]
    write = components["AssessmentInput"]["properties"]["progress"]
    for prop in (read, write):
        assert values(prop) >= set(Progress.values)
    assert "progress" not in components["AssessmentInput"].get("required", [])
