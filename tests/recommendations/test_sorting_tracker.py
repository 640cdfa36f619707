"""The tracker's sortable headers (core.sorting over the tracker's own sort keys) and its
"Filters (n active)" button."""

from __future__ import annotations

import pytest

from recommendations.models import Status
from tests.factories.recommendations import RecommendationFactory
from tests.factories.visits import VisitFactory, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def recommendations():
    old = VisitFactory(planned_start=local(2025, 3, 1, 9, 0), year=2025, number=4)
    new = VisitFactory(planned_start=local(2026, 3, 1, 9, 0), year=2026, number=9)
    return [
        RecommendationFactory(visit=old, number=1, status=Status.AWAITING_RESPONSE),
        RecommendationFactory(visit=new, number=1, status=Status.AWAITING_RESPONSE),
    ]


def rows(response) -> list[str]:
    import re

    assert response.status_code == 200
    return re.findall(r'data-recommendation="(\d+)"', response.content.decode())


def test_the_reference_header_turns_the_order_round(staff_client, recommendations):
    old, new = (str(r.pk) for r in recommendations)
    page = staff_client.get("/recommendations/")
    assert rows(page) == [new, old]  # newest first
    html = page.content.decode()
    assert 'data-sort-key="reference"' in html
    assert 'aria-sort="descending"' in html
    assert "?sort=reference" in html
    page = staff_client.get("/recommendations/", {"sort": "reference"})
    assert rows(page) == [old, new]
    assert 'aria-sort="ascending"' in page.content.decode()
    assert "?sort=-reference" in page.content.decode()


def test_the_header_links_keep_the_search_and_every_filter(staff_client, recommendations):
    html = staff_client.get(
        "/recommendations/",
        {"q": "text", "status": "awaiting_response", "per_page": "50", "page": "1", "sort": "due"},
    ).content.decode()
    assert "?q=text&amp;status=awaiting_response&amp;per_page=50&amp;sort=-due" in html
    assert "?q=text&amp;status=awaiting_response&amp;per_page=50&amp;sort=place" in html
    # Status, place and priority sort one way (the tracker's keys): no "-status" link.
    assert "sort=-status" not in html
    assert "sort=-place" not in html


def test_an_unknown_tracker_sort_is_the_default_order(staff_client, recommendations):
    old, new = (str(r.pk) for r in recommendations)
    for bad in ("-status", "nope", "visit__place__authority__name"):
        assert rows(staff_client.get("/recommendations/", {"sort": bad})) == [new, old]


def test_the_filters_button_counts_the_active_filters(staff_client, recommendations):
    html = staff_client.get("/recommendations/").content.decode()
    assert 'id="filters-toggle"' in html
    assert "<span data-active-filters>0 active</span>" in html
    html = staff_client.get(
        "/recommendations/",
        {"q": "x", "status": "awaiting_response", "overdue": "yes", "sort": "due"},
    ).content.decode()
    # The search box and the order are not counted: they stay in view.
    assert "<span data-active-filters>2 active</span>" in html
    assert 'class="collapse d-lg-block" id="tracker-filters"' in html


def test_each_cell_names_its_column_for_the_phone_cards(staff_client, recommendations):
    html = staff_client.get("/recommendations/").content.decode()
    for label in ("Place", "Theme", "Priority", "Addressees", "Due date", "Status"):
        assert f'data-label="{label}"' in html
