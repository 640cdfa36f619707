"""The public portal names places and authorities in the page's language: the Serbian name in
Latin or Cyrillic when the registry has one, else the English name."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import AuthorityFactory, PlaceFactory
from tests.factories.recommendations import RecommendationFactory
from tests.factories.visits import ReportFactory, VisitFactory, local
from visits.models import Report, Visit

pytestmark = pytest.mark.django_db

INDEX = reverse("portal:index")


def _issued_visit(place, year: int) -> Visit:
    visit = VisitFactory(
        place=place,
        planned_start=local(year, 3, 10, 9, 0),
        planned_end=local(year, 3, 10, 15, 0),
        status=Visit.Status.CLOSED,
    )
    ReportFactory(
        visit=visit,
        title="Report",
        status=Report.Status.ISSUED,
        issued_at=local(year, 4, 1, 12, 0),
        issued_on=dt.date(year, 4, 1),
    )
    return visit


@pytest.fixture
def portal():
    authority = AuthorityFactory(name="Commissariat for Refugees and Migration")
    authority.name_sr = "Komesarijat za izbeglice i migracije"
    authority.save()
    krnjaca = PlaceFactory(
        name="Asylum Centre Krnjača", name_sr="Centar za azil Krnjača", authority=authority
    )
    horgos = PlaceFactory(name="Border Crossing Horgoš holding room")
    visit = _issued_visit(krnjaca, 2024)
    _issued_visit(horgos, 2023)
    recommendation = RecommendationFactory(
        visit=visit, number=1, public=True, addressees=[authority]
    )
    return {"recommendation": recommendation}


def _get(client, path: str, language: str, **params) -> str:
    response = client.get(path, params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_index_names_places_in_the_page_language(anonymous_client, portal):
    cyrillic = _get(anonymous_client, INDEX, "sr")
    assert "Центар за азил Крњача" in cyrillic
    assert "Asylum Centre Krnjača" not in cyrillic
    # No Serbian name: the English one, not spelt out in Cyrillic.
    assert "Border Crossing Horgoš holding room" in cyrillic
    assert "Centar za azil Krnjača" in _get(anonymous_client, INDEX, "sr-latn")
    english = _get(anonymous_client, INDEX, "en")
    assert "Asylum Centre Krnjača" in english
    assert "Centar za azil" not in english


def test_recommendation_page_names_the_addressee_in_the_page_language(anonymous_client, portal):
    path = reverse("portal:recommendation_detail", args=[portal["recommendation"].pk])
    cyrillic = _get(anonymous_client, path, "sr")
    assert "<li>Комесаријат за избеглице и миграције</li>" in cyrillic
    assert "Центар за азил Крњача" in cyrillic
    english = _get(anonymous_client, path, "en")
    assert "<li>Commissariat for Refugees and Migration</li>" in english


def test_search_box_takes_the_name_in_the_page_language(anonymous_client, portal):
    lookup = reverse("portal:lookup", args=["place"])
    found = anonymous_client.get(lookup, {"q": "азил"}, HTTP_ACCEPT_LANGUAGE="sr").json()
    assert found["results"] == ["Центар за азил Крњача"]
    # The suggestion, typed back into the form, filters the reports to that place.
    page = _get(anonymous_client, INDEX, "sr", place="Центар за азил Крњача")
    assert "is-invalid" not in page
    assert "Border Crossing Horgoš holding room" not in page
