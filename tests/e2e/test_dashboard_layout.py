"""The compliance dashboard's tables fit their cards on a desktop and scroll inside them on a
phone: no column (e.g. "No longer applicable") spills out of its card or widens the page."""

import importlib

import pytest
import time_machine
from django.apps import apps

from core.roles import Role
from tests.factories import PASSWORD, UserFactory
from tests.recommendations import stats_world

# For every table of the page: its width, its card's, and whether it sits in a scroll box.
MEASURE = """() => Array.from(document.querySelectorAll('main table, #main table, .card table'))
  .map(t => {
    const card = t.closest('.card');
    const box = t.closest('.table-responsive');
    const cardWidth = card.getBoundingClientRect().width;
    return {
      id: t.id,
      table: Math.round(t.getBoundingClientRect().width),
      card: Math.round(cardWidth),
      boxed: !!box && getComputedStyle(box).overflowX === 'auto'
        && Math.round(box.getBoundingClientRect().width) <= Math.round(cardWidth),
    };
  })"""


@pytest.mark.parametrize("width", [1300, 390])
def test_every_table_fits_or_scrolls_inside_its_card(live_server, page, login, width):
    importlib.import_module("visits.migrations.0002_seed_themes").seed(apps, None)
    UserFactory(username="compliance", roles=[Role.COMPLIANCE])
    with time_machine.travel(stats_world.today_noon(), tick=False):
        stats_world.build()
    page.set_viewport_size({"width": width, "height": 900})
    login("compliance", PASSWORD)
    page.goto(f"{live_server.url}/recommendations/dashboard/")
    tables = page.evaluate(MEASURE)
    assert {t["id"] for t in tables} >= {"table-authority", "table-theme", "table-periods"}
    for table in tables:
        assert table["boxed"], table
        if width >= 1200:
            # On a desktop nothing needs a scroll bar: every column is visible.
            assert table["table"] <= table["card"], table
    assert page.evaluate("document.documentElement.scrollWidth") <= width
