"""Follow-up visits: planning one pre-fills its checklist with the place's open
recommendations; what the team saw becomes an assessment verified on site."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from recommendations import services
from recommendations.models import Basis, FollowUpCheck, Recommendation
from tests.factories.recommendations import RecommendationFactory
from tests.factories.visits import ReportFactory
from tests.recommendations.compliance_helpers import issued_case, visit_at
from visits.models import Visit

pytestmark = pytest.mark.django_db

Status = Recommendation.Status
FOLLOW_UP_DAY = dt.date(2026, 2, 10)


@pytest.fixture
def place_history():
    """An issued visit with two open and one implemented recommendation, a draft report at
    the same place, and an issued report elsewhere."""
    visit, _institution, _ministry, (first, second) = issued_case()
    done = RecommendationFactory(visit=visit, number=3)
    services.assessment_record(
        recommendation=done, status="implemented", basis="other", assessed_on=dt.date(2025, 11, 1)
    )
    draft_visit = visit_at(visit.place, day=dt.date(2025, 12, 1))
    ReportFactory(visit=draft_visit)
    draft = RecommendationFactory(visit=draft_visit, number=1)
    _other, _i, _m, (elsewhere, _) = issued_case()
    return {
        "visit": visit,
        "open": [first, second],
        "done": done,
        "draft": draft,
        "elsewhere": elsewhere,
    }


def _plan(place, **kwargs):
    return visit_at(place, day=FOLLOW_UP_DAY, kind="follow_up", status="planned", **kwargs)


def test_planning_a_follow_up_visit_prefills_open_recommendations(place_history):
    follow_up = _plan(place_history["visit"].place)
    lines = set(
        FollowUpCheck.objects.filter(visit=follow_up).values_list("recommendation", flat=True)
    )
    assert lines == {rec.pk for rec in place_history["open"]}


def test_other_kinds_of_visit_get_no_checklist(place_history):
    regular = visit_at(place_history["visit"].place, day=FOLLOW_UP_DAY, status="planned")
    assert not FollowUpCheck.objects.filter(visit=regular).exists()
    with pytest.raises(ValidationError, match="follow-up"):
        services.follow_up_checklist_prefill(visit=regular)


def test_prefill_is_idempotent_and_adds_what_became_open(place_history):
    follow_up = _plan(place_history["visit"].place)
    assert services.follow_up_checklist_prefill(visit=follow_up) == 0
    line = FollowUpCheck.objects.filter(visit=follow_up).first()
    line.observation = "Kept"
    line.save()
    # A later assessment reopens the implemented one: a refresh adds it, and keeps the rest.
    services.assessment_record(
        recommendation=place_history["done"],
        status="not_implemented",
        reason="funds",
        basis="other",
        assessed_on=dt.date(2025, 12, 1),
    )
    assert services.follow_up_checklist_prefill(visit=follow_up) == 1
    assert FollowUpCheck.objects.filter(visit=follow_up).count() == 3
    line.refresh_from_db()
    assert line.observation == "Kept"


def test_recording_a_check_makes_an_assessment_verified_on_site(place_history, staff):
    follow_up = _plan(place_history["visit"].place)
    rec = place_history["open"][0]
    check = FollowUpCheck.objects.get(visit=follow_up, recommendation=rec)
    with pytest.raises(ValidationError, match="conducted"):
        services.follow_up_check_record(
            check=check, observation="Seen", status="implemented", by=staff
        )
    Visit.objects.filter(pk=follow_up.pk).update(status="conducted")
    with pytest.raises(ValidationError) as error:
        services.follow_up_check_record(check=check, observation=" ", status="implemented")
    assert "observation" in error.value.error_dict
    check = services.follow_up_check_record(
        check=check,
        observation="Two new detention rooms equipped.",
        status="partially_implemented",
        reason="funds",
        by=staff,
    )
    assessment = check.assessment
    assert assessment.basis == Basis.FOLLOW_UP_VISIT
    assert assessment.follow_up_visit_id == follow_up.pk
    assert assessment.verified_on_site
    assert assessment.assessed_on == FOLLOW_UP_DAY
    assert assessment.assessed_by == staff
    rec.refresh_from_db()
    assert rec.status == Status.PARTIALLY_IMPLEMENTED
    assert rec.reason == "funds"
    assert rec.verified_on_site
    assert check.recorded_by == staff
    assert check.observation.startswith("Two new")


def test_recording_again_relinks_and_keeps_both_assessments(place_history):
    follow_up = _plan(place_history["visit"].place)
    Visit.objects.filter(pk=follow_up.pk).update(status="conducted")
    rec = place_history["open"][0]
    check = FollowUpCheck.objects.get(visit=follow_up, recommendation=rec)
    first = services.follow_up_check_record(
        check=check, observation="Not yet", status="not_implemented", reason="staff"
    ).assessment
    second = services.follow_up_check_record(
        check=check, observation="Done after all", status="implemented"
    ).assessment
    check.refresh_from_db()
    assert check.assessment == second
    assert set(rec.assessments.values_list("pk", flat=True)) == {first.pk, second.pk}
    rec.refresh_from_db()
    assert rec.status == Status.IMPLEMENTED


def test_check_reason_rules_are_the_assessment_rules(place_history):
    follow_up = _plan(place_history["visit"].place)
    Visit.objects.filter(pk=follow_up.pk).update(status="conducted")
    check = FollowUpCheck.objects.filter(visit=follow_up).first()
    with pytest.raises(ValidationError) as error:
        services.follow_up_check_record(check=check, observation="Seen", status="not_implemented")
    assert "reason" in error.value.error_dict
    check.refresh_from_db()
    assert check.assessment is None
    assert check.observation == ""
