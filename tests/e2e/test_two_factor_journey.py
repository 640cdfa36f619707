"""Browser: first login with two-factor on — without an enrolment link the user is only told to
ask for one; with the link the NPM head made, they log in, enrol the authenticator from the QR
page, keep the backup codes and reach the dashboard; the next login asks for a code. No CSP
violation on the way."""

import base64
import time

from django_otp.oath import TOTP
from playwright.sync_api import expect

from core.roles import Role
from npm_portal.security.enrolment import link_issue
from tests.factories import PASSWORD, UserFactory


def _code(secret: str, *, offset: int = 0) -> str:
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def test_first_login_enrols_then_every_login_asks_for_a_code(live_server, page, settings):
    settings.NPM_REQUIRE_2FA = True
    staff = UserFactory(username="staff", roles=[Role.STAFF])
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("staff")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # The password alone does not let anyone set up an authenticator.
    expect(page.get_by_role("heading", name="You need an enrolment link")).to_be_visible()
    expect(page.locator("#otp-qr")).to_have_count(0)
    page.get_by_role("button", name="Log out").click()

    # The head made a link (e-mailed or handed over); opening it asks for the password first.
    page.goto(live_server.url + link_issue(user=staff, by=None).url)
    page.get_by_label("Username").fill("staff")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Set up two-factor login")).to_be_visible()
    expect(page.locator("#otp-qr")).to_be_visible()
    assert page.locator("#otp-qr").evaluate("img => img.naturalWidth") > 0
    secret = page.locator("#otp-secret").inner_text()
    page.get_by_label("Code").fill(_code(secret))
    page.get_by_role("button", name="Turn on two-factor login").click()
    expect(page.locator("#backup-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have saved them").click()
    expect(page.locator("#user-menu")).to_contain_text("NPM staff")

    page.locator("#user-menu").click()
    page.get_by_role("button", name="Log out").click()
    page.get_by_label("Username").fill("staff")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.get_by_label("Code").fill(_code(secret, offset=30))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(f"{live_server.url}/")
    assert not violations, violations


def test_an_administrator_makes_an_enrolment_link_on_the_page(live_server, page, login, browser):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    staff = UserFactory(username="staff", roles=[Role.STAFF])
    login("root", PASSWORD)
    page.goto(f"{live_server.url}/accounts/two-factor/")
    page.get_by_role("link", name="Enrolment links").click()
    page.locator("#id_user").select_option(label=f"{staff.get_full_name()} (staff)")
    page.get_by_role("button", name="Make an enrolment link").click()
    link = page.locator("#enrolment-link").inner_text()
    assert link.startswith(f"{live_server.url}/accounts/enrol/")
    expect(page.locator("table")).to_contain_text("not used yet")

    other = browser.new_context().new_page()
    other.goto(link)
    other.get_by_label("Username").fill("staff")
    other.get_by_label("Password").fill(PASSWORD)
    other.get_by_role("button", name="Log in").click()
    expect(other.get_by_role("heading", name="Set up two-factor login")).to_be_visible()
    expect(other.locator("#otp-qr")).to_be_visible()
