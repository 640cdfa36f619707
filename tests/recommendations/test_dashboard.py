"""The compliance dashboard: access by role, the figures of the fixed fixture on the page (chart
and table), the year filter, links into the tracker, and a pinned query count."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from tests.recommendations import stats_world

pytestmark = pytest.mark.django_db

URL = reverse("recommendations:dashboard")


@pytest.fixture
def world():
    return stats_world.build()[0]


@pytest.fixture
def frozen():
    with time_machine.travel(stats_world.today_noon(), tick=False):
        yield


def _html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _row(html: str, table: str, key) -> str:
    """The <tr> of `table` whose data-row is `key`."""
    section = html[html.index(f'id="table-{table}"') :]
    section = section[: section.index("</table>")]
    match = re.search(rf'<tr data-row="{key}">(.*?)</tr>', section, re.S)
    assert match, f"no row {key} in {table}"
    return match.group(1)


def _cells(row_html: str) -> list[str]:
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row_html, re.S)
    return [re.sub(r"<[^>]+>", "", c).split()[0] if c.strip() else "" for c in cells]


def test_anonymous_is_sent_to_login(anonymous_client):
    response = anonymous_client.get(URL)
    assert response.status_code == 302
    assert urlparse(response.url).path == reverse("login")


def test_partner_member_gets_404(partner_client):
    assert partner_client.get(URL).status_code == 404


@pytest.mark.parametrize("client_name", ["head_client", "staff_client", "compliance_client"])
def test_npm_roles_see_the_dashboard(request, client_name, world):
    client = request.getfixturevalue(client_name)
    assert "Compliance dashboard" in _html(client.get(URL))


def test_user_without_a_role_is_refused(client, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x-pass-2026-long")
    client.force_login(user)
    assert client.get(URL).status_code == 403


def test_key_figures_equal_the_hand_computed_ones(compliance_client, world, frozen):
    html = _html(compliance_client.get(URL))
    assert 'data-stat="recommendations">10<' in html
    assert 'data-stat="implementation-rate">22.2 %<' in html
    assert 'data-stat="overdue">3<' in html
    assert 'data-stat="average-days">33.3<' in html


def test_tables_show_counts_and_percentages_per_group(compliance_client, world, frozen):
    html = _html(compliance_client.get(URL))
    prison_a = world.authorities["PrisonA"].pk
    # Implemented, partially, not implemented, awaiting, counted, no longer applicable.
    assert _cells(_row(html, "authority", prison_a)) == ["2", "1", "1", "3", "7", "1"]
    assert "(28.6 %)" in _row(html, "authority", prison_a)
    assert "(42.9 %)" in _row(html, "authority", prison_a)
    assert _cells(_row(html, "category", "police")) == ["0", "0", "1", "1", "2", "0"]
    theme_b = world.theme_b.pk
    assert _cells(_row(html, "theme", theme_b)) == ["0", "1", "0", "2", "3", "1"]
    assert "(66.7 %)" in _row(html, "theme", theme_b)
    assert _cells(_row(html, "theme", "none")) == ["0", "0", "1", "1", "2", "0"]
    assert _cells(_row(html, "year", 2025)) == ["1", "1", "2", "1", "5", "1"]
    assert _cells(_row(html, "year", 2026)) == ["1", "0", "0", "3", "4", "0"]
    assert _cells(_row(html, "overdue", prison_a)) == ["2"]
    assert _cells(_row(html, "days", world.authorities["MinJ"].pk)) == ["3", "46.7"]
    assert "2025: 2 visits (Prison: 1; Police station / detention unit: 1); 6 recommendations." in (
        html
    )
    r8 = world.recs["r8"].pk
    assert re.search(rf'data-concern="{r8}".*?data-times>3<', html, re.S)


def test_charts_are_svg_without_style_attributes_or_scripts(compliance_client, world, frozen):
    html = _html(compliance_client.get(URL))
    assert html.count('<svg class="npm-chart"') == 7
    assert "style=" not in html
    assert "<script>" not in html
    # The Prison A bar: 2 of 7 implemented → 100 of the 350 units of the bar.
    assert re.search(r'<rect x="218.0" y="[\d.]+" width="100.0" height="16" fill="#1b6ca8"', html)
    # Coordinates are never localised (a decimal comma would break the SVG).
    with_serbian = compliance_client.get(URL, HTTP_ACCEPT_LANGUAGE="sr-latn")
    assert 'width="100.0"' in with_serbian.content.decode()


def test_year_filter_narrows_the_figures(compliance_client, world, frozen):
    response = compliance_client.get(URL, {"year": 2026})
    html = _html(response)
    assert response.context["selected_year"] == 2026
    assert 'data-stat="recommendations">4<' in html
    assert 'data-stat="overdue">1<' in html
    assert 'data-row="2025"' not in html[html.index('id="table-year"') :]
    assert reverse("recommendations:annual_report", args=[2026]) in html


def test_a_bad_year_shows_all_years(compliance_client, world, frozen):
    # "²" and "²⁰²⁶" pass str.isdigit() yet int() refuses them: that was a 500.
    for value in ["x", "20261", "-1", "1800", "²", "²⁰²⁶", " "]:
        response = compliance_client.get(URL, {"year": value})
        assert response.status_code == 200
        assert response.context["selected_year"] is None
        assert response.context["overall"].all_count == 10


def test_links_lead_into_the_tracker_with_matching_filters(compliance_client, world, frozen):
    response = compliance_client.get(URL, {"year": 2025})
    html = _html(response)
    tracker = reverse("recommendations:list")
    links = [
        parse_qs(urlparse(href.replace("&amp;", "&")).query)
        for href in re.findall(r'href="([^"]+)"', html)
        if urlparse(href).path == tracker
    ]
    prison_a = str(world.authorities["PrisonA"].pk)
    assert {"overdue": ["yes"], "year": ["2025"]} in links
    assert {"authority": [prison_a], "year": ["2025"]} in links
    assert {"status": ["implemented"], "authority": [prison_a], "year": ["2025"]} in links
    assert {"category": ["prison"], "year": ["2025"]} in links
    assert {"repeated": ["yes"], "year": ["2025"]} in links
    # Every link is to filters the tracker knows.
    known = {"status", "overdue", "theme", "authority", "category", "year", "repeated"}
    assert all(set(params) <= known for params in links)
    # A followed link is a working tracker page.
    assert compliance_client.get(f"{tracker}?status=implemented&year=2025").status_code == 200


def test_empty_database_shows_the_page(compliance_client):
    html = _html(compliance_client.get(URL))
    assert "No recommendations of issued reports." in html


def test_query_count_is_pinned_and_does_not_grow(compliance_client, django_assert_num_queries):
    stats_world.build(copies=1)
    compliance_client.get(URL)  # warm the session and the permission cache of the user
    cache.clear()
    with django_assert_num_queries(QUERIES):
        compliance_client.get(URL)
    with django_assert_num_queries(CACHED_QUERIES):
        compliance_client.get(URL)
    stats_world.build_one(suffix=" twin")  # a write: the cached figures are stale
    with django_assert_num_queries(QUERIES):
        response = compliance_client.get(URL)
    assert response.context["overall"].all_count == 20


# The request's own 7: session and user, the groups (partner check, cached on the user for the
# role badges too: `core.roles.user_roles`) and permissions (user, groups), the savepoint and its
# release. Then, unless cached, the summary (8), the years of the filter (1) and the frozen
# annual report of the year the link offers, for its checksum (1).
CACHED_QUERIES = 7
QUERIES = CACHED_QUERIES + 8 + 1 + 1
