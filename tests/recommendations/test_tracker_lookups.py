"""The tracker's typed place, authority and visit boxes (core.lookup, visits.lookups), their
suggestions, and the search by a reference as the pages display it."""

import re

import pytest
from django.urls import reverse

from tests.factories import PlaceFactory
from tests.factories.partners import MemberFactory
from tests.factories.visits import TeamMemberFactory
from tests.recommendations import test_tracker
from tests.recommendations.authoring_helpers import rec, visit_in
from tests.recommendations.test_tracker import URL, listed, pks

pytestmark = pytest.mark.django_db


world = (
    test_tracker.world
)  # the tracker's fixture: two ministries, three visits, six recommendations


def lookup(client, kind: str, text: str):
    return client.get(reverse("visits:lookup", args=[kind]), {"q": text})


def field_html(response, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', response.content.decode())
    assert match, f"no {name} box"
    return match[0]


def test_the_tracker_renders_no_select_of_visits_places_or_authorities(staff_client, world):
    body = staff_client.get(URL).content.decode()
    for name in ("visit", "place", "authority"):
        assert f'<select name="{name}"' not in body
        assert f'data-lookup-url="{reverse("visits:lookup", args=[name])}"' in body
    # None of the registry's names is rendered as an option anywhere on the page.
    assert "Police Department Kruševac</option>" not in body


def test_a_visit_reference_typed_as_displayed_filters(staff_client, world):
    reference = world["v2025"].reference
    assert listed(staff_client, visit=reference) == pks(world, "overdue", "answered", "not_yet_due")
    assert listed(staff_client, visit=reference.lower()) == pks(
        world, "overdue", "answered", "not_yet_due"
    )


def test_a_link_with_the_key_still_filters_and_shows_the_label(staff_client, world):
    response = staff_client.get(URL, {"visit": world["v2026"].pk})
    assert listed(staff_client, visit=world["v2026"].pk) == pks(world, "repeat", "undated")
    assert f'value="{world["v2026"].reference} · Police Station Kruševac"' in field_html(
        response, "visit"
    )


def test_an_authority_typed_by_name_takes_its_subtree(staff_client, world):
    assert listed(staff_client, authority="ministry of justice") == pks(
        world, "overdue", "answered", "not_yet_due"
    )
    by_key = listed(staff_client, authority=world["moj"].pk)
    assert by_key == pks(world, "overdue", "answered", "not_yet_due")


def test_a_place_typed_in_part_filters_when_it_names_one_place(staff_client, world):
    assert listed(staff_client, place="prison niš") == pks(
        world, "overdue", "answered", "not_yet_due"
    )


def test_text_naming_several_or_none_is_an_error_next_to_the_box(staff_client, world):
    several = staff_client.get(URL, {"authority": "Ministry"})
    assert "matches several: pick one of the suggestions" in several.content.decode()
    # The invalid box is ignored: every recommendation is still listed, none hidden silently.
    assert listed(staff_client, authority="Ministry") == pks(
        world, "old", "overdue", "answered", "not_yet_due", "repeat", "undated"
    )
    none = staff_client.get(URL, {"place": "Nowhere at all"}).content.decode()
    assert "Nothing matches “Nowhere at all”" in none


def test_a_recommendation_reference_as_displayed_finds_it(staff_client, world):
    reference = world["answered"].reference  # "NPM-…/2" (its visit has an issued report)
    assert "/" in reference
    assert listed(staff_client, q=reference) == pks(world, "answered")
    assert listed(staff_client, q=reference.replace("/", " / ")) == pks(world, "answered")
    draft = world["undated"].reference  # "V-2026-…/2": no report yet
    assert listed(staff_client, q=draft) == pks(world, "undated")


def test_suggestions_list_matching_labels(staff_client, world):
    response = lookup(staff_client, "authority", "ministry")
    assert response.status_code == 200
    assert response.json()["results"] == ["Ministry of Interior", "Ministry of Justice"]
    visits = lookup(staff_client, "visit", world["v2023"].reference).json()["results"]
    assert visits == [f"{world['v2023'].reference} · Police Station Kruševac"]
    assert lookup(staff_client, "place", "").json()["results"] == []


def test_suggestions_are_capped(staff_client):
    for i in range(20):
        PlaceFactory(name=f"Police Station {i:02d}")
    assert len(lookup(staff_client, "place", "police station").json()["results"]) == 15


def test_a_partner_is_suggested_only_the_visits_they_are_on(partner_client, partner_member):
    place = PlaceFactory(name="Psychiatric Hospital Kovin")
    mine, other = visit_in(2024, place), visit_in(2025, place)
    rec(mine)
    TeamMemberFactory(visit=mine, member=MemberFactory(user=partner_member))
    results = lookup(partner_client, "visit", "Kovin").json()["results"]
    assert results == [f"{mine.reference} · Psychiatric Hospital Kovin"]
    assert lookup(partner_client, "visit", other.reference).json()["results"] == []


def test_an_unknown_kind_is_not_found(staff_client):
    assert lookup(staff_client, "interview", "x").status_code == 404
