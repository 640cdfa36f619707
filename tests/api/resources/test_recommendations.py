"""/recommendations/: the tracker's rows for the roles that see recommendations (404 for
partner-only users, as on the pages), its filters, cursor pages in a fixed number of queries,
and the timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from recommendations import services
from recommendations.models import Recommendation
from tests.api.resources.conftest import codes, ids, results
from tests.factories import AuthorityFactory, PlaceFactory
from tests.factories.recommendations import RecommendationFactory
from tests.factories.visits import theme
from tests.recommendations.compliance_helpers import dispatch, issued_case, visit_at

pytestmark = pytest.mark.django_db


def test_only_roles_that_see_recommendations_get_them(case, clients):
    rec = case.recommendations[0]
    assert codes(clients, reverse("api:recommendation-list")) == "401 200 200 200 404 404"
    for name in ("api:recommendation-detail", "api:recommendation-timeline"):
        path = reverse(name, args=[rec.pk])
        assert codes(clients, path) == "401 200 200 200 404 404", name
    # Also for a partner asking for a recommendation of the visit they are on, by id.
    assert clients["partner_on"].get(
        reverse("api:recommendation-detail", args=[rec.pk])
    ).json() == {"error": {"status": 404, "code": "not_found", "message": "Not found."}}


def test_a_recommendation_with_its_current_status(case, clients):
    first, second = case.recommendations
    first.repeats.add(
        RecommendationFactory(visit=visit_at(case.visit.place, day=dt.date(2024, 5, 1)))
    )
    body = clients["compliance"].get(reverse("api:recommendation-detail", args=[first.pk])).json()
    assert body["reference"] == f"{case.visit.report.reference}/{first.number}"
    assert body["visit"] == case.visit.pk
    assert body["place"] == case.visit.place_id
    assert body["report"] == case.visit.report.pk
    assert sorted(body["addressees"]) == sorted([case.institution.pk, case.ministry.pk])
    assert body["status"] == "awaiting_response"
    assert body["dispatched_on"] == "2025-10-03"
    assert body["due_date"] == "2025-12-02"
    assert body["overdue"] is True  # due in 2025, no letter
    assert body["theme"]["code"] == first.theme.code
    assert body["repeats"] == [first.repeats.get().pk]
    assert body["timeline"].endswith(reverse("api:recommendation-timeline", args=[first.pk]))


def test_filters_of_the_tracker(case, clients):
    first, second = case.recommendations
    Recommendation.objects.filter(pk=second.pk).update(
        priority="urgent", theme=theme("material-conditions")
    )
    other_ministry = AuthorityFactory(name="Ministry of Health")
    hospital = PlaceFactory(
        name="Special Hospital",
        category="psychiatric",
        district="Belgrade",
        authority=AuthorityFactory(name="Hospital", kind="institution", parent=other_ministry),
    )
    visit, _institution, _ministry, (elsewhere,) = issued_case(place=hospital, count=1)
    services.response_record(
        visit=visit,
        authority=hospital.authority,
        received_on=dt.date(2025, 10, 20),
        items=[{"recommendation": elsewhere, "stated_status": "implemented"}],
    )
    client = clients["staff"]
    url = reverse("api:recommendation-list")

    def found(**params):
        return ids(client.get(url, params))

    assert found() == {first.pk, second.pk, elsewhere.pk}
    assert found(status="response_received") == {elsewhere.pk}
    assert found(overdue="yes") == {first.pk, second.pk}
    assert found(overdue="no") == {elsewhere.pk}
    assert found(priority="urgent") == {second.pk}
    assert found(theme=theme("material-conditions").pk) == {second.pk}
    # An addressee finds what is addressed to the bodies below it too.
    assert found(authority=other_ministry.pk) == {elsewhere.pk}
    assert found(authority=case.institution.parent.parent.pk) == {first.pk, second.pk}
    assert found(place=hospital.pk) == {elsewhere.pk}
    assert found(category="psychiatric") == {elsewhere.pk}
    assert found(district="Nišava") == {first.pk, second.pk}
    assert found(year=2025) == {first.pk, second.pk, elsewhere.pk}
    assert found(year=2023) == set()
    assert found(visit=visit.pk) == {elsewhere.pk}
    assert found(q="Special Hosp") == {elsewhere.pk}
    assert found(q=case.visit.report.reference) == {first.pk, second.pk}


def test_bad_filter_values_are_400_with_the_field(case, clients):
    response = clients["staff"].get(
        reverse("api:recommendation-list"),
        {"status": "done", "overdue": "maybe", "authority": "abc", "year": "1e309"},
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert {"status", "overdue", "authority", "year"} <= set(fields)


def _list_queries(client, django_assert_max_num_queries, limit: int) -> list[dict]:
    with django_assert_max_num_queries(limit) as captured:
        rows = results(client.get(reverse("api:recommendation-list"), {"page_size": 100}))
    return rows, len(captured)


def test_the_list_does_not_grow_in_queries_with_more_rows(
    case, clients, django_assert_max_num_queries
):
    client = clients["staff"]
    client.get(reverse("api:recommendation-list"))  # the token's first use is written down once
    rows, few = _list_queries(client, django_assert_max_num_queries, 30)
    assert len(rows) == 2
    for _n in range(3):
        visit, _i, _m, recs = issued_case(count=4)
        dispatch(visit, visit.place.authority, dt.date(2025, 10, 3))
        for rec in recs:
            rec.repeats.add(case.recommendations[0])
    rows, many = _list_queries(client, django_assert_max_num_queries, few)
    assert len(rows) == 14
    assert many == few


def test_the_timeline(case, clients, staff):
    first, _second = case.recommendations
    letter = services.response_record(
        visit=case.visit,
        authority=case.institution,
        received_on=dt.date(2025, 11, 20),
        reference="72-9/2025",
        items=[{"recommendation": first, "stated_status": "in_progress"}],
    )
    services.assessment_record(
        recommendation=first,
        status="in_progress",
        basis="response",
        response=letter,
        assessed_on=dt.date(2025, 11, 25),
        by=staff,
    )
    response = clients["compliance"].get(reverse("api:recommendation-timeline", args=[first.pk]))
    events = response.json()
    assert [(e["date"], e["kind"]) for e in events if e["kind"] != "created"] == [
        ("2025-10-01", "issued"),
        ("2025-10-03", "dispatched"),
        ("2025-11-20", "response"),
        ("2025-11-25", "assessment"),
        ("2025-12-02", "due"),
    ]
    letter_event = next(e for e in events if e["kind"] == "response")
    assert "72-9/2025" in letter_event["label"]
    assert letter_event["page"].endswith(
        reverse("recommendations:response_detail", args=[letter.pk])
    )
    assert [e["kind"] for e in events].count("created") == 1
