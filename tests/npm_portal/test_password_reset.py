"""Password reset by e-mail: the same answer for every address, rate limits per address and per
client, only the link in the e-mail, an hour's validity, no login from the link, the second
factor and the lockouts still apply (npm_portal.security.password_reset)."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from core.roles import Role
from npm_portal.security.password_reset import RESETS_PER_ADDRESS, RESETS_PER_CLIENT
from tests.factories import PASSWORD, UserFactory
from tests.security.conftest import authenticator, code_for, two_factor_on  # noqa: F401

NEW_PASSWORD = "a long new passphrase for the portal"
LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/[^\s]+/)")


def _ask(email: str, *, address: str = "203.0.113.7"):
    return Client(REMOTE_ADDR=address).post(reverse("password_reset"), {"email": email})


def _link(message) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


def _set_password(path: str, password: str = NEW_PASSWORD, client: Client | None = None):
    """Open the e-mailed link (it redirects to the form without the token) and set a password."""
    client = client or Client()
    response = client.get(path)
    assert response.status_code == 302
    form_url = response.url
    return client, client.post(form_url, {"new_password1": password, "new_password2": password})


@pytest.fixture
def member(db):
    return UserFactory(username="reset-me", email="Reset.Me@example.org", roles=[Role.STAFF])


class TestAskingForALink:
    def test_login_page_links_to_the_reset_page(self, db):
        response = Client().get(reverse("login"))
        assert reverse("password_reset") in response.content.decode()
        assert "Forgot your password?" in response.content.decode()

    def test_anonymous_user_sees_the_form(self, db):
        response = Client().get(reverse("password_reset"))
        assert response.status_code == 200
        assert 'name="email"' in response.content.decode()

    def test_known_address_gets_one_mail_with_only_the_link(self, member):
        response = _ask("reset.me@example.org")
        assert response.status_code == 302
        assert response.url == reverse("password_reset_done")
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["Reset.Me@example.org"]
        assert _link(message).startswith("/accounts/password/reset/")
        # Nothing about the account but the link: not the username, not the name.
        assert "reset-me" not in message.body
        assert member.first_name not in message.body
        assert member.last_name not in message.body

    def test_unknown_address_gets_the_same_answer_and_no_mail(self, member):
        known = _ask("reset.me@example.org", address="198.51.100.1")
        unknown = _ask("nobody@example.org", address="198.51.100.2")
        assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["Reset.Me@example.org"]
        done = Client().get(reverse("password_reset_done"))
        assert "If an account has this address" in done.content.decode()

    def test_inactive_user_gets_no_mail_and_the_same_answer(self, member):
        member.is_active = False
        member.save(update_fields=["is_active"])
        response = _ask("reset.me@example.org")
        assert response.url == reverse("password_reset_done")
        assert mail.outbox == []

    def test_user_without_a_usable_password_gets_no_mail(self, member):
        member.set_unusable_password()
        member.save(update_fields=["password"])
        _ask("reset.me@example.org")
        assert mail.outbox == []

    def test_authority_user_may_reset_like_anyone(self, db):
        UserFactory(username="focal", email="focal@ministry.example", roles=[Role.AUTHORITY])
        _ask("focal@ministry.example")
        assert len(mail.outbox) == 1
        _client, response = _set_password(_link(mail.outbox[0]))
        assert response.url == reverse("password_reset_complete")
        assert get_user_model().objects.get(username="focal").check_password(NEW_PASSWORD)


class TestRateLimits:
    def test_per_address_limit_sends_no_more_mail_and_answers_the_same(self, member):
        for n in range(RESETS_PER_ADDRESS + 2):
            response = _ask("reset.me@example.org", address=f"198.51.100.{n + 1}")
            assert response.url == reverse("password_reset_done")
        assert len(mail.outbox) == RESETS_PER_ADDRESS

    def test_per_address_limit_ignores_case(self, member):
        for n in range(RESETS_PER_ADDRESS):
            _ask("reset.me@example.org", address=f"198.51.100.{n + 1}")
        _ask("RESET.ME@EXAMPLE.ORG", address="198.51.100.99")
        assert len(mail.outbox) == RESETS_PER_ADDRESS

    def test_per_client_limit_across_addresses(self, member):
        for n in range(RESETS_PER_CLIENT):
            _ask(f"someone{n}@example.org")
        response = _ask("reset.me@example.org")
        assert response.url == reverse("password_reset_done")
        assert mail.outbox == []
        # Another client is not limited.
        _ask("reset.me@example.org", address="192.0.2.50")
        assert len(mail.outbox) == 1

    def test_limit_ends_after_an_hour(self, member):
        start = dt.datetime.now(tz=dt.UTC)
        with time_machine.travel(start, tick=False):
            for _n in range(RESETS_PER_ADDRESS + 1):
                _ask("reset.me@example.org")
        assert len(mail.outbox) == RESETS_PER_ADDRESS
        with time_machine.travel(start + dt.timedelta(minutes=61), tick=False):
            _ask("reset.me@example.org", address="192.0.2.51")
        assert len(mail.outbox) == RESETS_PER_ADDRESS + 1


class TestSettingThePassword:
    def test_link_sets_the_password_and_does_not_log_in(self, member):
        _ask("reset.me@example.org")
        client, response = _set_password(_link(mail.outbox[0]))
        assert response.status_code == 302
        assert response.url == reverse("password_reset_complete")
        member.refresh_from_db()
        assert member.check_password(NEW_PASSWORD)
        assert not member.check_password(PASSWORD)
        # Not logged in: the home page asks for the login.
        home = client.get(reverse("dashboard"))
        assert home.status_code == 302
        assert home.url.startswith(reverse("login"))
        complete = client.get(reverse("password_reset_complete"))
        assert "two-factor" in complete.content.decode()

    def test_password_rules_apply(self, member):
        _ask("reset.me@example.org")
        _client, response = _set_password(_link(mail.outbox[0]), password="short1")
        assert response.status_code == 200
        member.refresh_from_db()
        assert member.check_password(PASSWORD)

    def test_link_works_once(self, member):
        _ask("reset.me@example.org")
        path = _link(mail.outbox[0])
        _set_password(path)
        again = Client().get(path, follow=True)
        assert "This link does not work" in again.content.decode()

    def test_link_expires_after_an_hour(self, member):
        start = dt.datetime.now(tz=dt.UTC)
        with time_machine.travel(start, tick=False):
            _ask("reset.me@example.org")
        path = _link(mail.outbox[0])
        with time_machine.travel(start + dt.timedelta(minutes=61), tick=False):
            response = Client().get(path, follow=True)
            assert "This link does not work" in response.content.decode()
            member.refresh_from_db()
            assert member.check_password(PASSWORD)

    def test_link_for_a_made_up_token_does_not_work(self, member):
        path = reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "made-up"})
        response = Client().get(path)
        assert response.status_code == 200
        assert "This link does not work" in response.content.decode()


class TestLoginRulesStillApply:
    def test_second_factor_still_asked_after_a_reset(self, member, two_factor_on, authenticator):  # noqa: F811
        device = authenticator(member)
        _ask("reset.me@example.org")
        client, _response = _set_password(_link(mail.outbox[0]))
        login = client.post(reverse("login"), {"username": "reset-me", "password": NEW_PASSWORD})
        assert login.status_code == 302
        home = client.get(reverse("dashboard"))
        assert home.status_code == 302
        assert home.url.startswith(reverse("otp_verify"))
        verified = client.post(reverse("otp_verify"), {"token": code_for(device)})
        assert verified.status_code == 302
        assert client.get(reverse("dashboard")).status_code == 200

    def test_reset_does_not_end_a_lockout(self, member):
        client = Client(REMOTE_ADDR="203.0.113.7")
        for _n in range(5):
            client.post(reverse("login"), {"username": "reset-me", "password": "wrong guess!"})
        _ask("reset.me@example.org")
        _set_password(_link(mail.outbox[0]))
        locked = client.post(reverse("login"), {"username": "reset-me", "password": NEW_PASSWORD})
        assert locked.status_code == 429
        member.refresh_from_db()
        assert member.check_password(NEW_PASSWORD)

    def test_lockout_lifts_at_its_end_and_the_new_password_works(self, member):
        start = dt.datetime.now(tz=dt.UTC)
        with time_machine.travel(start, tick=False):
            client = Client(REMOTE_ADDR="203.0.113.7")
            for _n in range(5):
                client.post(reverse("login"), {"username": "reset-me", "password": "wrong guess!"})
            _ask("reset.me@example.org")
            _set_password(_link(mail.outbox[0]))
        with time_machine.travel(start + dt.timedelta(minutes=30), tick=False):
            login = Client(REMOTE_ADDR="203.0.113.7").post(
                reverse("login"), {"username": "reset-me", "password": NEW_PASSWORD}
            )
            assert login.status_code == 302
