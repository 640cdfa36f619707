"""The header search in a browser: a reference copied from a page opens its visit; the town
typed without diacritics, and in Cyrillic, finds the same rows; on a phone the box is in the
menu and the page does not widen."""

from playwright.sync_api import expect

from core.roles import Role
from tests.factories import PASSWORD, AuthorityFactory, PlaceFactory, UserFactory
from tests.factories.recommendations import RecommendationFactory
from tests.factories.visits import ReportFactory, VisitFactory


def _world():
    UserFactory(username="staff", roles=[Role.STAFF])
    authority = AuthorityFactory(name="Penal Sanctions Administration")
    place = PlaceFactory(
        name="District Prison Požarevac", municipality="Požarevac", authority=authority
    )
    visit = VisitFactory(place=place, purpose="Regular visit")
    ReportFactory(visit=visit, reference="NPM-2026-002", title="Visit to the prison")
    RecommendationFactory(
        visit=visit, number=1, text="Repair the ventilation of the Požarevac cell block."
    )
    PlaceFactory(name="Correctional Institution Niš", municipality="Niš")
    return visit


def _search(page, text):
    """Above 1200 px the box opens from the search button; below, it is in the menu."""
    toggle = page.locator("#header-search-toggle")
    if toggle.is_visible():
        toggle.click()
    box = page.locator("#header-search-q")
    box.fill(text)
    box.press("Enter")


def test_staff_finds_a_visit_by_reference_without_diacritics_and_in_cyrillic(
    live_server, page, login
):
    visit = _world()
    login("staff", PASSWORD)

    # A reference as displayed opens the visit itself.
    _search(page, visit.reference)
    page.wait_for_url(f"{live_server.url}{visit.get_absolute_url()}")
    expect(page.locator("h1")).to_contain_text("District Prison Požarevac")

    # A recommendation's reference opens the recommendation.
    _search(page, "NPM-2026-002/1")
    expect(page.locator("main, body").first).to_contain_text("Repair the ventilation")

    for text in ("Pozarevac", "Пожаревац"):
        _search(page, text)
        page.wait_for_url("**/search/?q=*")
        expect(page.locator("#results-places")).to_contain_text("District Prison Požarevac")
        expect(page.locator("#results-visits")).to_contain_text(visit.reference)
        # A recommendation is found by its own text (the town in it), not by its place.
        expect(page.locator("#results-recommendations")).to_contain_text("NPM-2026-002/1")
        expect(page.locator("body")).not_to_contain_text("Correctional Institution Niš")
        # The box keeps the text; the results link to their pages.
        expect(page.locator("#search-page-q")).to_have_value(text)
    page.locator("#results-visits a").first.click()
    page.wait_for_url(f"{live_server.url}{visit.get_absolute_url()}")


def test_the_search_box_works_on_a_phone(live_server, page, login):
    visit = _world()
    page.set_viewport_size({"width": 390, "height": 800})
    login("staff", PASSWORD)
    page.locator(".navbar-toggler").click()
    box = page.locator("#header-search-q")
    expect(box).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _search(page, "pozarevac")
    page.wait_for_url("**/search/?q=*")
    expect(page.locator("#results-visits")).to_contain_text(visit.reference)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
