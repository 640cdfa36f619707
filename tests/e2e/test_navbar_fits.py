"""The main navigation never widens the page: the NPM head has the most menu items, and Serbian
labels are the longest, yet from a phone to a wide screen the page is exactly as wide as the
window (the menu collapses below 1200 px; above, the language menu is an icon and the role is at
the top of the user menu)."""

import pytest

from core.roles import Role
from tests.factories import PASSWORD, UserFactory


@pytest.mark.parametrize("width", [390, 1000, 1200, 1300, 1400, 1600])
@pytest.mark.parametrize("language", ["sr", "en"])
def test_the_navigation_fits_the_window(live_server, page, login, width, language):
    UserFactory(username="head", first_name="Gordana", last_name="Stevanović", roles=[Role.HEAD])
    page.set_viewport_size({"width": width, "height": 800})
    login("head", PASSWORD)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.reload()
    assert page.locator("html").get_attribute("lang") == language
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    badge = page.locator(".role-badge").first
    if width < 1200:
        # The collapsed menu opens with the role beside the name.
        page.locator(".navbar-toggler").click()
        badge.wait_for(state="visible")
    else:
        assert not badge.is_visible()
        page.locator("#user-menu").click()
        page.locator(".dropdown-header").first.wait_for(state="visible")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
