"""A recommendation's timeline: issued, dispatched, due, responses, assessments and follow-up
visits, in date order."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from recommendations import services
from recommendations.models import FollowUpCheck
from tests.factories import AuthorityFactory
from tests.factories.recommendations import RecommendationFactory
from tests.recommendations.compliance_helpers import dispatch, issued_case, visit_at
from visits.models import Visit

pytestmark = pytest.mark.django_db


def test_timeline_order_and_contents(staff):
    with time_machine.travel(dt.datetime(2025, 9, 20, 10, tzinfo=timezone.get_default_timezone())):
        visit, institution, ministry, (rec, other) = issued_case()
    dispatch(visit, ministry, dt.date(2025, 10, 6))
    dispatch(visit, institution, dt.date(2025, 10, 3))
    letter = services.response_record(
        visit=visit,
        authority=institution,
        received_on=dt.date(2025, 11, 20),
        reference="72-9/2025",
        items=[
            {
                "recommendation": rec,
                "stated_status": "in_progress",
                "promised_by": dt.date(2026, 6, 1),
            },
            {"recommendation": other, "stated_status": "implemented"},
        ],
    )
    services.assessment_record(
        recommendation=rec,
        status="in_progress",
        basis="response",
        response=letter,
        assessed_on=dt.date(2025, 11, 25),
        by=staff,
    )
    follow_up = visit_at(visit.place, day=dt.date(2026, 2, 10), kind="follow_up", status="planned")
    Visit.objects.filter(pk=follow_up.pk).update(status="conducted")
    follow_up.refresh_from_db()
    check = FollowUpCheck.objects.get(visit=follow_up, recommendation=rec)
    services.follow_up_check_record(
        check=check, observation="Two rooms renovated.", status="implemented", by=staff
    )
    rec.refresh_from_db()

    events = services.recommendation_timeline(rec)
    summary = [(e.date, e.kind) for e in events]
    assert summary == [
        (dt.date(2025, 9, 20), "created"),
        (dt.date(2025, 10, 1), "issued"),
        (dt.date(2025, 10, 3), "dispatched"),
        (dt.date(2025, 10, 6), "dispatched"),
        (dt.date(2025, 11, 20), "response"),
        (dt.date(2025, 11, 25), "assessment"),
        (dt.date(2025, 12, 2), "due"),
        (dt.date(2026, 2, 10), "follow_up"),
        (dt.date(2026, 2, 10), "assessment"),
    ]
    by_kind = {}
    for event in events:
        by_kind.setdefault(event.kind, []).append(event)
    assert by_kind["issued"][0].detail == visit.report.reference
    assert [e.label for e in by_kind["dispatched"]] == [
        f"Sent to {institution}",
        f"Sent to {ministry}",
    ]
    response = by_kind["response"][0]
    assert institution.name in response.label
    assert "72-9/2025" in response.label
    assert "In progress" in response.detail
    assert "1 Jun 2026" in response.detail
    assert response.url == f"/recommendations/responses/{letter.pk}/"
    first, second = by_kind["assessment"]
    assert "In progress" in first.label
    assert "Authority response" in first.detail
    assert "Implemented" in second.label
    assert "verified on site" in second.detail
    assert staff.get_username() in second.detail or staff.get_full_name() in second.detail
    assert by_kind["follow_up"][0].detail == "Two rooms renovated."
    assert follow_up.reference in by_kind["follow_up"][0].label


def test_timeline_of_an_unissued_recommendation_has_only_its_creation():
    rec = RecommendationFactory()
    assert [e.kind for e in services.recommendation_timeline(rec)] == ["created"]


def test_dispatch_to_an_authority_that_is_not_an_addressee_is_left_out():
    visit, institution, _ministry, _recs = issued_case()
    institution_only = RecommendationFactory(visit=visit, number=9, addressees=[institution])
    dispatch(visit, AuthorityFactory(name="Ombudsman of the Province"), dt.date(2025, 10, 2))
    kinds = [e.kind for e in services.recommendation_timeline(institution_only)]
    assert "dispatched" not in kinds
