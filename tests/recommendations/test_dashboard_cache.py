"""The compliance dashboard's figures are cached and never stale: a second request reads them from
the cache, and whatever changes a figure (an assessment, a new recommendation, an issued report,
an addressee, a bulk change, an import) shows on the next request. The per-authority tables are
paged, the charts hold no links."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations import cache as figures_cache
from recommendations import services
from recommendations.models import ImportBatch, Recommendation
from recommendations.views import dashboard
from tests.factories import AuthorityFactory
from tests.factories.recommendations import RecommendationFactory
from tests.recommendations import stats_world
from tests.recommendations.compliance_helpers import issued_case
from visits.models import Report

pytestmark = pytest.mark.django_db

URL = reverse("recommendations:dashboard")


@pytest.fixture
def world():
    return stats_world.build()[0]


@pytest.fixture
def frozen():
    with time_machine.travel(stats_world.today_noon(), tick=False):
        yield


def _queries(client, **params) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _main(html: str) -> str:
    return html[html.index('<main id="main"') : html.index("</main>")]


def _stat(html: str, name: str) -> str:
    return re.search(rf'data-stat="{name}">([^<]*)<', html).group(1)


def _table_rows(html: str, table: str) -> list[str]:
    section = html[html.index(f'id="table-{table}"') :]
    section = section[: section.index("</table>")]
    return re.findall(r'<tr data-row="([^"]+)">', section)


def test_a_second_request_reads_the_figures_from_the_cache(compliance_client, world, frozen):
    first, html = _queries(compliance_client)
    second, cached_html = _queries(compliance_client)
    assert second <= first - 9  # the summary (8) and the years (1) are not asked again
    assert _main(cached_html) == _main(html)
    # Another year is another entry.
    third, _html = _queries(compliance_client, year=2026)
    assert third == first


def test_each_language_has_its_own_entry(compliance_client, world, frozen):
    _queries(compliance_client)
    serbian = compliance_client.get(URL, HTTP_ACCEPT_LANGUAGE="sr-latn").content.decode()
    assert "Kazneno-popravni zavod" in serbian  # "Prison", not the English label cached first


def test_an_assessment_shows_at_once(compliance_client, world, frozen):
    _count, html = _queries(compliance_client)
    assert _stat(html, "implementation-rate") == "22.2 %"  # 2 of 9
    services.assessment_record(
        recommendation=world.recs["r10"],
        status=Recommendation.Status.IMPLEMENTED,
        basis="other",
        assessed_on=stats_world.TODAY,
    )
    _count, html = _queries(compliance_client)
    assert _stat(html, "implementation-rate") == "33.3 %"  # 3 of 9


def test_a_new_recommendation_shows_at_once(compliance_client, world, frozen):
    _queries(compliance_client)
    RecommendationFactory(visit=world.visits["V3"], number=5, addressees=[])
    _count, html = _queries(compliance_client)
    assert _stat(html, "recommendations") == "11"


def test_issuing_a_report_counts_its_recommendations(compliance_client, world, frozen):
    _count, html = _queries(compliance_client)
    assert _stat(html, "recommendations") == "10"
    report = Report.objects.get(visit=world.visits["V4"])
    report.status = Report.Status.ISSUED
    report.issued_on = stats_world.TODAY
    report.issued_at = stats_world.today_noon()
    report.save(update_fields=["status", "issued_on", "issued_at"])
    _count, html = _queries(compliance_client)
    assert _stat(html, "recommendations") == "11"  # r11


def test_a_new_addressee_shows_in_the_authority_figures(compliance_client, world, frozen):
    inspectorate = AuthorityFactory(name="Inspectorate")
    _count, html = _queries(compliance_client)
    assert str(inspectorate.pk) not in _table_rows(html, "days")
    world.recs["r8"].addressees.add(inspectorate)  # answered in 10 days
    _count, html = _queries(compliance_client)
    assert str(inspectorate.pk) in _table_rows(html, "days")
    world.recs["r8"].addressees.remove(inspectorate)
    _count, html = _queries(compliance_client)
    assert str(inspectorate.pk) not in _table_rows(html, "days")


def test_a_bulk_change_of_theme_shows_at_once(compliance_client, staff, world, frozen):
    _count, html = _queries(compliance_client)
    assert 'data-row="none"' in html[html.index('id="table-theme"') :]
    ids = [world.recs["r6"].pk, world.recs["r10"].pk]  # the two without a theme
    services.recommendations_bulk_update(ids=ids, by=staff, theme=world.theme_a)
    _count, html = _queries(compliance_client)
    theme_table = html[html.index('id="table-theme"') :]
    assert 'data-row="none"' not in theme_table[: theme_table.index("</table>")]


def test_an_import_invalidates_the_figures(world):
    # An import writes in bulk (no signals) and saves its batch in the same transaction.
    before = figures_cache.version()
    ImportBatch.objects.create(file_name="x.csv", sha256="0" * 64, rows=0, summary={})
    assert figures_cache.version() != before


def test_the_figures_are_invalidated_again_at_the_commit(django_capture_on_commit_callbacks):
    # A request that read the data before the commit may have cached it under the first token.
    before = figures_cache.version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        figures_cache.figures_changed()
        during = figures_cache.version()
    assert len(callbacks) == 1
    assert len({before, during, figures_cache.version()}) == 3


def test_per_authority_tables_are_paged(compliance_client, world, frozen, monkeypatch):
    monkeypatch.setattr(dashboard, "AUTHORITY_ROWS", 2)
    a = {name: str(authority.pk) for name, authority in world.authorities.items()}
    _count, html = _queries(compliance_client)
    assert _table_rows(html, "authority") == [a["PrisonA"], a["MinJ"]]
    assert _table_rows(html, "overdue") == [a["PrisonA"], a["MinI"]]
    assert _table_rows(html, "days") == [a["MinJ"], a["PrisonA"]]
    assert "Authorities 1–2 of 4" in html
    assert "authority_page=2#h-authority" in html
    _count, html = _queries(compliance_client, authority_page=2, days_page=2)
    assert _table_rows(html, "authority") == [a["MinI"], a["PoliceB"]]
    assert _table_rows(html, "overdue") == [a["PrisonA"], a["MinI"]]
    assert sorted(_table_rows(html, "days")) == sorted([a["PoliceB"], a["MinI"]])
    # The figures above the tables are of every authority.
    assert _stat(html, "overdue") == "3"


def test_hundreds_of_authorities_keep_the_page_small(compliance_client):
    visit, institution, ministry, recs = issued_case(count=2)
    many = [AuthorityFactory() for _ in range(60)]
    for rec in recs:
        rec.addressees.add(*many)
    _count, html = _queries(compliance_client)
    assert len(_table_rows(html, "authority")) == dashboard.AUTHORITY_ROWS
    assert "Authorities 1–25 of 62" in html
    _count, last = _queries(compliance_client, authority_page=3)
    assert len(_table_rows(last, "authority")) == 12


def test_charts_hold_no_links(compliance_client, world, frozen):
    _count, html = _queries(compliance_client)
    svgs = re.findall(r'<svg class="npm-chart".*?</svg>', html, re.S)
    assert len(svgs) == 7
    assert not any("<a " in svg for svg in svgs)
    # The links are in the tables beside them.
    prison_a = world.authorities["PrisonA"].pk
    overdue_row = html[
        html.index(f'<tr data-row="{prison_a}">', html.index('id="table-overdue"')) :
    ]
    assert "overdue=yes" in overdue_row[: overdue_row.index("</tr>")]


def test_the_figures_html_is_drawn_once_per_figures_version_and_query(
    compliance_client, world, frozen
):
    body = "recommendations/_dashboard_body.html"
    first = compliance_client.get(URL)
    assert body in [t.name for t in first.templates]
    again = compliance_client.get(URL)
    assert body not in [t.name for t in again.templates]
    assert _main(again.content.decode()) == _main(first.content.decode())
    # Another query string (a year, a page of a table) is drawn for itself.
    assert body in [t.name for t in compliance_client.get(URL, {"year": "2026"}).templates]
    # A write replaces the figures: the next view draws them again, with the new total.
    assert _stat(first.content.decode(), "recommendations") == "10"
    RecommendationFactory(visit=world.visits["V3"], number=5, addressees=[])
    after = compliance_client.get(URL)
    assert body in [t.name for t in after.templates]
    assert _stat(after.content.decode(), "recommendations") == "11"
