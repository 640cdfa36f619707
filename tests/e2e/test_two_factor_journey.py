"""Browser: first login with two-factor on — enrol the authenticator from the QR page, keep the
backup codes, reach the dashboard; the next login asks for a code. No CSP violation on the way."""

import base64
import time

from django_otp.oath import TOTP
from playwright.sync_api import expect

from core.roles import Role
from tests.factories import PASSWORD, UserFactory


def _code(secret: str, *, offset: int = 0) -> str:
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def test_first_login_enrols_then_every_login_asks_for_a_code(live_server, page, settings):
    settings.NPM_REQUIRE_2FA = True
    UserFactory(username="staff", roles=[Role.STAFF])
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
