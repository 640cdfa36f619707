"""Lockouts beyond one username from one address: one account from many addresses
(NPM_ACCOUNT_FAILURE_LIMIT), one address trying many usernames (NPM_ADDRESS_FAILURE_LIMIT). Both
last the cool-off and are not extended by attempts during the lock, so the owner is slowed, never
locked out for good; a browser the owner logged in with before is not held back at all."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from npm_portal.security.lockout import known_browser_cookie_name
from npm_portal.security.models import LoginFailure
from tests.factories import PASSWORD

WRONG = "wrong password entirely"
TOKEN = re.compile(r'(X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+')
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _login(username, password, address, client=None):
    client = client or Client(REMOTE_ADDR=address)
    return client.post(reverse("login"), {"username": username, "password": password})


def _spread(username, times, *, offset=0):
    """`times` failed logins on `username`, each from another address (axes' own lock, per
    username and address, never triggers)."""
    return [
        _login(username, WRONG, f"198.51.{(n + offset) // 250}.{(n + offset) % 250 + 1}")
        for n in range(times)
    ]


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.NPM_TRUSTED_PROXIES = []
    settings.NPM_ACCOUNT_FAILURE_LIMIT = 20
    settings.NPM_ADDRESS_FAILURE_LIMIT = 50
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=15)


class TestAccountAcrossAddresses:
    def test_twenty_failures_from_twenty_addresses_lock_that_account(self, staff, compliance):
        with time_machine.travel(START, tick=False):
            answers = [r.status_code for r in _spread("staff", 20)]
            assert answers == [200] * 19 + [429]  # the 20th is answered with the lockout page
            locked = _login("staff", PASSWORD, "192.0.2.77")
            assert locked.status_code == 429
            assert "Too many attempts" in locked.content.decode()
            # Another account, and the same addresses for another account, are not locked.
            assert _login("compliance", PASSWORD, "192.0.2.78").status_code == 302
            assert _login("compliance", PASSWORD, "198.51.0.1").status_code == 302

    def test_nineteen_do_not(self, staff):
        _spread("staff", 19)
        assert _login("staff", PASSWORD, "192.0.2.77").status_code == 302

    def test_the_owner_logs_in_after_the_cool_off(self, staff):
        with time_machine.travel(START, tick=False) as clock:
            _spread("staff", 20)
            clock.shift(dt.timedelta(minutes=14))
            assert _login("staff", PASSWORD, "192.0.2.77").status_code == 429
            clock.shift(dt.timedelta(minutes=1, seconds=1))
            assert _login("staff", PASSWORD, "192.0.2.77").status_code == 302

    def test_attempts_during_the_lock_do_not_extend_it(self, staff):
        with time_machine.travel(START, tick=False) as clock:
            _spread("staff", 20)
            for minute in range(1, 15):
                clock.shift(dt.timedelta(minutes=1))
                assert _spread("staff", 3, offset=100 + 3 * minute)[-1].status_code == 429
            assert LoginFailure.objects.count() == 20  # refused attempts are not counted
            clock.shift(dt.timedelta(minutes=1, seconds=1))
            assert _login("staff", PASSWORD, "192.0.2.77").status_code == 302

    def test_a_browser_the_owner_used_before_is_not_locked_out(self, staff):
        with time_machine.travel(START, tick=False) as clock:
            owners_browser = Client(REMOTE_ADDR="192.0.2.10")
            assert _login("staff", PASSWORD, None, owners_browser).status_code == 302
            owners_browser.post(reverse("logout"))
            clock.shift(dt.timedelta(days=1))
            _spread("staff", 25)
            assert _login("staff", PASSWORD, "192.0.2.77").status_code == 429
            assert _login("staff", PASSWORD, None, owners_browser).status_code == 302

    def test_the_known_browser_cookie_is_for_one_account_and_not_forgeable(self, staff, head):
        with time_machine.travel(START, tick=False):
            browser = Client(REMOTE_ADDR="192.0.2.10")
            assert _login("head", PASSWORD, None, browser).status_code == 302
            _spread("staff", 20)
            assert _login("staff", PASSWORD, None, browser).status_code == 429
            # The head's cookie, tampered with, does nothing for staff either.
            head_cookie = browser.cookies[known_browser_cookie_name()].value
            forged = Client(REMOTE_ADDR="192.0.2.11")
            forged.cookies[known_browser_cookie_name()] = head_cookie[:-2] + "xx"
            assert _login("staff", PASSWORD, None, forged).status_code == 429

    def test_unknown_usernames_are_locked_exactly_alike(self, staff):
        with time_machine.travel(START, tick=False):
            real = _spread("staff", 21)[-1]
            unknown = _spread("nobody-here", 21, offset=300)[-1]
        assert real.status_code == unknown.status_code == 429
        assert TOKEN.sub(r"\1", real.content.decode()) == TOKEN.sub(r"\1", unknown.content.decode())

    def test_failed_re_authentication_counts_towards_the_account(self, staff):
        _spread("staff", 19)
        client = Client(REMOTE_ADDR="192.0.2.50")
        client.force_login(staff)
        client.post(reverse("reauthenticate"), {"password": WRONG})
        assert _login("staff", PASSWORD, "192.0.2.77").status_code == 429

    def test_the_username_is_not_stored(self, staff):
        _spread("staff", 2)
        accounts = list(LoginFailure.objects.values_list("account", flat=True))
        assert len(accounts) == 2
        assert not any("staff" in account for account in accounts)


class TestAddressAcrossUsernames:
    def test_many_usernames_from_one_address_lock_that_address(self, staff):
        with time_machine.travel(START, tick=False):
            answers = [_login(f"guess{n}", WRONG, "203.0.113.9").status_code for n in range(50)]
            assert answers == [200] * 49 + [429]
            assert _login("staff", PASSWORD, "203.0.113.9").status_code == 429
            assert _login("staff", PASSWORD, "203.0.113.10").status_code == 302

    def test_the_address_is_free_again_after_the_cool_off(self, staff):
        with time_machine.travel(START, tick=False) as clock:
            for n in range(50):
                _login(f"guess{n}", WRONG, "203.0.113.9")
            clock.shift(dt.timedelta(minutes=15, seconds=1))
            assert _login("staff", PASSWORD, "203.0.113.9").status_code == 302

    def test_an_ipv6_address_counts_as_its_slash_64(self, staff):
        for n in range(50):
            _login(f"guess{n}", WRONG, f"2001:db8:1:2::{n + 1:x}")
        assert _login("staff", PASSWORD, "2001:db8:1:2:ffff::1").status_code == 429
        assert _login("staff", PASSWORD, "2001:db8:1:3::1").status_code == 302
