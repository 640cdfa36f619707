"""The print stylesheet: a visit, its report and a recommendation print as their content only,
black on white, without the navigation, buttons, forms or footer."""

import importlib

import pytest
from django.apps import apps
from playwright.sync_api import expect

from core.roles import Role
from tests.factories import PASSWORD, UserFactory
from tests.factories.recommendations import RecommendationFactory
from tests.recommendations.compliance_helpers import issue, visit_at


@pytest.fixture
def case(db):
    importlib.import_module("visits.migrations.0002_seed_themes").seed(apps, None)
    UserFactory(username="staff", first_name="Miloš", last_name="Janković", roles=[Role.STAFF])
    visit = visit_at()
    recommendation = RecommendationFactory(visit=visit, number=1, text="Install call bells.")
    report = issue(visit)
    return visit, report, recommendation


def _assert_prints_content_only(page, heading_text: str) -> None:
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.locator("footer")).to_be_hidden()
    expect(page.locator("main")).to_be_visible()
    expect(page.locator("main h1").first).to_contain_text(heading_text)
    for button in page.locator("main .btn").all():
        expect(button).to_be_hidden()
    colour = page.locator("main h1").first.evaluate("h => getComputedStyle(h).color")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert colour == "rgb(0, 0, 0)"
    assert background in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")
    page.emulate_media(media="screen")
    expect(page.locator("nav.navbar")).to_be_visible()


def test_visit_report_and_recommendation_pages_print_their_content(live_server, page, login, case):
    visit, report, recommendation = case
    login("staff", PASSWORD)
    page.goto(f"{live_server.url}{visit.get_absolute_url()}")
    _assert_prints_content_only(page, visit.reference)
    page.goto(f"{live_server.url}/recommendations/{recommendation.pk}/")
    _assert_prints_content_only(page, recommendation.reference)
    page.goto(f"{live_server.url}{report.get_absolute_url()}")
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.locator("main")).to_be_visible()
    # Headings never end a printed page alone.
    assert page.locator("main h1, main h2").first.evaluate(
        "h => getComputedStyle(h).breakAfter"
    ) in ("avoid", "avoid-page")
