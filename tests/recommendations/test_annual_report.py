"""The annual statistics report: a real PDF (rendered with WeasyPrint through visits.pdf) whose
text holds the year, the headings and the hand-computed figures; logged as an export; access
by role. Its language tag follows the request; a year that is over is rendered once per
language and served from storage after; the year still running is provisional; the dashboard
offers the latest year with data."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from urllib.parse import urlparse

import pypdf
import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from recommendations.models import AnnualReport, Recommendation
from tests.recommendations import stats_world
from tests.recommendations.stats_world import S, _visit
from visits.models import AccessLog, Visit

pytestmark = pytest.mark.django_db


def url(year: int) -> str:
    return reverse("recommendations:annual_report", args=[year])


@pytest.fixture
def world():
    return stats_world.build()[0]


def _body(response) -> bytes:
    """The PDF: a frozen one is streamed from storage, the year running is rendered."""
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def _text(response) -> tuple[str, pypdf.PdfReader]:
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(_body(response)))
    return "\n".join(page.extract_text() for page in reader.pages), reader


def test_pdf_holds_the_year_headings_and_figures(head_client, world, settings):
    settings.NPM_NAME = "Protector of Citizens of the Republic of Serbia"
    with time_machine.travel(stats_world.today_noon(), tick=False):
        response = head_client.get(url(2025))
    text, reader = _text(response)
    assert len(reader.pages) >= 3
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4
    flat = " ".join(text.split())
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "Protector of Citizens of the Republic of Serbia" in cover
    assert "Annual statistics report" in cover
    assert "2025" in cover
    for heading in [
        "Summary",
        "By addressee authority",
        "By place category",
        "By theme",
        "Overdue responses by authority",
        "Average days to respond",
        "Most repeated concerns",
        "Visits and recommendations by place category",
    ]:
        assert heading in flat, heading
    # 2025: r1–r6; 1 of 5 implemented; r4 and r5 overdue; (40 + 70 + 30 + 20) / 4 days.
    assert "2025: 2 visits (Prison: 1; Police station / detention unit: 1); 6 recommendations." in (
        flat
    )
    assert "20.0 %" in flat
    assert "40.0" in flat
    assert "Ministry of Justice" in flat
    assert "46.7" in flat
    assert "Page 1 of" in flat
    # The concern as it stood at the end of 2025: r1 repeated by r5, nothing of 2026.
    assert "Recommendation 1 at Police Station in 2025." in flat
    assert "in 2026" not in flat


def test_year_without_data_still_renders_and_is_not_stored(compliance_client):
    text, _reader = _text(compliance_client.get(url(2019)))
    assert "2019" in text
    assert "No visits were made in 2019." in " ".join(text.split())
    # Nothing to freeze: records of 2019 may still be entered (an import of past years).
    assert not AnnualReport.objects.exists()


def test_export_is_written_to_the_access_log(compliance_client, compliance, world):
    compliance_client.get(url(2026))
    entry = AccessLog.objects.get(user=compliance, action="export")
    assert (entry.object_type, entry.object_id) == ("recommendations.AnnualReport", "2026")


def test_anonymous_is_sent_to_login(anonymous_client):
    response = anonymous_client.get(url(2025))
    assert response.status_code == 302
    assert urlparse(response.url).path == reverse("login")


def test_partner_member_gets_404_and_nothing_is_exported(partner_client, partner_member):
    assert partner_client.get(url(2025)).status_code == 404
    assert not AccessLog.objects.filter(user=partner_member, action="export").exists()


def test_staff_may_download_it(staff_client, world):
    _text(staff_client.get(url(2026)))


def test_year_out_of_range_is_404(head_client):
    assert head_client.get(url(1800)).status_code == 404


# --- Language, freezing, the default year -----------------------------------------------------


def _flat(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.mark.parametrize(
    ("accept", "lang"), [("sr", "sr-Cyrl"), ("sr-latn", "sr-Latn"), ("en", "en")]
)
def test_pdf_language_tag_follows_the_request_language(head_client, world, accept, lang):
    with time_machine.travel(stats_world.today_noon(), tick=False):
        response = head_client.get(url(2026), HTTP_ACCEPT_LANGUAGE=accept)
    reader = pypdf.PdfReader(io.BytesIO(_body(response)))
    assert reader.trailer["/Root"]["/Lang"] == lang


def test_cyrillic_report_has_cyrillic_column_headings(head_client, world):
    with time_machine.travel(stats_world.today_noon(), tick=False):
        data = _body(head_client.get(url(2025), HTTP_ACCEPT_LANGUAGE="sr"))
    # The frozen (archival) rendering carries the tag too.
    assert pypdf.PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"] == "sr-Cyrl"
    text = _flat(data)
    assert "Годишњи статистички извештај" in text
    # The outcome columns of the grouped tables, and the group column.
    for heading in ["Спроведена", "Делимично", "На чекању", "Урачунато", "Орган власти"]:
        assert heading in text, heading
    assert "Implemented" not in text


def test_past_year_is_rendered_once_and_served_from_storage(head_client, world):
    with time_machine.travel(stats_world.today_noon(), tick=False):
        first = head_client.get(url(2025))
        first_body = _body(first)
        stored = AnnualReport.objects.get()
        # A figure changes after the report was frozen (r5 implemented: 2 of 5, not 1 of 5).
        Recommendation.objects.filter(pk=world.recs["r5"].pk).update(status=S.IMPLEMENTED)
        cache.clear()
        second = head_client.get(url(2025))
        second_body = _body(second)
    assert AnnualReport.objects.get().pk == stored.pk
    assert second_body == first_body
    assert hashlib.sha256(second_body).hexdigest() == stored.sha256
    assert second["X-Content-SHA256"] == stored.sha256
    assert (stored.year, stored.language) == (2025, "en")
    assert stored.pages == len(pypdf.PdfReader(io.BytesIO(second_body)).pages)
    text = _flat(second_body)
    assert "20.0 %" in text  # the figures as they were frozen
    assert "Provisional" not in text


def test_frozen_report_is_tagged_for_archiving(head_client, world):
    with time_machine.travel(stats_world.today_noon(), tick=False):
        data = _body(head_client.get(url(2025)))
    catalog = pypdf.PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert b"pdfaid:part" in catalog["/Metadata"].get_object().get_data()


def test_each_language_is_frozen_on_its_own(head_client, world):
    with time_machine.travel(stats_world.today_noon(), tick=False):
        english = _body(head_client.get(url(2025)))
        serbian = _body(head_client.get(url(2025), HTTP_ACCEPT_LANGUAGE="sr"))
    assert english != serbian
    assert sorted(AnnualReport.objects.values_list("language", flat=True)) == ["en", "sr"]


def test_current_year_is_rendered_on_request_and_marked_provisional(head_client, world):
    with time_machine.travel(stats_world.today_noon(), tick=False):
        first = _flat(_body(head_client.get(url(2026))))
        # r8 rejected: 2026 has no implemented recommendation any more (was 1 of 4).
        Recommendation.objects.filter(pk=world.recs["r8"].pk).update(status=S.REJECTED)
        cache.clear()
        second = _flat(_body(head_client.get(url(2026))))
    assert not AnnualReport.objects.exists()
    assert "Provisional: 2026 is not over yet" in first
    assert "Annual statistics report 2026 · provisional" in first
    assert "25.0 % Implemented" in first
    assert "0.0 % Implemented" in second


def test_frozen_download_is_logged_as_an_export(compliance_client, compliance, world):
    with time_machine.travel(stats_world.today_noon(), tick=False):
        for _ in range(2):
            _body(compliance_client.get(url(2025)))
    entries = AccessLog.objects.filter(user=compliance, action="export")
    assert [(e.object_type, e.object_id) for e in entries] == [
        ("recommendations.AnnualReport", "2025")
    ] * 2


def _annual_link(html: str) -> str:
    match = re.search(r'<a [^>]*id="annual-report-link".*?</a>', html, re.S)
    assert match
    return match.group(0)


def test_dashboard_offers_the_latest_year_with_data(compliance, world):
    # 2027 has a visit made but no recommendations yet: the report to offer is 2026's.
    _visit(world.places["police"], 2027, 1, Visit.Status.CONDUCTED, None, " 2027")
    with time_machine.travel(dt.datetime(2027, 2, 1, 12, tzinfo=dt.UTC), tick=False):
        client = Client()
        client.force_login(compliance)  # a session of 2027 (one of today would have expired)
        response = client.get(reverse("recommendations:dashboard"))
    html = response.content.decode()
    assert 2027 in response.context["years"]
    assert response.context["report_year"] == 2026
    link = _annual_link(html)
    assert url(2026) in link
    assert "provisional" not in link


def test_dashboard_offers_this_year_when_there_is_no_data(compliance_client):
    with time_machine.travel(stats_world.today_noon(), tick=False):
        response = compliance_client.get(reverse("recommendations:dashboard"))
    assert response.context["report_year"] == 2026
    assert 'data-annual="provisional"' in _annual_link(response.content.decode())


def test_dashboard_shows_the_checksum_of_the_frozen_report(compliance_client, world):
    dashboard = reverse("recommendations:dashboard")
    with time_machine.travel(stats_world.today_noon(), tick=False):
        before = compliance_client.get(dashboard, {"year": 2025}).content.decode()
        _body(compliance_client.get(url(2025)))
        after = compliance_client.get(dashboard, {"year": 2025}).content.decode()
    sha256 = AnnualReport.objects.get().sha256
    assert 'id="annual-report-checksum"' not in before
    assert sha256 not in before
    checksum = after[after.index('id="annual-report-checksum"') :]
    assert f"<code>{sha256}</code>" in checksum[: checksum.index("</div>")]
    assert "provisional" not in _annual_link(after)
