"""A double click on Save sends the form once (static/js/submit-once.js), and the server refuses
the same member twice anyway (partners.services.member_recent_duplicate)."""

from playwright.sync_api import expect

from core.roles import Role
from partners.models import Member
from tests.factories import PASSWORD, UserFactory
from tests.factories.partners import OrganisationFactory


def _fill_member_form(page, live_server):
    page.goto(f"{live_server.url}/partners/members/new/")
    page.locator("#id_organisation").select_option(label="Belgrade Centre for Human Rights")
    page.locator("#id_first_name").fill("Milica")
    page.locator("#id_last_name").fill("Jovanović")
    page.locator("#id_expertise").select_option("interpreter")


def test_double_click_on_save_creates_one_member(live_server, page, login):
    UserFactory(username="staff", roles=[Role.STAFF])
    OrganisationFactory(name="Belgrade Centre for Human Rights", short_name="BCHR")
    login("staff", PASSWORD)
    _fill_member_form(page, live_server)

    posts, held = [], []

    def hold_post(route, request):
        # Hold the answer back, as a slow server would: the second click lands while the first
        # request is still under way.
        if request.method == "POST":
            posts.append(request.post_data)
            held.append(route)
        else:
            route.continue_()

    page.route("**/partners/members/new/", hold_post)
    save = page.get_by_role("button", name="Save")
    save.scroll_into_view_if_needed()
    box = save.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    # The button is disabled now: this second click sends nothing (2 POSTs without the script).
    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    for route in held:
        route.continue_()
    expect(page.get_by_role("heading", name="Milica Jovanović")).to_be_visible()
    expect(page.locator(".alert-success")).to_contain_text("Member Milica Jovanović added.")
    assert len(posts) == 1
    assert Member.objects.filter(last_name="Jovanović").count() == 1

    # Back to the form: its button is usable again (restored on pageshow).
    page.go_back()
    expect(page.get_by_role("button", name="Save")).to_be_enabled()


def test_the_pressed_buttons_name_and_value_are_still_posted(live_server, page, login):
    UserFactory(username="staff", roles=[Role.STAFF])
    OrganisationFactory(name="Belgrade Centre for Human Rights", short_name="BCHR")
    login("staff", PASSWORD)
    _fill_member_form(page, live_server)
    # A second submit button with a name, as forms with several actions have.
    page.evaluate(
        """() => {
            const button = document.createElement("button");
            button.type = "submit";
            button.name = "then";
            button.value = "another";
            button.textContent = "Save and add another";
            document.querySelector("#id_first_name").form.querySelector("button[type=submit]").after(button);
        }"""
    )
    bodies = []
    page.route(
        "**/partners/members/new/",
        lambda route, request: (
            bodies.append(request.post_data) if request.method == "POST" else None,
            route.continue_(),
        ),
    )
    page.get_by_role("button", name="Save and add another").click()
    expect(page.get_by_role("heading", name="Milica Jovanović")).to_be_visible()
    assert len(bodies) == 1
    # Multipart (the form takes a scanned pledge): the button's value once, as the browser
    # would have sent it had the button not been disabled.
    assert bodies[0].count('name="then"\r\n\r\nanother\r\n') == 1
    assert Member.objects.count() == 1


def test_the_server_refuses_a_resent_member_form(live_server, page, login):
    # Without the script's help (a resent form, another client): still one member.
    UserFactory(username="staff", roles=[Role.STAFF])
    OrganisationFactory(name="Belgrade Centre for Human Rights", short_name="BCHR")
    login("staff", PASSWORD)
    for _attempt in range(2):
        _fill_member_form(page, live_server)
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("heading", name="Milica Jovanović")).to_be_visible()
    expect(page.locator(".alert-info")).to_contain_text("already added a moment ago")
    assert Member.objects.count() == 1
