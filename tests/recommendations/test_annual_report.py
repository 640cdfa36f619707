"""The annual statistics report: a real PDF (rendered with WeasyPrint through visits.pdf) whose
text holds the year, the headings and the hand-computed figures; logged as an export; access
by role."""

from __future__ import annotations

import io
from urllib.parse import urlparse

import pypdf
import pytest
import time_machine
from django.urls import reverse

from tests.recommendations import stats_world
from visits.models import AccessLog

pytestmark = pytest.mark.django_db


def url(year: int) -> str:
    return reverse("recommendations:annual_report", args=[year])


@pytest.fixture
def world():
    return stats_world.build()[0]


def _text(response) -> tuple[str, pypdf.PdfReader]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
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


def test_year_without_data_still_renders(compliance_client):
    text, _reader = _text(compliance_client.get(url(2019)))
    assert "2019" in text
    assert "No visits were made in 2019." in " ".join(text.split())


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
