"""The four-level progress judgement at follow-up (after HM Inspectorate of Prisons), optional,
beside the status: recorded by `assessment_record`, offered by the assess page, shown on the
timeline and the recommendation's page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from recommendations import services
from recommendations.forms.compliance import AssessmentForm
from recommendations.models import Assessment, Progress
from tests.recommendations.compliance_helpers import dispatch, issued_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    visit, institution, ministry, recommendations = issued_case(count=1)
    dispatch(visit, institution, dt.date(2025, 10, 3))
    letter = services.response_record(
        visit=visit,
        authority=institution,
        received_on=dt.date(2025, 11, 20),
        items=[{"recommendation": recommendations[0], "stated_status": "in_progress"}],
    )
    return recommendations[0], letter


def _assess(recommendation, letter, **overrides) -> Assessment:
    data = {
        "recommendation": recommendation,
        "status": "in_progress",
        "basis": "response",
        "response": letter,
        "assessed_on": dt.date(2025, 12, 1),
        **overrides,
    }
    return services.assessment_record(**data)


@pytest.mark.parametrize("progress", Progress.values)
def test_each_level_is_recorded(case, progress):
    assessment = _assess(*case, progress=progress)
    assessment.refresh_from_db()
    assert assessment.progress == progress


def test_progress_is_optional(case):
    assert _assess(*case).progress == ""


def test_an_unknown_level_is_refused_by_the_field(case):
    with pytest.raises(ValidationError) as caught:
        _assess(*case, progress="splendid")
    assert "progress" in caught.value.message_dict
    assert not Assessment.objects.exists()


def test_the_form_offers_progress_optionally(case):
    recommendation, letter = case
    field = AssessmentForm(recommendation=recommendation).fields["progress"]
    assert not field.required
    assert [value for value, _label in field.choices] == ["", *Progress.values]
    assert field.help_text
    bad = AssessmentForm(
        {
            "status": "in_progress",
            "basis": "response",
            "response": letter.pk,
            "assessed_on": "2025-12-01",
            "progress": "splendid",
        },
        recommendation=recommendation,
    )
    assert "progress" in bad.errors


def test_the_assess_page_records_progress(case, compliance_client, compliance):
    recommendation, letter = case
    url = reverse("recommendations:assess", args=[recommendation.pk])
    page = compliance_client.get(url).content.decode()
    assert 'name="progress"' in page
    assert "Reasonable progress" in page
    response = compliance_client.post(
        url,
        {
            "status": "in_progress",
            "basis": "response",
            "response": letter.pk,
            "assessed_on": "2025-12-01",
            "progress": "reasonable",
        },
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.progress, assessment.assessed_by) == ("reasonable", compliance)


def test_the_timeline_and_the_page_show_progress(case, staff_client):
    recommendation, letter = case
    _assess(recommendation, letter, progress="insufficient")
    event = next(
        e for e in services.recommendation_timeline(recommendation) if e.kind == "assessment"
    )
    assert "Insufficient progress" in event.detail
    html = staff_client.get(recommendation.get_absolute_url()).content.decode()
    assert 'data-progress="insufficient"' in html
    assert html.count("Insufficient progress") >= 2  # the assessments table and the timeline


def test_without_progress_nothing_is_shown(case, staff_client):
    recommendation, letter = case
    _assess(recommendation, letter)
    event = next(
        e for e in services.recommendation_timeline(recommendation) if e.kind == "assessment"
    )
    assert "progress" not in event.detail.lower()
    assert (
        "data-progress" not in staff_client.get(recommendation.get_absolute_url()).content.decode()
    )
