import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import AuthorityFactory, PlaceFactory
from visits.models import Authority, Place


@pytest.fixture
def tree(db):
    """Ministry of Interior → Police Directorate → PU Kruševac; Ministry of Justice apart."""
    interior = AuthorityFactory(name="Ministry of Interior")
    police = AuthorityFactory(
        name="Police Directorate", kind=Authority.Kind.DIRECTORATE, parent=interior
    )
    krusevac = AuthorityFactory(
        name="Police Administration Kruševac", kind=Authority.Kind.DIRECTORATE, parent=police
    )
    justice = AuthorityFactory(name="Ministry of Justice")
    return {"interior": interior, "police": police, "krusevac": krusevac, "justice": justice}


@pytest.fixture
def places(tree):
    return {
        "krusevac": PlaceFactory(
            name="Police Department Kruševac", authority=tree["krusevac"], district="Rasina"
        ),
        "zabela": PlaceFactory(
            name="Correctional Institution Požarevac – Zabela",
            category=Place.Category.PRISON,
            authority=tree["justice"],
            municipality="Požarevac",
            district="Braničevo",
            capacity=1600,
        ),
        "closed": PlaceFactory(
            name="Old Police Station Niš",
            authority=tree["police"],
            municipality="Niš",
            district="Nišava",
            active=False,
        ),
    }


def listed(response) -> set[str]:
    return {place.name for place in response.context["page"].object_list}


def place_data(authority, **overrides):
    data = {
        "name": "Police Station Stari Grad",
        "category": Place.Category.POLICE,
        "authority": authority.pk,
        "address": "Majke Jevrosime 33",
        "municipality": "Stari Grad",
        "district": "City of Belgrade",
        "capacity": "5",
        "holds_women": "on",
        "notes": "",
        "active": "on",
    }
    data.update(overrides)
    return data


class TestPlaceList:
    def test_filters_by_category(self, staff_client, places):
        response = staff_client.get(reverse("visits:place_list"), {"category": "prison"})
        assert listed(response) == {"Correctional Institution Požarevac – Zabela"}

    def test_filters_by_district(self, staff_client, places):
        response = staff_client.get(reverse("visits:place_list"), {"district": "Rasina"})
        assert listed(response) == {"Police Department Kruševac"}

    def test_authority_filter_includes_the_bodies_below(self, staff_client, places, tree):
        response = staff_client.get(
            reverse("visits:place_list"), {"authority": tree["interior"].pk}
        )
        assert listed(response) == {"Police Department Kruševac", "Old Police Station Niš"}

    def test_filters_by_active(self, staff_client, places):
        response = staff_client.get(reverse("visits:place_list"), {"active": "false"})
        assert listed(response) == {"Old Police Station Niš"}

    def test_search_matches_name_municipality_and_authority(self, staff_client, places):
        url = reverse("visits:place_list")
        assert listed(staff_client.get(url, {"q": "zabela"})) == {
            "Correctional Institution Požarevac – Zabela"
        }
        assert listed(staff_client.get(url, {"q": "Niš"})) == {"Old Police Station Niš"}
        assert listed(staff_client.get(url, {"q": "Administration Kruševac"})) == {
            "Police Department Kruševac"
        }

    def test_invalid_filter_value_is_reported_not_a_500(self, staff_client, places):
        response = staff_client.get(reverse("visits:place_list"), {"category": "spaceship"})
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()

    def test_htmx_request_gets_only_the_results_fragment(self, staff_client, places):
        response = staff_client.get(
            reverse("visits:place_list"), {"category": "prison"}, HTTP_HX_REQUEST="true"
        )
        body = response.content.decode()
        assert 'id="results"' in body
        assert "<nav" not in body.split('id="results"')[0]
        assert "Požarevac" in body

    def test_query_count_does_not_grow_with_rows(self, staff_client, tree):
        url = reverse("visits:place_list")
        PlaceFactory.create_batch(2, authority=tree["krusevac"])
        with CaptureQueriesContext(connection) as few:
            staff_client.get(url)
        PlaceFactory.create_batch(22, authority=AuthorityFactory())
        with CaptureQueriesContext(connection) as many:
            response = staff_client.get(url)
        assert len(response.context["page"].object_list) == 24
        assert len(many) == len(few)

    def test_paginates(self, staff_client, tree):
        PlaceFactory.create_batch(30, authority=tree["krusevac"])
        first = staff_client.get(reverse("visits:place_list"))
        second = staff_client.get(reverse("visits:place_list"), {"page": 2})
        assert len(first.context["page"].object_list) == 25
        assert len(second.context["page"].object_list) == 5
        assert listed(first).isdisjoint(listed(second))


