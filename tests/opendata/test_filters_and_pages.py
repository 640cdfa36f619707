"""The portal's filters on open data, their 400s, the cursor pages, and a fixed number of queries
per page whatever its size."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories.recommendations import RecommendationFactory
from tests.opendata.conftest import all_pages, ids

pytestmark = pytest.mark.django_db

RECS = "opendata:recommendation-list"
REPORTS = "opendata:report-list"


def _ids(client, name, **params) -> set[int]:
    return set(ids(all_pages(client, name, **params)))


def test_recommendation_filters(anonymous_client, world):
    c = anonymous_client
    w = {k: v.pk for k, v in world.items()}
    assert _ids(c, RECS, year=2025) == {w["public"], w["formula"]}
    assert _ids(c, RECS, year=2026) == {w["cyrillic"], w["themeless"]}
    assert _ids(c, RECS, theme="ill-treatment") == {w["formula"]}
    assert _ids(c, RECS, category="prison") == {w["cyrillic"], w["themeless"]}
    assert _ids(c, RECS, status="partially_implemented") == {w["public"]}
    assert _ids(c, RECS, place=w["station"]) == {w["public"], w["formula"]}
    assert _ids(c, RECS, report=w["nis_report"]) == {w["cyrillic"], w["themeless"]}
    assert _ids(c, RECS, q="house rules") == {w["themeless"]}
    assert _ids(c, RECS, q="npm-2025-007") == {w["public"], w["formula"]}


def test_authority_filter_takes_the_bodies_below(anonymous_client, world):
    c = anonymous_client
    w = {k: v.pk for k, v in world.items()}
    # The ministry is addressed by one recommendation; its police department by two more.
    assert _ids(c, RECS, authority=w["ministry"]) == {w["public"], w["formula"]}
    assert _ids(c, RECS, authority=w["prison_authority"]) == {w["cyrillic"], w["themeless"]}
    assert _ids(c, REPORTS, authority=w["justice"]) == {w["nis_report"]}


def test_report_filters(anonymous_client, world):
    c = anonymous_client
    w = {k: v.pk for k, v in world.items()}
    assert _ids(c, REPORTS, year=2026) == {w["nis_report"]}
    assert _ids(c, REPORTS, theme="health-care") == {w["nis_report"]}
    assert _ids(c, REPORTS, category="police") == {w["report"]}
    assert _ids(c, REPORTS, q="kruševac") == {w["report"]}
    assert _ids(c, REPORTS, place=w["prison"]) == {w["nis_report"]}


@pytest.mark.parametrize(
    ("name", "params", "field"),
    [
        (RECS, {"year": "twenty"}, "year"),
        (RECS, {"year": "1.5"}, "year"),
        (RECS, {"theme": "no-such-theme"}, "theme"),
        (RECS, {"status": "done"}, "status"),
        (RECS, {"category": "castle"}, "category"),
        (RECS, {"authority": "999999"}, "authority"),
        (RECS, {"q": "x" * 201}, "q"),
        (REPORTS, {"place": "abc"}, "place"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_field(anonymous_client, world, name, params, field):
    response = anonymous_client.get(reverse(name), params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"]


def test_filters_do_not_reveal_what_is_not_public(anonymous_client, world):
    # An unissued report or a place visited only in drafts is "not a valid choice", exactly
    # like an id that does not exist.
    unissued = anonymous_client.get(reverse(RECS), {"report": world["draft_report"].pk})
    missing = anonymous_client.get(reverse(RECS), {"report": 999999})
    assert unissued.status_code == missing.status_code == 400
    assert unissued.json() == missing.json()
    only_in_drafts = world["draft_report"].visit.place  # also visited with an issued report
    assert anonymous_client.get(reverse(RECS), {"place": only_in_drafts.pk}).status_code == 200


def test_the_cursor_follows_to_the_end_without_duplicates(anonymous_client, world):
    visit = world["public"].visit
    extra = [RecommendationFactory(visit=visit, number=10 + n, public=True).pk for n in range(7)]
    records = all_pages(anonymous_client, RECS, page_size=2)
    got = ids(records)
    assert len(got) == len(set(got)) == 11
    assert set(extra) <= set(got)
    # Newest first, and each page is at most the size asked for.
    assert got == sorted(got, reverse=True)
    first = anonymous_client.get(reverse(RECS), {"page_size": 2}).json()
    assert len(first["results"]) == 2
    assert first["previous"] is None


def test_a_bad_cursor_is_a_clear_400(anonymous_client, world):
    response = anonymous_client.get(reverse(RECS), {"cursor": "not-a-cursor"})
    assert response.status_code == 400
    assert "cursor" in response.json()["error"]["fields"]


def test_a_page_costs_the_same_queries_whatever_its_size(
    anonymous_client, world, django_assert_max_num_queries
):
    visit = world["public"].visit
    for n in range(20):
        RecommendationFactory(visit=visit, number=20 + n, public=True)
    small = anonymous_client.get(reverse(RECS), {"page_size": 2})
    assert small.status_code == 200
    # Page (1), addressees (1), and the session-less middleware: nothing per row.
    with django_assert_max_num_queries(4):
        big = anonymous_client.get(reverse(RECS), {"page_size": 24})
    assert len(big.json()["results"]) == 24


@pytest.mark.parametrize(
    "params",
    [
        {"q": "a\x00b"},
        {"theme": "x\x00"},
        {"authority": str(2**70)},
        {"report": "-1"},
        {"year": str(2**70)},
        {"page_size": "-5"},
    ],
)
def test_odd_values_are_answered_never_a_500(anonymous_client, world, params):
    response = anonymous_client.get(reverse(RECS), params)
    assert response.status_code in (200, 400)
    assert "error" in response.json() or "results" in response.json()


def test_a_huge_id_is_a_404(anonymous_client, world):
    response = anonymous_client.get(f"{reverse(RECS)}{2**70}/")
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404
