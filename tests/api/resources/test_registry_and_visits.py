"""/places/, /authorities/ and /visits/ for every role, with the pages' access rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.api.resources.conftest import codes, ids, results
from tests.factories import AuthorityFactory, PlaceFactory
from tests.factories.visits import InterviewFactory
from visits.models import Attachment, Visit

pytestmark = pytest.mark.django_db


def test_the_registry_is_for_every_role_but_not_anonymous(case, clients):
    place = case.visit.place
    assert codes(clients, reverse("api:place-list")) == "401 200 200 200 200 200"
    path = reverse("api:place-detail", args=[place.pk])
    assert codes(clients, path) == "401 200 200 200 200 200"
    body = clients["partner_off"].get(path).json()
    assert body["name"] == "District Prison Niš"
    assert body["authority"] == case.institution.pk
    assert "notes" not in body
    authority = reverse("api:authority-detail", args=[case.institution.pk])
    assert codes(clients, authority) == "401 200 200 200 200 200"
    assert clients["staff"].get(authority).json()["parent"] == case.institution.parent_id


def test_places_filter_by_authority_subtree_and_district(case, clients):
    ministry = case.institution.parent.parent
    elsewhere = case.elsewhere.place
    client = clients["staff"]
    found = ids(client.get(reverse("api:place-list"), {"authority": ministry.pk}))
    assert found == {case.visit.place.pk}
    assert ids(client.get(reverse("api:place-list"), {"district": "Pčinja"})) == {elsewhere.pk}
    unknown = client.get(reverse("api:place-list"), {"authority": 99999999999999999999})
    assert unknown.status_code == 400
    assert "authority" in unknown.json()["error"]["fields"]


def test_authorities_filter_by_parent_and_subtree(case, clients):
    directorate = case.institution.parent
    ministry = directorate.parent
    AuthorityFactory(name="Unrelated body")
    client = clients["compliance"]
    url = reverse("api:authority-list")
    assert ids(client.get(url, {"parent": ministry.pk})) == {directorate.pk}
    assert ids(client.get(url, {"within": ministry.pk})) == {
        ministry.pk,
        directorate.pk,
        case.institution.pk,
    }
    assert ids(client.get(url, {"q": "Unrelated"})) == {
        a["id"] for a in results(client.get(url, {"q": "unrelated body"}))
    }


def test_partner_sees_only_the_visits_they_are_on(case, clients):
    url = reverse("api:visit-list")
    assert ids(clients["partner_on"].get(url)) == {case.visit.pk}
    assert ids(clients["partner_off"].get(url)) == set()
    assert ids(clients["compliance"].get(url)) == {case.visit.pk, case.elsewhere.pk}
    assert clients["anonymous"].get(url).status_code == 401


def test_a_visit_the_partner_is_not_on_is_404_by_id(case, clients):
    mine = reverse("api:visit-detail", args=[case.visit.pk])
    other = reverse("api:visit-detail", args=[case.elsewhere.pk])
    assert codes(clients, mine) == "401 200 200 200 200 404"
    assert codes(clients, other) == "401 200 200 200 404 404"
    missing = reverse("api:visit-detail", args=[999999])
    assert codes(clients, missing) == "401 404 404 404 404 404"


def test_a_visit_shows_its_team_and_population_never_its_interviews(case, clients, staff):
    InterviewFactory(visit=case.visit, notes="Secret notes of the interview.")
    Attachment.objects.create(
        visit=case.visit,
        title="Medical record",
        file="x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=1,
        confidential=True,
    )
    Visit.objects.filter(pk=case.visit.pk).update(present=120, women=4)
    response = clients["head"].get(reverse("api:visit-detail", args=[case.visit.pk]))
    body = response.json()
    assert body["reference"] == case.visit.reference
    assert body["population"]["present"] == 120
    assert body["report"] == case.visit.report.pk
    assert sorted((m["role"], m["kind"]) for m in body["team"]) == [
        ("head", "staff"),
        ("member", "partner"),
    ]
    text = response.content.decode()
    for word in ("interview", "Secret notes", "Medical record", "attachment", "identity"):
        assert word not in text


def test_visit_filters(case, clients):
    client = clients["head"]
    url = reverse("api:visit-list")
    assert ids(client.get(url, {"place": case.elsewhere.place.pk})) == {case.elsewhere.pk}
    assert ids(client.get(url, {"status": "reporting"})) == {case.visit.pk, case.elsewhere.pk}
    assert ids(client.get(url, {"status": "planned"})) == set()
    assert ids(client.get(url, {"kind": "follow_up"})) == set()
    assert ids(client.get(url, {"year": 2025})) == {case.visit.pk, case.elsewhere.pk}
    assert ids(client.get(url, {"year": 2024})) == set()
    assert ids(client.get(url, {"date_from": "2025-09-11"})) == set()
    assert ids(client.get(url, {"date_to": "2025-09-10"})) == {case.visit.pk, case.elsewhere.pk}
    bad = client.get(url, {"status": "nonsense", "year": "1.5", "date_from": "2025-13-45"})
    assert bad.status_code == 400
    assert {"status", "year", "date_from"} <= set(bad.json()["error"]["fields"])


def test_partner_filters_cannot_reveal_other_visits(case, clients):
    url = reverse("api:visit-list")
    found = ids(clients["partner_on"].get(url, {"place": case.elsewhere.place.pk}))
    assert found == set()


def test_visit_list_is_paged_by_cursor_with_a_bounded_page_size(clients):
    place = PlaceFactory()
    start = dt.datetime(2025, 1, 1, 9, tzinfo=dt.UTC)
    for day in range(7):
        Visit.objects.create(
            place=place,
            kind="regular",
            year=2025,
            number=100 + day,
            planned_start=start + dt.timedelta(days=day),
            planned_end=start + dt.timedelta(days=day, hours=5),
        )
    client = clients["staff"]
    first = client.get(reverse("api:visit-list"), {"page_size": 3}).json()
    assert len(first["results"]) == 3
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()
    seen = [v["id"] for page in (first, second, third) for v in page["results"]]
    assert len(seen) == len(set(seen)) == 7
    assert third["next"] is None
    # Too large a page size is capped, nonsense falls back to the default; a forged cursor is
    # refused.
    assert len(client.get(reverse("api:visit-list"), {"page_size": 10**9}).json()["results"]) == 7
    assert client.get(reverse("api:visit-list"), {"page_size": "x"}).status_code == 200
    assert client.get(reverse("api:visit-list"), {"cursor": "zzz"}).status_code == 400


def test_visit_and_report_lists_do_not_grow_in_queries(case, clients, staff, members):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories.visits import ReportFactory, TeamMemberFactory, VisitFactory

    client = clients["staff"]
    client.get(reverse("api:visit-list"))  # the token's first use is written down once

    def count(name: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        return len(captured)

    few = {name: count(name) for name in ("api:visit-list", "api:report-list")}
    for _n in range(5):
        visit = VisitFactory()
        TeamMemberFactory(visit=visit, member=members[1], role="member")
        TeamMemberFactory(visit=visit, user=staff, role="head")
        ReportFactory(visit=visit)
    assert {name: count(name) for name in few} == few
