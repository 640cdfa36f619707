"""The demo in Serbian: every demo place, authority and organisation has its Serbian name, and
the demo report written in Serbian is issued in Cyrillic with the names in Cyrillic."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from npm_portal.demo import reports
from npm_portal.demo.report_serbian import SPECIAL_PRISON_HOSPITAL_2022
from partners.models import Organisation
from tests.demo_loaders import load_demo_up_to_visits
from visits.models import Authority, Place, Report, ReportLanguage, ReportStatus

pytestmark = pytest.mark.django_db


def test_every_demo_registry_entry_has_its_serbian_name():
    load_demo_up_to_visits()
    assert Place.objects.count() >= 25
    assert not Place.objects.filter(name_sr="").exists()
    assert not Place.objects.filter(district_sr="").exists()
    assert not Authority.objects.filter(name_sr="").exists()
    assert not Organisation.objects.filter(name_sr="").exists()
    krnjaca = Place.objects.get(name="Asylum Centre Krnjača")
    assert (krnjaca.name_sr, krnjaca.district_sr) == ("Centar za azil Krnjača", "Grad Beograd")
    uiks = Authority.objects.get(name="Administration for Enforcement of Penal Sanctions")
    assert uiks.name_sr == "Uprava za izvršenje krivičnih sankcija"


def test_loading_again_fills_in_serbian_names_missing_from_an_older_demo():
    load_demo_up_to_visits()
    Place.objects.filter(name="Asylum Centre Krnjača").update(name_sr="", district_sr="")
    Organisation.objects.filter(short_name="BCHR").update(name_sr="")
    load_demo_up_to_visits()
    assert Place.objects.get(name="Asylum Centre Krnjača").name_sr == "Centar za azil Krnjača"
    bchr = Organisation.objects.get(short_name="BCHR")
    assert bchr.name_sr == "Beogradski centar za ljudska prava"


def test_the_serbian_demo_report_is_issued_in_cyrillic(
    settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    load_demo_up_to_visits()
    # Only this scenario: the others render PDFs of their own (tested with the whole demo).
    monkeypatch.setattr(reports, "SCENARIOS", [SPECIAL_PRISON_HOSPITAL_2022])
    with django_capture_on_commit_callbacks(execute=True):  # the PDFs render after commit
        reports.load()
    report = Report.objects.get(visit__place__name="Special Prison Hospital in Belgrade")
    assert report.status == ReportStatus.ISSUED
    assert report.language == ReportLanguage.SERBIAN_CYRILLIC
    # Written in Latin (the bodies are encrypted: read them back, not filtered in SQL).
    assert any("Poseta ustanovi Specijalna" in s.body for s in report.sections.all())
    with report.pdf.open("rb") as frozen:
        pages = PdfReader(io.BytesIO(frozen.read())).pages
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in pages)
    assert "Специјална затворска болница у Београду" in text
    assert "Управа за извршење кривичних санкција" in text
    assert "Специал " not in text
    assert "Механичко спутавање" in text  # a recommendation, transliterated
