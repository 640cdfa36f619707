"""A 60,000-letter word (pasted by mistake, or on purpose) breaks across lines instead of making
the page as wide as the word (it made one 657,798 px wide)."""

import importlib

import pytest
from django.apps import apps

from core.roles import Role
from tests.factories import PASSWORD, PlaceFactory, UserFactory
from tests.factories.visits import VisitFactory, theme
from visits.models import Finding

WORD = "x" * 60_000
MARGIN = 20  # px: a scroll bar, rounding


@pytest.mark.parametrize("width", [1366, 390])
def test_a_very_long_word_does_not_widen_the_page(live_server, page, login, width):
    importlib.import_module("visits.migrations.0002_seed_themes").seed(apps, None)
    UserFactory(username="staff", roles=[Role.STAFF])
    place = PlaceFactory(name="Police Department Kruševac", notes=WORD)
    visit = VisitFactory(place=place)
    Finding.objects.create(visit=visit, theme=theme(), kind="concern", text=f"Before {WORD} after")
    page.set_viewport_size({"width": width, "height": 900})
    login("staff", PASSWORD)
    for path in (f"/visits/{visit.pk}/findings/", f"/places/{place.pk}/"):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("main").inner_text().count("x" * 1000) >= 1  # the word is shown
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width + MARGIN, (path, scroll_width)
