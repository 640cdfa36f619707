"""The tracker on a phone: results as cards, the filters folded behind one button, so the first
recommendation is on the first screen and nothing is wider than the window; and in Serbian
Cyrillic on a laptop the page does not overflow either."""

import importlib

from django.apps import apps
from playwright.sync_api import expect

from core.roles import Role
from tests.factories import PASSWORD, AuthorityFactory, PlaceFactory, UserFactory
from tests.factories.recommendations import RecommendationFactory
from tests.factories.visits import VisitFactory

PAGE_WIDTH = "document.documentElement.scrollWidth"


def _tracker_data():
    importlib.import_module("visits.migrations.0002_seed_themes").seed(apps, None)
    UserFactory(username="staff", first_name="Miloš", last_name="Janković", roles=[Role.STAFF])
    ministry = AuthorityFactory(
        name="Ministry of Labour, Employment, Veteran and Social Affairs",
        name_sr="Министарство за рад, запошљавање, борачка и социјална питања",
    )
    place = PlaceFactory(
        name="Special Hospital for Psychiatric Diseases “Dr Slavoljub Bakalović” Vršac",
        authority=ministry,
        category="psychiatric",
    )
    visit = VisitFactory(place=place)
    for number in range(1, 8):
        RecommendationFactory(
            visit=visit,
            number=number,
            text="Ensure that every patient placed in restraint is under continuous, direct "
            "and personal supervision by a member of the medical staff, and record it.",
        )


def test_the_tracker_on_a_phone_shows_cards_and_folded_filters(live_server, page, login):
    _tracker_data()
    page.set_viewport_size({"width": 390, "height": 844})
    login("staff", PASSWORD)
    page.goto(f"{live_server.url}/recommendations/")
    toggle = page.locator("#filters-toggle")
    expect(toggle).to_be_visible()
    expect(toggle).to_contain_text("0 active")
    expect(page.locator("#id_status")).to_be_hidden()
    first = page.locator("tr[data-recommendation]").first
    expect(first).to_be_visible()
    assert page.evaluate(PAGE_WIDTH) <= 390
    assert first.bounding_box()["y"] < 1000
    # A card, not a table row: as wide as the list, its cells stacked.
    assert first.evaluate("row => getComputedStyle(row).display") == "block"
    # The filters open from the button, and the count follows a choice.
    toggle.click()
    expect(page.locator("#id_status")).to_be_visible()
    page.locator("#id_priority").select_option("urgent")
    expect(toggle).to_contain_text("1 active")
    assert page.evaluate(PAGE_WIDTH) <= 390


def test_the_tracker_on_a_laptop_keeps_the_filters_open(live_server, page, login):
    _tracker_data()
    page.set_viewport_size({"width": 1366, "height": 800})
    login("staff", PASSWORD)
    page.goto(f"{live_server.url}/recommendations/")
    expect(page.locator("#filters-toggle")).to_be_hidden()
    expect(page.locator("#id_status")).to_be_visible()
    assert (
        page.locator("tr[data-recommendation]").first.evaluate(
            "row => getComputedStyle(row).display"
        )
        == "table-row"
    )


def test_the_tracker_in_cyrillic_at_1366_px_does_not_overflow(live_server, page, login):
    _tracker_data()
    page.set_viewport_size({"width": 1366, "height": 800})
    login("staff", PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": "sr", "url": live_server.url}])
    page.goto(f"{live_server.url}/recommendations/")
    assert page.locator("html").get_attribute("lang") == "sr"
    expect(page.locator("tr[data-recommendation]").first).to_be_visible()
    assert page.evaluate(PAGE_WIDTH) <= 1366
    # Nor does the results table scroll sideways inside its box.
    assert page.locator(".tracker-table").evaluate(
        "table => table.closest('.table-responsive').scrollWidth"
        " <= table.closest('.table-responsive').clientWidth"
    )
