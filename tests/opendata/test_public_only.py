"""Open data is the portal's data and nothing more: no draft, no unissued report, no non-public
recommendation, no confidential section, no internal note, never the full PDF, in any JSON
answer or bulk file."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.opendata.conftest import MARKERS, all_pages, as_text, ids

pytestmark = pytest.mark.django_db

LISTS = ["opendata:report-list", "opendata:recommendation-list"]
FILES = [
    "opendata:recommendations_csv",
    "opendata:recommendations_json",
    "opendata:reports_csv",
    "opendata:reports_json",
]


def _every_answer(client, world) -> dict[str, str]:
    answers = {}
    for name in ["opendata:root", "opendata:dictionary", *LISTS, *FILES]:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        answers[name] = as_text(response)
    for key in ("report", "nis_report"):
        path = reverse("opendata:report-detail", args=[world[key].pk])
        answers[path] = client.get(path).content.decode()
    for key in ("public", "formula", "cyrillic", "themeless"):
        path = reverse("opendata:recommendation-detail", args=[world[key].pk])
        answers[path] = client.get(path).content.decode()
    return answers


def test_no_marker_reaches_any_answer(anonymous_client, world):
    answers = _every_answer(anonymous_client, world)
    leaks = [
        f"{what} in {where}"
        for where, text in answers.items()
        for what, marker in MARKERS.items()
        if marker in text
    ]
    assert leaks == []
    # The answers are not empty: the public records are there.
    assert "Renovate the detention rooms" in answers["opendata:recommendations_csv"]
    assert "NPM-2026-003" in answers["opendata:reports_json"]


def test_the_full_pdf_is_never_linked(anonymous_client, world):
    report = world["report"]
    answers = _every_answer(anonymous_client, world)
    for text in answers.values():
        assert report.pdf.name not in text
        assert report.pdf_sha256 not in text
    public_url = reverse("portal:report_pdf", args=[report.pk])
    detail = anonymous_client.get(reverse("opendata:report-detail", args=[report.pk])).json()
    assert detail["public_pdf_url"].endswith(public_url)
    assert detail["public_pdf_sha256"] == report.public_pdf_sha256
    # The link works for the public and serves the public version.
    pdf = anonymous_client.get(public_url)
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-1.4\n% the public version")


def test_lists_hold_exactly_the_public_set(anonymous_client, world):
    reports = all_pages(anonymous_client, "opendata:report-list")
    assert sorted(ids(reports)) == sorted([world["report"].pk, world["nis_report"].pk])
    recommendations = all_pages(anonymous_client, "opendata:recommendation-list")
    expected = [world[k].pk for k in ("public", "formula", "cyrillic", "themeless")]
    assert sorted(ids(recommendations)) == sorted(expected)


@pytest.mark.parametrize("key", ["private", "approved_rec", "draft_rec"])
def test_a_recommendation_outside_the_portal_is_404(anonymous_client, world, key):
    response = anonymous_client.get(reverse("opendata:recommendation-detail", args=[world[key].pk]))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("key", ["approved_report", "draft_report"])
def test_an_unissued_report_is_404(anonymous_client, world, key):
    response = anonymous_client.get(reverse("opendata:report-detail", args=[world[key].pk]))
    assert response.status_code == 404


def test_a_report_without_a_stored_public_pdf_has_no_link(anonymous_client, world):
    detail = anonymous_client.get(
        reverse("opendata:report-detail", args=[world["nis_report"].pk])
    ).json()
    assert detail["public_pdf_url"] is None
    assert detail["public_pdf_sha256"] is None


def test_the_record_carries_the_portal_fields(anonymous_client, world):
    rec = world["public"]
    data = anonymous_client.get(reverse("opendata:recommendation-detail", args=[rec.pk])).json()
    assert data["reference"] == "NPM-2025-007/1"
    assert data["report"]["reference"] == "NPM-2025-007"
    assert data["issued_on"] == "2025-04-01"
    assert data["place"] == {
        "name": "Kruševac Police Station",
        "category": "police",
        "municipality": "Kruševac",
        "district": "Rasina",
    }
    assert data["theme"] == {"code": "material-conditions", "name": "Material conditions"}
    assert data["addressees"] == ["Kruševac Police Department", "Ministry of Interior"]
    assert data["status"] == "partially_implemented"
    assert data["reason"] == "funds"
    assert data["status_since"] == "2025-05-10"
    assert data["nrtd_status"] == "Partially implemented"
    assert data["uhri_themes"] == ["Conditions of detention"]
    assert data["dispatched_on"] == "2025-04-02"
    assert data["due_date"] == "2025-06-01"
    assert data["responded_on"] == "2025-05-01"
    assert data["portal_url"].endswith(reverse("portal:recommendation_detail", args=[rec.pk]))
    # No priority: the portal does not show it.
    assert "priority" not in data


def test_theme_names_follow_the_language(anonymous_client, world):
    path = reverse("opendata:recommendation-detail", args=[world["public"].pk])
    latin = anonymous_client.get(path, HTTP_ACCEPT_LANGUAGE="sr-latn").json()
    assert latin["theme"]["name"] == "Materijalni uslovi"
    cyrillic = anonymous_client.get(path, HTTP_ACCEPT_LANGUAGE="sr").json()
    assert cyrillic["theme"]["name"] == "Материјални услови"
    # Codes stay language-neutral.
    assert cyrillic["status"] == "partially_implemented"
