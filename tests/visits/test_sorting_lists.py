"""Sortable columns of the visits, places and authorities lists (core.sorting): each key orders
the rows both ways, the filters and the search stay in the header links, a bad key is the
default order."""

from __future__ import annotations

import pytest

from tests.core.test_sorting import assert_invalid_sort_is_default, assert_sorts, rows_in_order
from tests.factories import AuthorityFactory, PlaceFactory
from tests.factories.visits import VisitFactory, local
from visits.models import Authority, Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    ministry = AuthorityFactory(name="Ministry of Justice")
    directorate = AuthorityFactory(name="Administration for Enforcement", kind=Authority.Kind.OTHER)
    b = PlaceFactory(
        name="B prison",
        category=Place.Category.PRISON,
        authority=ministry,
        municipality="Niš",
        district="Nišava",
        capacity=900,
    )
    a = PlaceFactory(
        name="A station",
        category=Place.Category.POLICE,
        authority=directorate,
        municipality="Beograd",
        district="Belgrade",
        capacity=10,
    )
    c = PlaceFactory(
        name="C home",
        category=Place.Category.SOCIAL_ADULTS,
        authority=ministry,
        municipality="Zrenjanin",
        district="Moravica",
        capacity=120,
    )
    return a, b, c


@pytest.fixture
def visits(places):
    a, b, c = places
    first = VisitFactory(place=c, planned_start=local(2026, 1, 10, 9, 0), year=2025, number=7)
    second = VisitFactory(place=a, planned_start=local(2026, 2, 10, 9, 0), year=2026, number=1)
    third = VisitFactory(
        place=b, planned_start=local(2026, 3, 10, 9, 0), year=2026, number=2, status="conducted"
    )
    return first, second, third


def test_the_visit_list_sorts_by_each_column(staff_client, visits):
    first, second, third = (v.pk for v in visits)
    url = "/visits/"
    # Default: newest planned first.
    assert rows_in_order(staff_client.get(url), "visit") == [str(third), str(second), str(first)]
    assert_sorts(staff_client, url, "visit", "date", [first, second, third])
    assert_sorts(staff_client, url, "visit", "reference", [first, second, third])
    assert_sorts(staff_client, url, "visit", "place", [second, third, first])  # A, B, C
    # conducted < planned; the planned ones by date.
    assert_sorts(staff_client, url, "visit", "status", [third, first, second])


def test_visits_with_the_same_value_keep_one_order_on_every_page(staff_client, places):
    same = [VisitFactory(place=places[0], planned_start=local(2026, 5, 1, 9, 0)) for _ in range(3)]
    pks = [str(v.pk) for v in same]
    assert rows_in_order(staff_client.get("/visits/?sort=date"), "visit") == pks
    assert rows_in_order(staff_client.get("/visits/?sort=-date"), "visit") == pks[::-1]


def test_the_visit_sort_links_keep_the_filters_and_the_search(staff_client, visits):
    page = staff_client.get("/visits/", {"q": "prison", "status": "conducted", "sort": "place"})
    html = page.content.decode()
    assert 'aria-sort="ascending"' in html
    assert "?q=prison&amp;status=conducted&amp;sort=-place" in html
    assert "?q=prison&amp;status=conducted&amp;sort=-date" in html
    # The filter form keeps the chosen order when a filter changes.
    assert '<input type="hidden" name="sort" value="place">' in html
    assert rows_in_order(page, "visit") == [str(visits[2].pk)]


def test_a_bad_visit_sort_is_the_default_order(staff_client, visits):
    assert_invalid_sort_is_default(staff_client, "/visits/", "visit")


def test_a_partner_sorting_sees_only_their_visits(partner_client, visits):
    assert rows_in_order(partner_client.get("/visits/?sort=place"), "visit") == []


def test_the_place_list_sorts_by_each_column(staff_client, places):
    a, b, c = (p.pk for p in places)
    url = "/places/"
    assert rows_in_order(staff_client.get(url), "place") == [str(a), str(b), str(c)]
    assert_sorts(staff_client, url, "place", "name", [a, b, c])
    assert_sorts(staff_client, url, "place", "capacity", [a, c, b])
    assert_sorts(staff_client, url, "place", "municipality", [a, b, c])  # Beograd, Niš, Zrenjanin
    assert_sorts(staff_client, url, "place", "district", [a, c, b])  # Belgrade, Moravica, Nišava
    assert_sorts(staff_client, url, "place", "authority", [a, b, c])
    categories = sorted(places, key=lambda p: (p.category, p.name))
    assert_sorts(staff_client, url, "place", "category", [p.pk for p in categories])
    assert_invalid_sort_is_default(staff_client, url, "place")


def test_the_place_sort_links_keep_the_filters(staff_client, places):
    html = staff_client.get("/places/", {"q": "a", "active": "true"}).content.decode()
    assert "?q=a&amp;active=true&amp;sort=-name" in html  # the list is by name: next is Z to A
    assert "?q=a&amp;active=true&amp;sort=-capacity" in html  # the largest first


def test_the_authority_list_is_the_tree_until_sorted(staff_client, places):
    ministry = Authority.objects.get(name="Ministry of Justice")
    directorate = Authority.objects.get(name="Administration for Enforcement")
    directorate.parent = ministry
    directorate.save()
    url = "/authorities/"
    tree = rows_in_order(staff_client.get(url), "authority")
    assert tree.index(str(ministry.pk)) < tree.index(str(directorate.pk))  # parent first
    # Sorted by name, a flat list: "Administration…" before "Ministry…".
    by_name = rows_in_order(staff_client.get(url, {"sort": "name"}), "authority")
    assert by_name.index(str(directorate.pk)) < by_name.index(str(ministry.pk))
    # Ministry of Justice runs two of the places, the administration one.
    by_places = rows_in_order(staff_client.get(url, {"sort": "-places"}), "authority")
    assert by_places.index(str(ministry.pk)) < by_places.index(str(directorate.pk))
    by_places = rows_in_order(staff_client.get(url, {"sort": "places"}), "authority")
    assert by_places.index(str(directorate.pk)) < by_places.index(str(ministry.pk))
    by_kind = rows_in_order(staff_client.get(url, {"sort": "kind"}), "authority")
    kinds = {str(a.pk): a.kind for a in Authority.objects.all()}
    assert [kinds[pk] for pk in by_kind] == sorted(kinds[pk] for pk in by_kind)
    assert rows_in_order(staff_client.get(url, {"sort": "bogus"}), "authority") == tree


def test_visit_dates_are_ordered_not_their_text(staff_client, places):
    """12 Jan before 3 Feb: the date column orders by date, not by its printed day."""
    jan = VisitFactory(place=places[0], planned_start=local(2026, 1, 12, 9, 0))
    feb = VisitFactory(place=places[0], planned_start=local(2026, 2, 3, 9, 0))
    assert rows_in_order(staff_client.get("/visits/?sort=date"), "visit") == [
        str(jan.pk),
        str(feb.pk),
    ]
