"""The header search page (/search/): what each role finds, the exact reference shortcut, the
bounds, and the partner rule (nothing of a visit they are not on)."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from core.roles import Role
from npm_portal.search import views
from tests.factories import PlaceFactory, UserFactory
from tests.factories.recommendations import RecommendationFactory

from .conftest import SPELLINGS

URL = reverse("search:index")


def _search(client, text):
    return client.get(URL, {"q": text})


def _body(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("text", SPELLINGS)
def test_staff_finds_every_type_in_any_spelling(world, staff_client, text):
    body = _body(_search(staff_client, text))
    for key in ("visits", "reports", "recommendations", "places", "authorities", "organisations"):
        assert f'id="results-{key}"' in body, key
    assert world.visit.reference in body
    assert "NPM-2026-002/1" in body
    assert "District Prison Požarevac" in body
    assert "Helsinki Committee Požarevac" in body
    # Niš matches none of the spellings.
    assert world.other_visit.reference not in body
    assert "NPM-2026-003" not in body


def test_a_unique_visit_reference_opens_the_visit(world, staff_client):
    response = _search(staff_client, world.visit.reference.lower())
    assert response.status_code == 302
    assert response.url == world.visit.get_absolute_url()


def test_a_report_reference_opens_the_report(world, compliance_client):
    response = _search(compliance_client, "NPM-2026-003")
    assert response.status_code == 302
    assert response.url == world.other_report.get_absolute_url()


def test_a_recommendation_reference_opens_the_recommendation(world, head_client):
    response = _search(head_client, "NPM-2026-002/1")
    assert response.status_code == 302
    assert response.url == world.recommendation.get_absolute_url()


def test_partner_finds_their_own_visit_by_reference(world, partner_client):
    response = _search(partner_client, world.visit.reference)
    assert response.status_code == 302
    assert response.url == world.visit.get_absolute_url()


def test_partner_finds_nothing_of_a_visit_they_are_not_on(world, partner_client):
    """Not the visit, its report, its place's recommendations: the same page as a reference
    that does not exist, so the reference's existence is not revealed."""
    hidden = (
        world.other_visit.get_absolute_url(),
        world.other_report.get_absolute_url(),
        world.other_recommendation.get_absolute_url(),
    )
    for text in (world.other_visit.reference, "NPM-2026-003", "NPM-2026-003/1", "Niš findings"):
        body = _body(_search(partner_client, text))
        # The query is echoed back in the box; nothing else of the visit is on the page.
        results = body.split('id="search-page-form"')[1].replace(text, "")
        assert not any(url in body for url in hidden)
        assert "list-group-item" not in results
        assert "Install call buttons" not in results
        assert "Nothing found" in results
    missing = _body(_search(partner_client, "V-1999-999"))
    assert "Nothing found" in missing


def test_partner_sees_no_recommendations_and_only_their_own_organisation(
    world, partner_client, other_partner_member
):
    from tests.factories.visits import MemberFactory, OrganisationFactory

    other = OrganisationFactory(name="Požarevac Lawyers", short_name="PL")
    MemberFactory(organisation=other, user=other_partner_member, last_name="Požarevčanin")
    body = _body(_search(partner_client, "Požarevac"))
    assert 'id="results-recommendations"' not in body
    assert "Repair the ventilation" not in body
    assert "Helsinki Committee Požarevac" in body
    assert "Požarevac Lawyers" not in body
    assert "Požarevčanin" not in body
    # Their own visit and report, and the public registry.
    assert world.visit.reference in body
    assert "NPM-2026-002" in body
    assert "District Prison Požarevac" in body


def test_other_partner_finds_no_visit_at_all(world, other_partner_client):
    body = _body(_search(other_partner_client, "Požarevac"))
    assert 'id="results-visits"' not in body
    assert 'id="results-reports"' not in body
    assert world.visit.reference not in body


def test_compliance_finds_recommendations_and_members(world, compliance_client):
    body = _body(_search(compliance_client, "pesic"))
    assert 'id="results-members"' in body
    assert "Đorđe Pešić" in body


def test_authority_users_have_no_global_search(world, client):
    user = UserFactory(username="focal", roles=[Role.AUTHORITY])
    client.force_login(user)
    assert _search(client, "Požarevac").status_code == 404
    request = RequestFactory().get("/")
    request.user = user
    assert "header-search-q" not in render_to_string(
        "includes/header_search.html", {"user": user, "request": request}
    )


def test_the_header_box_is_in_every_page_for_npm_users(world, staff_client):
    body = _body(staff_client.get(reverse("visits:visit_list")))
    assert 'role="search"' in body
    assert 'id="header-search-q"' in body
    assert 'for="header-search-q"' in body


def test_anonymous_users_are_sent_to_log_in(anonymous_client):
    response = _search(anonymous_client, "V-2025-001")
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_results_are_bounded_with_a_link_to_the_list(world, staff_client, monkeypatch):
    monkeypatch.setattr(views, "PER_TYPE", 3)
    for n in range(5):
        PlaceFactory(name=f"Police Station Požarevac {n}")
    body = _body(_search(staff_client, "pozarevac"))
    section = body.split('id="results-places"')[1].split("</section>")[0]
    assert section.count("list-group-item") == 3
    assert f"{reverse('visits:place_list')}?q=pozarevac" in section


def test_the_number_of_queries_does_not_grow_with_the_matches(
    world, staff_client, django_assert_max_num_queries
):
    for n in range(15):
        RecommendationFactory(visit=world.visit, number=10 + n, text=f"Požarevac item {n}")
    with django_assert_max_num_queries(30):
        body = _body(_search(staff_client, "Požarevac"))
    section = body.split('id="results-recommendations"')[1].split("</section>")[0]
    assert section.count("list-group-item") == views.PER_TYPE
    assert f"{reverse('recommendations:list')}?q=Po%C5%BEarevac" in section


def test_an_empty_query_shows_the_form_only(staff_client):
    body = _body(staff_client.get(URL))
    assert 'id="search-page-q"' in body
    assert "Nothing found" not in body


def test_a_nul_in_the_query_is_dropped_not_a_server_error(world, staff_client):
    # PostgreSQL refuses NUL in a string literal; the search drops it.
    response = _search(staff_client, "Poža\x00revac")
    assert response.status_code == 200
    assert "District Prison Požarevac" in _body(response)


def test_recommendations_are_found_by_their_own_text_not_their_places_name(world, staff_client):
    """The place has its own group; a town's name does not list every recommendation made
    there (the tracker's search, behind "more", does)."""
    body = _body(_search(staff_client, "Požarevac"))
    assert "Repair the ventilation in the Požarevac pavilion." in body
    assert "Train the staff in de-escalation." not in body
    assert "District Prison Požarevac" in body
    tracker = staff_client.get(reverse("recommendations:list"), {"q": "Požarevac"})
    assert "Train the staff in de-escalation." in tracker.content.decode()
