"""Brute force: django-axes locks a username from one address after 5 failures for 15 minutes;
a forged X-Forwarded-For neither dodges nor resets it; no hint whether a username exists. (The
account- and address-wide locks: test_lockout_scope; the client address: test_forwarded_for.)"""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

PROXY = "10.0.0.1"
TOKEN = re.compile(r'(X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+')
CLIENT = "203.0.113.7"


def _attempt(username, password, *, forged="", real=CLIENT, proxied=True):
    """A login POST through one trusted proxy, which appends the address it saw."""
    headers = {}
    remote = real
    if proxied:
        remote = PROXY
        headers["X-Forwarded-For"] = f"{forged}, {real}" if forged else real
    return Client(REMOTE_ADDR=remote).post(
        reverse("login"), {"username": username, "password": password}, headers=headers
    )


def _without_tokens(html: str) -> str:
    return TOKEN.sub(r"\1", html)


@pytest.fixture(autouse=True)
def _one_proxy(settings):
    settings.NPM_TRUSTED_PROXIES = [PROXY]


def _fail(username, times, **kwargs):
    """Failed logins; the fifth one is already answered with the lockout page."""
    for n in range(times):
        expected = 429 if n >= 4 else 200
        assert _attempt(username, "wrong password entirely", **kwargs).status_code == expected


class TestLockout:
    def test_five_failures_lock_the_username_from_that_address(self, staff):
        _fail("staff", 5)
        response = _attempt("staff", PASSWORD)
        assert response.status_code == 429
        assert "Too many attempts" in response.content.decode()

    def test_four_failures_do_not(self, staff):
        _fail("staff", 4)
        assert _attempt("staff", PASSWORD).status_code == 302

    def test_lock_lifts_after_15_minutes(self, staff):
        start = dt.datetime.now(tz=dt.UTC)
        with time_machine.travel(start, tick=False) as clock:
            _fail("staff", 5)
            clock.shift(dt.timedelta(minutes=14))
            assert _attempt("staff", PASSWORD).status_code == 429
        with time_machine.travel(start + dt.timedelta(minutes=30), tick=False):
            assert _attempt("staff", PASSWORD).status_code == 302

    def test_other_address_is_not_locked(self, staff):
        _fail("staff", 5)
        assert _attempt("staff", PASSWORD, real="198.51.100.9").status_code == 302

    def test_rotating_forged_forwarded_for_does_not_evade(self, staff):
        for n in range(5):
            forged = f"192.0.2.{n + 1}"
            response = _attempt("staff", "wrong password entirely", forged=forged)
            assert response.status_code == (429 if n == 4 else 200)
        assert _attempt("staff", PASSWORD, forged="192.0.2.200").status_code == 429

    def test_forged_forwarded_for_does_not_reset(self, staff):
        _fail("staff", 5)
        for forged in ["127.0.0.1", "10.0.0.1", "198.51.100.9, 127.0.0.1", "not-an-ip"]:
            assert _attempt("staff", PASSWORD, forged=forged).status_code == 429

    def test_unknown_usernames_get_exactly_the_same_answers(self, staff):
        wrong = _attempt("staff", "wrong password entirely").content.decode()
        unknown = _attempt("nobody-here", "wrong password entirely").content.decode()
        assert _without_tokens(wrong).replace('value="staff"', "") == _without_tokens(
            unknown
        ).replace('value="nobody-here"', "")
        _fail("staff", 3)
        _fail("nobody-here", 3)
        locked_real = _attempt("staff", "wrong password entirely")
        locked_unknown = _attempt("nobody-here", "wrong password entirely")
        assert locked_real.status_code == locked_unknown.status_code == 429
        assert _without_tokens(locked_real.content.decode()) == _without_tokens(
            locked_unknown.content.decode()
        )

    def test_reauthentication_failures_count_too(self, staff, settings):
        settings.NPM_TRUSTED_PROXIES = []
        client = Client(REMOTE_ADDR=CLIENT)
        client.force_login(staff)
        for _ in range(5):
            client.post(reverse("reauthenticate"), {"password": "wrong password entirely"})
        response = client.post(reverse("reauthenticate"), {"password": PASSWORD})
        assert response.status_code == 429
        assert "npm_reauth_at" not in client.session


def test_unknown_username_costs_the_same_password_hashing(staff, monkeypatch):
    """No timing difference: Django hashes the given password for unknown users too."""
    from django.contrib.auth.hashers import MD5PasswordHasher

    calls = []
    original = MD5PasswordHasher.encode
    monkeypatch.setattr(
        MD5PasswordHasher, "encode", lambda self, *a: calls.append(1) or original(self, *a)
    )
    _attempt("staff", "wrong password entirely")
    known = len(calls)
    calls.clear()
    _attempt("nobody-here", "wrong password entirely")
    assert known == len(calls) == 1
