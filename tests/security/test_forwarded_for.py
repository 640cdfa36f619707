"""The client address: X-Forwarded-For is believed only from the proxies in NPM_TRUSTED_PROXIES,
and then the client is the right-most address in it that is not a trusted proxy. A header sent by
anyone else, directly, is ignored: it can neither dodge nor reset a lockout."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from npm_portal.security.network import client_ip
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
CLIENT = "203.0.113.7"


def _ip(settings, proxies, remote, forwarded=None) -> str | None:
    settings.NPM_TRUSTED_PROXIES = proxies
    extra = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


class TestUntrustedSender:
    @pytest.mark.parametrize("proxies", [[], ["10.0.0.1"], ["10.0.0.0/8", "2001:db8::/32"]])
    def test_a_forged_header_from_a_direct_client_is_ignored(self, settings, proxies):
        # Under NPM_TRUSTED_PROXY_COUNT=1 this header was believed from anyone.
        assert _ip(settings, proxies, CLIENT, "198.51.100.1") == CLIENT

    def test_a_deployment_behind_one_proxy_ignores_a_direct_clients_header(self, settings):
        # What NPM_TRUSTED_PROXY_COUNT=1 used to mean; the count no longer counts for anything.
        settings.NPM_TRUSTED_PROXY_COUNT = 1
        assert _ip(settings, ["10.0.0.1"], CLIENT, "198.51.100.1") == CLIENT
        assert _ip(settings, ["10.0.0.1"], "10.0.0.1", "198.51.100.1") == "198.51.100.1"

    def test_a_client_that_forges_a_proxy_address_is_still_itself(self, settings):
        assert _ip(settings, ["10.0.0.1"], CLIENT, "10.0.0.1, 198.51.100.1") == CLIENT

    def test_no_header_no_proxy(self, settings):
        assert _ip(settings, [], CLIENT) == CLIENT


class TestTrustedProxies:
    @pytest.mark.parametrize(
        ("proxies", "forwarded", "remote", "expected"),
        [
            # One proxy: the entry it appended.
            (["10.0.0.1"], "198.51.100.1", "10.0.0.1", "198.51.100.1"),
            # What the client wrote itself is left of it, and ignored.
            (["10.0.0.1"], "6.6.6.6, 198.51.100.1", "10.0.0.1", "198.51.100.1"),
            # A chain: a load balancer in front of the proxy, both trusted (a network).
            (["10.0.0.0/8"], "6.6.6.6, 198.51.100.1, 10.0.0.2", "10.0.0.1", "198.51.100.1"),
            (["10.0.0.1", "10.0.0.2"], "198.51.100.1, 10.0.0.2", "10.0.0.1", "198.51.100.1"),
            # The first untrusted hop from the right is the client, even if it claims a proxy
            # further left.
            (["10.0.0.0/8"], "10.0.0.9, 198.51.100.1", "10.0.0.1", "198.51.100.1"),
            # Only proxies in the header: the left-most of them.
            (["10.0.0.0/8"], "10.0.0.3, 10.0.0.2", "10.0.0.1", "10.0.0.3"),
            # No header, or nothing usable: the proxy itself.
            (["10.0.0.1"], "", "10.0.0.1", "10.0.0.1"),
            (["10.0.0.1"], "garbage", "10.0.0.1", "10.0.0.1"),
            # A port, IPv6 in brackets, an IPv4-mapped peer.
            (["10.0.0.1"], "198.51.100.1:51234", "10.0.0.1", "198.51.100.1"),
            (["2001:db8::/32"], "[2001:db9::5]:443", "2001:db8::1", "2001:db9::5"),
            (["10.0.0.1"], "198.51.100.1", "::ffff:10.0.0.1", "198.51.100.1"),
        ],
    )
    def test_the_right_most_untrusted_address_is_the_client(
        self, settings, proxies, forwarded, remote, expected
    ):
        assert _ip(settings, proxies, remote, forwarded) == expected

    def test_several_headers_joined_by_the_server(self, settings):
        # WSGI servers join repeated headers with ", ".
        assert _ip(settings, ["10.0.0.1"], "10.0.0.1", "6.6.6.6,198.51.100.1") == "198.51.100.1"


class TestLockoutKeyedOnTheRealAddress:
    def test_rotating_a_forged_header_directly_does_not_dodge_the_lockout(self, settings, staff):
        settings.NPM_TRUSTED_PROXIES = ["10.0.0.1"]
        for n in range(5):
            Client(REMOTE_ADDR=CLIENT).post(
                reverse("login"),
                {"username": "staff", "password": "wrong password entirely"},
                headers={"X-Forwarded-For": f"192.0.2.{n + 1}"},
            )
        response = Client(REMOTE_ADDR=CLIENT).post(
            reverse("login"),
            {"username": "staff", "password": PASSWORD},
            headers={"X-Forwarded-For": "192.0.2.200"},
        )
        assert response.status_code == 429


def _load_settings(**env_overrides) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NPM_TRUSTED_PROXY")}
    env.update(env_overrides, DJANGO_SETTINGS_MODULE="npm_portal.settings", DEBUG="1")
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            " print(settings.NPM_TRUSTED_PROXIES)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


class TestSettings:
    def test_proxies_are_read_from_the_environment(self):
        result = _load_settings(NPM_TRUSTED_PROXIES="10.0.0.5, 10.1.0.0/16")
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "['10.0.0.5', '10.1.0.0/16']"

    def test_a_wrong_entry_stops_the_app(self):
        result = _load_settings(NPM_TRUSTED_PROXIES="10.0.0.5,proxy.example.org")
        assert result.returncode != 0
        assert "NPM_TRUSTED_PROXIES: 'proxy.example.org'" in result.stderr

    def test_the_old_count_setting_is_refused_not_ignored(self):
        result = _load_settings(NPM_TRUSTED_PROXY_COUNT="1")
        assert result.returncode != 0
        assert "NPM_TRUSTED_PROXY_COUNT is no longer supported" in result.stderr
