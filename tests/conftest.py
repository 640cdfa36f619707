"""Fixtures shared by the whole suite: one logged-in client per role."""

import pgtrigger
import pytest
from django.core.cache import cache
from django.core.management.commands import flush
from django.test import Client, override_settings
from django.utils import translation

from core.roles import Role
from tests.factories import UserFactory


@pytest.fixture(scope="session", autouse=True)
def _plain_http():
    # Tests speak plain HTTP to the test client and to live_server (whose middleware is built
    # once per session, before any function-scoped `settings` change): no redirect to HTTPS.
    with override_settings(SECURE_SSL_REDIRECT=False):
        yield


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_access_log_trigger():
    # Browser tests empty the database between tests with TRUNCATE, which the access log's
    # trigger refuses (PostgreSQL); the test harness, and only it, may empty the table.
    original = flush.Command.handle

    def handle(self, *args, **options):
        with pgtrigger.ignore("visits.AccessLog:no_truncate"):
            return original(self, *args, **options)

    flush.Command.handle = handle
    yield
    flush.Command.handle = original


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits and cached figures live in the cache: no test sees another's.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    # A request in Serbian leaves the language active in this thread: the next test starts in
    # the default language whatever ran before it (pytest-xdist changes the order).
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Two-factor login and re-authentication are tested in tests/security, which turn them on.
    settings.NPM_REQUIRE_2FA = False
    settings.NPM_REQUIRE_REAUTH = False
    # Open-data rate limits are tested in tests/opendata; walks over every URL must not hit them.
    settings.NPM_OPEN_DATA_RATE = ""
    settings.NPM_OPEN_DATA_BULK_RATE = ""
    # A fast hasher: the production one is slow on purpose, and every fixture user has a password.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # PDF render jobs run at the commit, in the test's own thread (visits.pdf.tasks): tests run
    # the commit callbacks themselves; tests/visits/reports/test_render_runner.py the others.
    settings.NPM_RENDER_RUNNER = "inline"
    # Hashed static names need collectstatic; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def head(db):
    return UserFactory(username="head", roles=[Role.HEAD], gender="female")


@pytest.fixture
def staff(db):
    return UserFactory(username="staff", roles=[Role.STAFF])


@pytest.fixture
def compliance(db):
    return UserFactory(username="compliance", roles=[Role.COMPLIANCE])


@pytest.fixture
def partner_member(db):
    return UserFactory(username="partner", roles=[Role.PARTNER])


@pytest.fixture
def other_partner_member(db):
    return UserFactory(username="partner2", roles=[Role.PARTNER])


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def head_client(head):
    return _client_for(head)


@pytest.fixture
def staff_client(staff):
    return _client_for(staff)


@pytest.fixture
def compliance_client(compliance):
    return _client_for(compliance)


@pytest.fixture
def partner_client(partner_member):
    return _client_for(partner_member)


@pytest.fixture
def other_partner_client(other_partner_member):
    return _client_for(other_partner_member)


@pytest.fixture
def anonymous_client():
    return Client()
