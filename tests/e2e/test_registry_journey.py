import importlib

from django.apps import apps
from playwright.sync_api import expect

from core.roles import Role
from tests.factories import PASSWORD, AuthorityFactory, PlaceFactory, UserFactory
from visits.models import Place


def test_staff_registers_a_place_and_finds_it_in_the_list(live_server, page, login):
    # Browser tests flush the database between tests: the districts again, as the migration does.
    importlib.import_module("visits.migrations.0011_districts").seed_districts(apps, None)
    UserFactory(username="staff", first_name="Miloš", last_name="Janković", roles=[Role.STAFF])
    krusevac = AuthorityFactory(name="Police Administration Kruševac")
    PlaceFactory(name="Police Department Kruševac", authority=krusevac)
    login("staff", PASSWORD)
    expect(page.locator("#user-menu")).to_contain_text("NPM staff")

    page.get_by_role("link", name="Places", exact=True).click()
    page.get_by_role("link", name="Register a place").click()
    page.locator("#id_name").fill("police department kruševac")
    page.get_by_label("Category").select_option(label="Police station / detention unit")
    page.get_by_label("Operating authority").select_option(label="Police Administration Kruševac")
    page.get_by_label("Municipality").fill("Ćićevac")
    page.locator("#id_district").select_option("Rasina")
    page.get_by_label("Capacity").fill("4")
    page.get_by_role("button", name="Save").click()
    # Bad input: a message next to the field, nothing saved, the rest of the form kept.
    expect(page.locator("#error_1_id_name")).to_contain_text("already registered")
    expect(page.get_by_label("Municipality")).to_have_value("Ćićevac")
    assert Place.objects.count() == 1

    page.locator("#id_name").fill("Police Station Ćićevac")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Police Station Ćićevac")).to_be_visible()
    expect(page.locator(".alert-success")).to_contain_text("registered")

    page.get_by_role("link", name="Places", exact=True).first.click()
    page.get_by_label("Search").fill("Ćićevac")
    # htmx refreshes the results as the user types.
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("Police Station Ćićevac")
    assert "q=" in page.url
    assert Place.objects.get(name="Police Station Ćićevac").capacity == 4
