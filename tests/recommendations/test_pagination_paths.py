"""The fast paths of the tracker's and the portal's pages give exactly the rows of the plain ones:
pages read key first hold what slicing the filtered set would, in the same order, and a search
read by walking the order (`walk`) finds what the union of index scans finds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from recommendations import pagination
from recommendations.models import Recommendation
from recommendations.queries.filters import RecommendationFilter, annotate_for_list
from tests.factories import AuthorityFactory, PlaceFactory
from tests.factories.recommendations import RecommendationFactory
from tests.factories.visits import ReportFactory, VisitFactory, local
from visits.models import ReportStatus

pytestmark = pytest.mark.django_db

TRACKER = reverse("recommendations:list")
PORTAL = reverse("portal:index")


@pytest.fixture
def world():
    """Three places, one of them a youth centre; visits over four years, four to six
    recommendations each, some of whose texts name youth; issued reports, half the
    recommendations public."""
    ministry = AuthorityFactory(name="Ministry of Justice")
    places = [
        PlaceFactory(name="Youth Detention Centre Kruševac", authority=ministry),
        PlaceFactory(name="District Prison Niš", authority=ministry),
        PlaceFactory(name="Police Station Pirot", authority=ministry),
    ]
    number = 0
    for year in (2021, 2022, 2023, 2024):
        for index, place in enumerate(places):
            number += 1
            start = local(year, 3 + index, 10, 9, 0)
            visit = VisitFactory(
                place=place,
                year=year,
                number=number,
                planned_start=start,
                planned_end=start + dt.timedelta(hours=6),
            )
            ReportFactory(
                visit=visit,
                reference=f"NPM-{year}-{number:03d}",
                status=ReportStatus.ISSUED,
                issued_on=dt.date(year, 6, index + 1),
                issued_at=local(year, 6, index + 1, 12, 0),
            )
            for n in range(1, 5 + (number % 3)):
                RecommendationFactory(
                    visit=visit,
                    number=n,
                    text=("Youth detainees need schooling." if (n + number) % 4 == 0 else "")
                    + f" Repair the cells ({year}/{n}).",
                    public=n % 2 == 1,
                )
    return places


def _tracker_rows(client, **params) -> list[int]:
    response = client.get(TRACKER, params)
    assert response.status_code == 200
    return [rec.pk for rec in response.context["rows"]]


def _all_pages(client, per_page: int, **params) -> list[int]:
    first = client.get(TRACKER, {**params, "per_page": per_page})
    pages = first.context["page"].paginator.num_pages
    rows = []
    for number in range(1, pages + 1):
        rows += _tracker_rows(client, **params, per_page=per_page, page=number)
    return rows


def _expected(**params) -> list[int]:
    queryset = annotate_for_list(Recommendation.objects.all())
    return list(
        RecommendationFilter(params or None, queryset=queryset).qs.values_list("pk", flat=True)
    )


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"sort": "reference"},
        {"sort": "due"},
        {"sort": "priority"},
        {"sort": "place"},
        {"q": "youth"},
        {"q": "youth", "sort": "status"},
        {"q": "Kruševac"},
    ],
)
def test_every_page_read_key_first_holds_the_rows_of_the_filtered_set(world, staff_client, params):
    expected = _expected(**params)
    assert len(expected) > 10
    assert _all_pages(staff_client, 10, **params) == expected


@pytest.mark.parametrize("text", ["youth", "Kruševac", "NPM-2022", "NPM-2023-007/2", "cells"])
def test_the_walking_form_of_the_search_finds_the_same_rows_in_the_same_order(world, text):
    queryset = annotate_for_list(Recommendation.objects.all())
    for sort in ("-reference", "reference"):
        rec_filter = RecommendationFilter({"q": text, "sort": sort}, queryset=queryset)
        union = list(rec_filter.qs.values_list("pk", flat=True))
        walked = list(rec_filter.walking_qs.values_list("pk", flat=True))
        assert union, text
        assert walked == union


def test_there_is_no_walking_form_without_a_search_or_for_another_sort(world):
    queryset = Recommendation.objects.all()
    assert RecommendationFilter({"sort": "-reference"}, queryset=queryset).walking_qs is None
    assert RecommendationFilter({"q": "youth", "sort": "due"}, queryset=queryset).walking_qs is None


@pytest.mark.parametrize("walk", [True, False])
def test_tracker_pages_are_the_same_whichever_path_reads_them(
    world, staff_client, monkeypatch, walk
):
    expected = _expected(q="youth")
    monkeypatch.setattr(pagination, "prefers_walk", lambda *args: walk)
    assert _all_pages(staff_client, 5, q="youth") == expected


def test_prefers_walk_follows_the_number_of_matches_and_the_depth():
    # 17,000 matches of 200,000: the first page is found after ~300 rows walked.
    assert pagination.prefers_walk(17_000, 200_000, 25)
    # A rare word: walking would read everything to find 25 rows.
    assert not pagination.prefers_walk(200, 200_000, 25)
    # Many matches but a deep page: the walk runs through most of the table.
    assert not pagination.prefers_walk(17_000, 200_000, 15_000)
    assert not pagination.prefers_walk(0, 200_000, 25)
    assert not pagination.prefers_walk(10, 0, 25)


@pytest.mark.parametrize("walk", [True, False])
def test_portal_search_pages_are_the_same_whichever_path_reads_them(
    world, anonymous_client, monkeypatch, walk
):
    monkeypatch.setattr(pagination, "prefers_walk", lambda *args: walk)
    seen = []
    page = 1
    while True:
        response = anonymous_client.get(PORTAL, {"q": "youth", "page": page})
        assert response.status_code == 200
        recommendations = response.context["recommendations"]
        seen += [rec.pk for rec in recommendations]
        if not recommendations.has_next():
            break
        page += 1
    expected = list(
        Recommendation.objects.public()
        .filter(pk__in=[pk for pk in _expected(q="youth")])
        .order_by("-visit__report__issued_on", "-visit_id", "number")
        .values_list("pk", flat=True)
    )
    assert expected
    assert seen == expected
    assert not Recommendation.objects.filter(pk__in=seen, public=False).exists()
