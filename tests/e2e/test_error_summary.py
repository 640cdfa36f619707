"""After a failed submit the error summary (GOV.UK pattern) takes the focus; each of its links
moves the focus to its field. The recommendation's addressees are checkboxes, ticked with the
keyboard alone (no Ctrl-click)."""

from playwright.sync_api import expect

from core.roles import Role
from tests.factories import PASSWORD, AuthorityFactory, PlaceFactory, UserFactory
from tests.recommendations.authoring_helpers import tree, visit_in
from visits.models import Place

ACTIVE_ID = "() => document.activeElement.id"
ACTIVE_IS_SUMMARY = "() => document.activeElement.hasAttribute('data-error-summary')"


def test_error_summary_takes_the_focus_and_links_to_the_field(live_server, page, login):
    UserFactory(username="staff", roles=[Role.STAFF])
    AuthorityFactory(name="Police Administration Kruševac")
    login("staff", PASSWORD)
    page.goto(f"{live_server.url}/places/new/")
    page.get_by_role("button", name="Save").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    assert page.evaluate(ACTIVE_IS_SUMMARY)
    link = summary.get_by_role("link", name="Name: This field is required.")
    expect(link).to_have_attribute("href", "#id_name")
    link.click()
    assert page.evaluate(ACTIVE_ID) == "id_name"
    # The summary lists every field in error, and the field keeps its own message too.
    expect(page.locator("#error_1_id_name")).to_contain_text("This field is required")
    assert Place.objects.count() == 0


def test_addressees_ticked_with_the_keyboard_after_an_error(live_server, page, login):
    UserFactory(username="staff", roles=[Role.STAFF])
    _ministry, _directorate, prison = tree()
    visit = visit_in(2025, PlaceFactory(name="District Prison Niš", authority=prison))
    login("staff", PASSWORD)
    page.goto(f"{live_server.url}/recommendations/new/?visit={visit.pk}")
    # The institution and its ministry come ticked; untick them both, then save.
    page.get_by_label("District Prison Niš (Institution)").uncheck()
    page.get_by_label("Ministry of Justice (Ministry)").uncheck()
    page.locator("#id_text").fill("Renovate the detention rooms.")
    page.get_by_role("button", name="Save").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Choose at least one addressee")
    assert page.evaluate(ACTIVE_IS_SUMMARY)
    summary.get_by_role("link", name="Addressees: Choose at least one addressee").click()
    assert page.evaluate(ACTIVE_ID) == "id_addressees_0"
    # Space ticks the focused checkbox, Tab and Space the next: no modifier key anywhere.
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("added")
    recommendation = visit.recommendations.get()
    assert sorted(a.name for a in recommendation.addressees.all()) == [
        "District Prison Niš",
        "Ministry of Justice",
    ]
