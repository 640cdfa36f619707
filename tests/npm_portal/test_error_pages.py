"""The app's own 404/403/500 pages, in the app's look and the reader's language; with DEBUG on
(the demo), nobody but a superuser gets Django's technical 404 listing every URL pattern
(npm_portal.errors)."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from core.roles import Role
from tests.factories import UserFactory
from tests.factories.visits import VisitFactory

# Django's technical 404 page, and the URL patterns it lists.
TECHNICAL = ["Using the URLconf defined in", "DEBUG = True", "visits/&lt;int:pk&gt;/"]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _assert_styled_404(response, *, heading="Not found"):
    body = response.content.decode()
    assert response.status_code == 404
    assert f'<h1 class="h3">{heading}</h1>' in body
    assert 'class="navbar' in body  # the app's look: base.html
    for text in TECHNICAL:
        assert text not in body


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


class TestNotFoundWithDebug:
    def test_partner_gets_the_styled_page_for_an_unknown_url(self, debug, partner_client):
        _assert_styled_404(partner_client.get("/no/such/page/"))

    def test_partner_gets_the_styled_page_for_a_visit_not_theirs(self, debug, partner_client):
        visit = VisitFactory()
        _assert_styled_404(partner_client.get(visit.get_absolute_url()))

    def test_staff_and_anonymous_get_the_styled_page(self, debug, staff_client, db):
        _assert_styled_404(staff_client.get("/no/such/page/"))
        # An unknown URL resolves to nothing: no login page first.
        _assert_styled_404(Client().get("/no/such/page/"))

    def test_authority_user_outside_their_area(self, debug, db):
        focal = UserFactory(username="focal", roles=[Role.AUTHORITY])
        # The authority-area middleware raises the 404 before any view runs.
        _assert_styled_404(_client(focal).get(reverse("visits:visit_list")))

    def test_in_serbian(self, debug, partner_client):
        response = partner_client.get("/no/such/page/", HTTP_ACCEPT_LANGUAGE="sr-latn")
        _assert_styled_404(response, heading="Nije pronađeno")
        assert '<html lang="sr-latn">' in response.content.decode()

    def test_api_keeps_its_json(self, debug, partner_client):
        response = partner_client.get("/api/v1/no-such-endpoint/")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["error"]["code"] == "not_found"

    def test_superuser_still_gets_the_technical_page(self, debug, db):
        admin = UserFactory(username="root", is_superuser=True, is_staff=True)
        body = _client(admin).get("/no/such/page/").content.decode()
        assert "Using the URLconf defined in" in body

    def test_logged_in_page_stays_uncached(self, debug, partner_client):
        response = partner_client.get("/no/such/page/")
        assert "no-store" in response["Cache-Control"]


def test_without_debug_the_styled_page_as_before(partner_client):
    _assert_styled_404(partner_client.get("/no/such/page/"))


def test_forbidden_page_in_the_app_look(compliance_client):
    response = compliance_client.get(reverse("visits:place_create"))
    body = response.content.decode()
    assert response.status_code == 403
    assert '<h1 class="h3">Not allowed</h1>' in body
    assert 'class="navbar' in body


@pytest.mark.parametrize("debug_on", [False, True])
def test_forbidden_page_in_serbian(settings, compliance_client, debug_on):
    settings.DEBUG = debug_on
    response = compliance_client.get(reverse("visits:place_create"), HTTP_ACCEPT_LANGUAGE="sr-latn")
    assert response.status_code == 403
    assert '<h1 class="h3">Nije dozvoljeno</h1>' in response.content.decode()


def test_server_error_page_needs_nothing_but_the_template(settings):
    # No database, no request context: what Django's server_error gives the template.
    request = RequestFactory().get("/")
    response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in body
    assert 'href="/static/css/app.css"' in body
    assert '<html lang="en">' in body


def test_server_error_page_in_the_active_language():
    with translation.override("sr-latn"):
        body = server_error(RequestFactory().get("/")).content.decode()
    assert '<html lang="sr-latn">' in body
    assert "Nazad na kontrolnu tablu" in body  # "Back to the dashboard"
