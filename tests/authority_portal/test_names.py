"""The authority area names its authority and the places in the page's language: a Serbian
authority reads its own name in Serbian (Latin or Cyrillic), not the English registry name."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from tests.authority_portal import area_helpers as h

pytestmark = pytest.mark.django_db

HOME = reverse("authority:home")
REPORTS = reverse("authority:reports")


@pytest.fixture
def case(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(h.NOW, tick=False):
        case = h.build_case()
        case.institution.name = "Police Administration Kruševac"
        case.institution.name_sr = "Policijska uprava Kruševac"
        case.institution.save()
        place = case.visit.place
        place.name, place.name_sr = "Police Station Kruševac", "Policijska stanica Kruševac"
        place.save()
        yield case


@pytest.mark.parametrize(
    ("language", "authority", "place"),
    [
        ("en", "Police Administration Kruševac", "Police Station Kruševac"),
        ("sr-latn", "Policijska uprava Kruševac", "Policijska stanica Kruševac"),
        ("sr", "Полицијска управа Крушевац", "Полицијска станица Крушевац"),
    ],
)
def test_the_authority_and_its_places_in_the_page_language(case, language, authority, place):
    client = h.client_for(case.focal)
    home = client.get(HOME, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert authority in home
    assert place in home
    reports = client.get(REPORTS, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert place in reports
    if language != "en":
        assert "Police Administration" not in home
        assert "Police Station" not in reports