class TestPlaceEditing:
    def test_staff_registers_a_place(self, staff_client, tree):
        response = staff_client.post(reverse("visits:place_create"), place_data(tree["police"]))
        place = Place.objects.get(name="Police Station Stari Grad")
        assert response.status_code == 302
        assert response.url == place.get_absolute_url()
        assert place.authority == tree["police"]
        assert place.capacity == 5
        assert place.holds_women is True
        assert place.history.count() == 1
        assert place.history.first().history_user.username == "staff"

    def test_head_edits_a_place(self, head_client, places):
        place = places["krusevac"]
        data = place_data(place.authority, name=place.name, capacity="8", active="")
        response = head_client.post(reverse("visits:place_edit", args=[place.pk]), data)
        assert response.status_code == 302
        place.refresh_from_db()
        assert place.capacity == 8
        assert place.active is False

    def test_errors_are_shown_next_to_the_field(self, staff_client, tree, places):
        response = staff_client.post(
            reverse("visits:place_create"),
            place_data(tree["police"], name="police department  KRUŠEVAC", capacity="-3"),
        )
        assert response.status_code == 200
        form = response.context["form"]
        assert form.errors["name"] == ["A place with this name is already registered."]
        assert "capacity" in form.errors
        assert 'id="error_1_id_name"' in response.content.decode()
        assert Place.objects.count() == 3

    def test_missing_required_fields(self, staff_client):
        response = staff_client.post(reverse("visits:place_create"), {})
        assert response.status_code == 200
        assert set(response.context["form"].errors) >= {
            "name",
            "category",
            "authority",
            "municipality",
            "district",
        }

    @pytest.mark.parametrize("client_name", ["partner_client", "compliance_client"])
    def test_read_only_roles_cannot_create_or_edit(self, request, client_name, places, tree):
        client = request.getfixturevalue(client_name)
        place = places["krusevac"]
        assert client.get(reverse("visits:place_create")).status_code == 403
        assert (
            client.post(reverse("visits:place_create"), place_data(tree["police"])).status_code
            == 403
        )
        edit = reverse("visits:place_edit", args=[place.pk])
        assert client.get(edit).status_code == 403
        assert client.post(edit, place_data(tree["police"], name="Renamed")).status_code == 403
        place.refresh_from_db()
        assert place.name == "Police Department Kruševac"
        assert not Place.objects.filter(name="Police Station Stari Grad").exists()

    @pytest.mark.parametrize("client_name", ["partner_client", "compliance_client"])
    def test_read_only_roles_can_read_without_edit_links(self, request, client_name, places):
        client = request.getfixturevalue(client_name)
        place = places["krusevac"]
        response = client.get(reverse("visits:place_detail", args=[place.pk]))
        assert response.status_code == 200
        assert reverse("visits:place_edit", args=[place.pk]) not in response.content.decode()
        listing = client.get(reverse("visits:place_list"))
        assert reverse("visits:place_create") not in listing.content.decode()

    def test_anonymous_is_sent_to_login(self, anonymous_client, places):
        for url in (
            reverse("visits:place_list"),
            reverse("visits:place_detail", args=[places["krusevac"].pk]),
            reverse("visits:place_create"),
            reverse("visits:authority_list"),
        ):
            response = anonymous_client.get(url)
            assert response.status_code == 302
            assert response.url.startswith(reverse("login"))

    def test_unknown_place_is_404(self, staff_client, db):
        assert staff_client.get(reverse("visits:place_detail", args=[999])).status_code == 404


class TestAuthorities:
    def test_list_shows_the_tree_in_order(self, compliance_client, tree):
        response = compliance_client.get(reverse("visits:authority_list"))
        rows = [(a.name, depth) for a, depth in response.context["rows"]]
        assert rows == [
            ("Ministry of Interior", 0),
            ("Police Directorate", 1),
            ("Police Administration Kruševac", 2),
            ("Ministry of Justice", 0),
        ]

    def test_search_and_kind_filter(self, staff_client, tree):
        response = staff_client.get(
            reverse("visits:authority_list"), {"kind": "directorate", "q": "kruš"}
        )
        assert [a.name for a, _ in response.context["rows"]] == ["Police Administration Kruševac"]

    def test_detail_shows_ancestors_and_subtree_places(self, staff_client, places, tree):
        response = staff_client.get(reverse("visits:authority_detail", args=[tree["krusevac"].pk]))
        assert [a.name for a in response.context["ancestors"]] == [
            "Ministry of Interior",
            "Police Directorate",
        ]
        interior = staff_client.get(reverse("visits:authority_detail", args=[tree["interior"].pk]))
        # Kruševac is active and below the ministry; the closed Niš station is not counted.
        assert interior.context["subtree_place_count"] == 1

    def test_ministry_is_the_top_of_the_chain(self, tree):
        assert tree["krusevac"].ministry == tree["interior"]
        assert tree["interior"].ministry == tree["interior"]

    def test_staff_adds_and_edits_an_authority(self, staff_client, tree):
        response = staff_client.post(
            reverse("visits:authority_create"),
            {
                "name": "Border Police Administration",
                "kind": "directorate",
                "parent": tree["police"].pk,
                "active": "on",
            },
        )
        created = Authority.objects.get(name="Border Police Administration")
        assert response.status_code == 302
        assert created.ministry == tree["interior"]
        staff_client.post(
            reverse("visits:authority_edit", args=[created.pk]),
            {
                "name": created.name,
                "short_name": "UGP",
                "kind": "directorate",
                "parent": tree["police"].pk,
                "active": "on",
            },
        )
        created.refresh_from_db()
        assert created.short_name == "UGP"

    def test_cannot_make_a_loop_in_the_tree(self, staff_client, tree):
        response = staff_client.post(
            reverse("visits:authority_edit", args=[tree["interior"].pk]),
            {
                "name": "Ministry of Interior",
                "kind": "ministry",
                "parent": tree["krusevac"].pk,
                "active": "on",
            },
        )
        assert response.status_code == 200
        assert "parent" in response.context["form"].errors
        tree["interior"].refresh_from_db()
        assert tree["interior"].parent is None

    def test_partner_cannot_add_or_edit(self, partner_client, tree):
        assert partner_client.get(reverse("visits:authority_create")).status_code == 403
        response = partner_client.post(
            reverse("visits:authority_edit", args=[tree["justice"].pk]),
            {"name": "Renamed", "kind": "ministry", "active": "on"},
        )
        assert response.status_code == 403
        tree["justice"].refresh_from_db()
        assert tree["justice"].name == "Ministry of Justice"
