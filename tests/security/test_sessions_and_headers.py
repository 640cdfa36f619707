"""Headers, cookies and the life of a session."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _login_through_form(client: Client, username: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.django_db
class TestHeaders:
    def test_strict_content_security_policy_with_nonce_support(self, staff_client):
        policy = staff_client.get("/")["Content-Security-Policy"]
        directives = dict(
            part.strip().split(" ", 1) for part in policy.split(";") if " " in part.strip()
        )
        assert "'unsafe-inline'" not in policy
        assert "'unsafe-eval'" not in policy
        assert directives["script-src"].startswith("'self'")
        assert directives["object-src"] == "'none'"
        assert directives["base-uri"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"

    def test_no_inline_script_or_style_in_pages(self, head_client):
        for url in ["/", reverse("two_factor"), reverse("access_log"), reverse("login")]:
            html = head_client.get(url).content.decode()
            assert "<script>" not in html
            assert "<style" not in html
            assert " style=" not in html

    def test_authenticated_responses_are_never_stored(self, staff_client):
        cache_control = staff_client.get("/")["Cache-Control"]
        assert "no-store" in cache_control
        assert "private" in cache_control

    def test_hsts_one_year_with_subdomains_over_https(self, anonymous_client):
        response = anonymous_client.get(reverse("login"), secure=True)
        assert response["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        )

    def test_other_security_headers(self, anonymous_client):
        response = anonymous_client.get(reverse("login"))
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"

    def test_plain_http_redirects_to_https_except_the_health_check(self, settings):
        # The suite turns the redirect off for plain-HTTP test clients; production has it on.
        settings.SECURE_SSL_REDIRECT = True
        client = Client()
        assert client.get("/accounts/login/").status_code == 301
        assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
class TestCookies:
    def test_session_and_csrf_cookies_are_host_prefixed_secure_httponly_samesite(self):
        UserFactory(username="ana")
        client = Client()
        client.get(reverse("login"))
        response = _login_through_form(client, "ana")
        assert response.status_code == 302
        session_cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
        assert django_settings.SESSION_COOKIE_NAME.startswith("__Host-")
        assert session_cookie["secure"]
        assert session_cookie["httponly"]
        assert session_cookie["samesite"] == "Lax"
        assert session_cookie["path"] == "/"
        assert not session_cookie["domain"]
        csrf_cookie = client.cookies[django_settings.CSRF_COOKIE_NAME]
        assert django_settings.CSRF_COOKIE_NAME.startswith("__Host-")
        assert csrf_cookie["secure"]
        assert csrf_cookie["httponly"]


@pytest.mark.django_db
class TestSessionLifetime:
    def test_idle_session_ends_after_the_idle_timeout(self, staff):
        with time_machine.travel(START, tick=False) as clock:
            client = Client()
            client.force_login(staff)
            assert client.get("/").status_code == 200
            clock.shift(dt.timedelta(minutes=29))
            assert client.get("/").status_code == 200
            clock.shift(dt.timedelta(minutes=31))
            response = client.get("/")
            assert response.status_code == 302
            assert response.url.startswith(reverse("login"))
            assert client.get("/").status_code == 302  # and it stays ended

    def test_active_session_ends_after_the_absolute_lifetime(self, staff, settings):
        settings.NPM_SESSION_MAX_HOURS = 2
        with time_machine.travel(START, tick=False) as clock:
            client = Client()
            client.force_login(staff)
            for _ in range(5):  # active every 20 minutes: never idle
                clock.shift(dt.timedelta(minutes=20))
                assert client.get("/").status_code == 200
            clock.shift(dt.timedelta(minutes=30))
            assert client.get("/").status_code == 302

    def test_timeouts_are_configurable(self, staff, settings):
        settings.NPM_SESSION_IDLE_MINUTES = 5
        with time_machine.travel(START, tick=False) as clock:
            client = Client()
            client.force_login(staff)
            clock.shift(dt.timedelta(minutes=6))
            assert client.get("/").status_code == 302

    def test_logout_deletes_the_session_on_the_server(self, staff):
        client = Client()
        client.force_login(staff)
        stolen = client.cookies[django_settings.SESSION_COOKIE_NAME].value
        client.post(reverse("logout"))
        assert not Session.objects.filter(session_key=stolen).exists()
        replay = Client()
        replay.cookies[django_settings.SESSION_COOKIE_NAME] = stolen
        assert replay.get("/").status_code == 302

    def test_password_change_logs_out_other_sessions(self, staff):
        here, elsewhere = Client(), Client()
        here.force_login(staff)
        elsewhere.force_login(staff)
        new = "a brand new long passphrase 2026"
        response = here.post(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        )
        assert response.status_code == 302
        assert here.get("/").status_code == 200
        assert elsewhere.get("/").status_code == 302

    def test_deactivating_a_user_ends_their_sessions(self, staff):
        client = Client()
        client.force_login(staff)
        key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
        assert client.get("/").status_code == 200
        staff.is_active = False
        staff.save()
        assert client.get("/").status_code == 302
        assert not Session.objects.filter(session_key=key).exists()

    def test_short_passwords_are_refused_on_change(self, staff_client):
        response = staff_client.post(
            reverse("password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "Sh0rt-pass!",
                "new_password2": "Sh0rt-pass!",
            },
        )
        assert response.status_code == 200
        assert "at least 15 characters" in response.content.decode()
