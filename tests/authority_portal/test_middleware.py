"""The authority area's middleware (npm_portal.authority_portal.middleware): what an authority
user reaches at all, who counts as one, and how they come in and are shut out."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import resolve, reverse

from core.roles import Role
from npm_portal.authority_portal import access, accounts, middleware
from npm_portal.authority_portal.models import AuthorityAccount
from tests.authority_portal.helpers import authority_user, dispatched_case
from tests.factories import PASSWORD, AuthorityFactory, UserFactory
from tests.security.urlwalk import admin_arguments, url_names

# Written down here on purpose: a change to the allowed set must change this test too.
NAMESPACES = {"authority", "portal", "opendata"}
ACCOUNT_PAGES = {
    "login",
    "logout",
    "two_factor",
    "otp_verify",
    "otp_setup",
    "backup_codes",
    "enrolment_link",
    "reauthenticate",
    "password_change",
    "password_change_done",
    "set_language",
    "healthz",
}


def _example_path(name: str, pattern) -> str | None:
    """A path that resolves to `pattern` (any value for its arguments)."""
    if "<unnamed" in name:
        return None
    regex = pattern.pattern.regex
    if name.startswith("admin:"):
        if regex.groups and not regex.groupindex:
            return reverse(name, args=["1"] * regex.groups)
        return reverse(name, kwargs=admin_arguments(pattern))
    kwargs = {
        key: "1" if type(converter).__name__ == "IntConverter" else "x"
        for key, converter in pattern.pattern.converters.items()
    }
    if not kwargs:
        kwargs = dict.fromkeys(regex.groupindex, "1")  # regex routes (the API's router)
    return reverse(name, kwargs=kwargs)


def test_the_allowed_set_is_exactly_what_the_module_says():
    assert middleware.ALLOWED_NAMESPACES == NAMESPACES
    assert middleware.ALLOWED_NAMES == ACCOUNT_PAGES
    allowed, walked = set(), 0
    for name, pattern in url_names():
        path = _example_path(name, pattern)
        if path is None:
            continue
        walked += 1
        if middleware.allowed_for_authority_users(resolve(path)):
            allowed.add(name)
    assert walked > 150
    expected = {
        name
        for name, _pattern in url_names()
        if name in ACCOUNT_PAGES or name.split(":", 1)[0] in NAMESPACES and ":" in name
    }
    assert allowed == expected
    # Not a prefix match: the NPM's side of the portal and the API are outside.
    assert not any(name.startswith(("answers:", "api:", "admin:")) for name in allowed)
    assert "dashboard" not in allowed  # the home page is a redirect (below), not a page


@pytest.fixture
def focal(db):
    _visit, institution, _ministry, _recommendations = dispatched_case()
    return authority_user(institution, username="focal-mw", email="focal@example.org")


def test_an_authority_user_reaches_their_pages_only(focal):
    client = Client()
    client.force_login(focal.user)
    assert client.get(reverse("password_change")).status_code == 200
    assert client.get(reverse("portal:index")).status_code == 200
    assert client.get(reverse("opendata:root")).status_code == 200
    for name in ("visits:visit_list", "recommendations:dashboard", "answers:inbox", "api_tokens"):
        assert client.get(reverse(name)).status_code == 404, name


def test_the_home_page_sends_authority_users_to_their_area(focal):
    client = Client()
    client.force_login(focal.user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url == reverse("authority:home")
    # And the login page sends them there too (it goes to the home page).
    client = Client()
    response = client.post(
        reverse("login"), {"username": focal.user.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("authority:home")


def test_anonymous_users_go_to_the_login_page_not_to_the_area(db):
    response = Client().get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_authority_and_npm_staff_in_one_login_is_npm_staff(db):
    """Decision: a login with an NPM role as well as the authority role (which the account
    service refuses to create, but an administrator could give a role later) is NPM staff: the
    default-deny of the authority area is for authority-only users, and such a login has no
    authority account in the portal (`account_for` is None), so the authority area is a 404 for
    it. Nobody is locked out of their NPM work by a stray role, and nobody answers for an
    authority with an NPM login."""
    _visit, institution, _ministry, _recommendations = dispatched_case()
    user = UserFactory(username="both", roles=[Role.AUTHORITY, Role.STAFF])
    AuthorityAccount.objects.create(
        user=user, authority=institution, function=AuthorityAccount.Function.FOCAL_POINT
    )
    client = Client()
    client.force_login(user)
    assert access.account_for(user) is None
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get(reverse("visits:visit_list")).status_code == 200
    assert client.get(reverse("answers:inbox")).status_code != 404
    assert client.get(reverse("authority:home")).status_code == 404


def test_a_deactivated_account_cannot_log_in(focal):
    head = UserFactory(username="head-mw", roles=[Role.HEAD])
    credentials = {"username": focal.user.username, "password": PASSWORD}
    # Before: the login works, and a session is open.
    open_session = Client()
    assert open_session.post(reverse("login"), credentials).status_code == 302
    assert open_session.get(reverse("authority:home")).status_code != 302

    accounts.account_deactivate(account=focal, by=head)

    client = Client()
    response = client.post(reverse("login"), credentials)
    assert response.status_code == 200  # the form again, with its message
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("authority:home")).url.startswith(reverse("login"))
    # The session opened before is over at its next request.
    response = open_session.get(reverse("authority:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    focal.refresh_from_db()
    assert focal.deactivated_by == head
    assert access.account_for(focal.user) is None


def test_the_user_menu_offers_no_api_pages_to_an_authority_user(client, db):
    """The API's pages are 404 for an authority user: their menu does not link to them."""
    account = authority_user(AuthorityFactory())
    client.force_login(account.user)
    html = client.get(reverse("authority:home")).content.decode()
    assert reverse("password_change") in html
    assert reverse("api_tokens") not in html
    assert reverse("api:docs") not in html
    staff = UserFactory(roles=[Role.STAFF])
    client.force_login(staff)
    assert reverse("api_tokens") in client.get(reverse("dashboard")).content.decode()
