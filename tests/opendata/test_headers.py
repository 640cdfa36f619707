"""Open data for anyone, from anywhere: no login (LoginRequiredMiddleware is on), no cookie,
CORS `*`, public caching for anonymous answers only."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NAMES = [
    "opendata:root",
    "opendata:dictionary",
    "opendata:report-list",
    "opendata:recommendation-list",
    "opendata:recommendations_csv",
    "opendata:recommendations_json",
    "opendata:reports_csv",
    "opendata:reports_json",
]


def test_login_is_required_elsewhere_but_not_here(anonymous_client, world):
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in django_settings.MIDDLEWARE
    assert anonymous_client.get(reverse("visits:visit_list")).status_code == 302
    for name in NAMES:
        response = anonymous_client.get(reverse(name))
        assert response.status_code == 200, name


@pytest.mark.parametrize("name", NAMES)
def test_anonymous_answers_set_no_cookie_and_allow_any_origin(anonymous_client, world, name):
    response = anonymous_client.get(reverse(name), HTTP_ORIGIN="https://data.example.org")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert not response.cookies
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Retry-After" in response["Access-Control-Expose-Headers"]
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response["Cache-Control"].startswith("public, max-age=")
    assert "Accept-Language" in response["Vary"]


def test_a_detail_record_is_open_too(anonymous_client, world):
    path = reverse("opendata:recommendation-detail", args=[world["public"].pk])
    response = anonymous_client.get(path)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in response.headers


def test_a_signed_in_user_gets_exactly_the_anonymous_answer(world, client, anonymous_client):
    # Open data ignores who asks: no session or token is read, so nothing more is shown.
    user = UserFactory(username="od-head", roles=[Role.HEAD])
    client.force_login(user)
    path = reverse("opendata:recommendation-list")
    signed_in = client.get(path)
    assert signed_in.status_code == 200
    assert signed_in.json() == anonymous_client.get(path).json()
    # Never in a shared cache: the session cookie may be refreshed on the way out.
    assert signed_in["Cache-Control"] == "private, no-store"
    private = reverse("opendata:recommendation-detail", args=[world["private"].pk])
    assert client.get(private).status_code == 404


def test_a_password_only_login_is_not_sent_to_the_code_step(world, client, settings):
    settings.NPM_REQUIRE_2FA = True
    client.force_login(UserFactory(username="od-staff2", roles=[Role.STAFF]))
    assert client.get(reverse("visits:visit_list")).status_code == 302
    assert client.get(reverse("opendata:report-list")).status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_open_data_is_read_only(anonymous_client, world, method):
    response = getattr(anonymous_client, method)(reverse("opendata:recommendation-list"))
    assert response.status_code == 405
    assert response.json()["error"]["status"] == 405


def test_the_portal_links_the_open_data(anonymous_client, world):
    page = anonymous_client.get(reverse("portal:index")).content.decode()
    assert reverse("opendata:dictionary") in page
    assert reverse("opendata:recommendations_csv") in page
    assert reverse("opendata:reports_csv") in page
