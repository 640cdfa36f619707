"""Personal access tokens: stored as a hash only, expiry, revocation, scopes, the accounts that
may use them, `last_used_at` written at most once a minute, two-factor sessions, and the token
page (shown once, revoke asks first, re-authentication before creating one)."""

import datetime as dt
import hashlib
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.roles import Role
from npm_portal.api.models import ApiToken
from npm_portal.api.services import token_create, token_revoke
from tests.factories import PASSWORD, UserFactory
from tests.factories.visits import MemberFactory
from tests.security.conftest import authenticator, code_for  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

ROOT = "/api/v1/"


def _error(response) -> dict:
    return response.json()["error"]


# --- Storage ------------------------------------------------------------------------------------


def test_plaintext_is_nowhere_in_the_database(head):
    token, plaintext = token_create(user=head, name="script", scopes=["read"], by=head)
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    assert plaintext not in out.getvalue()
    secret = plaintext.split("_", 2)[2]
    assert secret not in out.getvalue()
    token.refresh_from_db()
    assert token.key_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert plaintext.startswith(f"npm_{token.prefix}_")
    assert len(secret) >= 43  # 32 random bytes, URL-safe base64


def test_two_tokens_differ_and_each_works_alone(head, api_client):
    _a, first = token_create(user=head, name="a", scopes=["read"], by=None)
    _b, second = token_create(user=head, name="b", scopes=["read"], by=None)
    assert first != second
    assert api_client(first).get(ROOT).status_code == 200
    assert api_client(second).get(ROOT).status_code == 200


# --- Authentication -----------------------------------------------------------------------------


def test_valid_token_authenticates_as_its_user(head, token_for, api_client):
    response = api_client(token_for(head)).get(ROOT)
    assert response.status_code == 200
    assert response.wsgi_request.user == head


@pytest.mark.parametrize(
    "header",
    [
        "Bearer npm_00000000_nottherightsecretnottherightsecretnottherigh",
        "Bearer not-a-token",
        "Bearer",
        "Bearer one two",
    ],
)
def test_bad_tokens_get_401_with_a_json_message_and_the_bearer_challenge(head, header):
    client = APIClient()
    response = client.get(ROOT, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response["Content-Type"] == "application/json"
    assert _error(response)["code"] == "authentication_failed"
    assert _error(response)["message"]


def test_a_tampered_secret_is_refused(head, token_for, api_client):
    plaintext = token_for(head)
    tampered = plaintext[:-1] + ("A" if plaintext[-1] != "A" else "B")
    response = api_client(tampered).get(ROOT)
    assert response.status_code == 401
    assert _error(response)["message"] == "Invalid token."


def test_no_token_gets_401_with_the_challenge(db, api_client):
    response = api_client(None).get(ROOT)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert _error(response)["code"] == "not_authenticated"


def test_expired_token_is_refused(head, api_client):
    start = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        _token, plaintext = token_create(
            user=head,
            name="week",
            scopes=["read"],
            expires_at=start + dt.timedelta(days=7),
            by=head,
        )
    with time_machine.travel(start + dt.timedelta(days=6, hours=23), tick=False):
        assert api_client(plaintext).get(ROOT).status_code == 200
    with time_machine.travel(start + dt.timedelta(days=7, seconds=1), tick=False):
        response = api_client(plaintext).get(ROOT)
    assert response.status_code == 401
    assert _error(response)["message"] == "This token has expired."


def test_revoked_token_is_refused_at_once(head, api_client):
    token, plaintext = token_create(user=head, name="t", scopes=["read"], by=head)
    assert api_client(plaintext).get(ROOT).status_code == 200
    token_revoke(token=token, by=head)
    response = api_client(plaintext).get(ROOT)
    assert response.status_code == 401
    assert _error(response)["message"] == "This token has been revoked."
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_inactive_user_is_refused_with_every_token(staff, token_for, api_client):
    tokens = [token_for(staff), token_for(staff, scopes=["read", "write"])]
    staff.is_active = False
    staff.save(update_fields=["is_active"])
    for plaintext in tokens:
        response = api_client(plaintext).get(ROOT)
        assert response.status_code == 401
        assert _error(response)["message"] == "This account can no longer sign in."


def test_partner_whose_login_was_removed_is_refused(db, token_for, api_client):
    user = UserFactory(username="p-linked", roles=[Role.PARTNER])
    member = MemberFactory(user=user)
    plaintext = token_for(user)
    assert api_client(plaintext).get(ROOT).status_code == 200
    member.user = None
    member.save(update_fields=["user"])
    response = api_client(plaintext).get(ROOT)
    assert response.status_code == 401
    assert _error(response)["message"] == "This account can no longer sign in."


# --- Scopes -------------------------------------------------------------------------------------


def test_read_token_cannot_write(head, token_for, api_client):
    response = api_client(token_for(head, scopes=["read"])).post(ROOT, {}, format="json")
    assert response.status_code == 403
    assert _error(response)["code"] == "permission_denied"


def test_write_token_passes_the_scope_check(head, token_for, api_client):
    # The root has no POST: past the scope check, the method is what is refused.
    response = api_client(token_for(head, scopes=["read", "write"])).post(ROOT, {}, format="json")
    assert response.status_code == 405


def test_write_includes_read(head):
    token, _plaintext = token_create(user=head, name="w", scopes=["write"], by=head)
    assert token.scopes == ["read", "write"]
    assert token.scope == ApiToken.Scope.READ_WRITE


# --- Last used ----------------------------------------------------------------------------------


def test_last_used_is_written_at_most_once_a_minute(head, api_client):
    start = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        token, plaintext = token_create(user=head, name="t", scopes=["read"], by=head)
        assert token.last_used_at is None
        api_client(plaintext).get(ROOT)
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + dt.timedelta(seconds=59), tick=False):
        api_client(plaintext).get(ROOT)
    token.refresh_from_db()
    assert token.last_used_at == start
    later = start + dt.timedelta(seconds=61)
    with time_machine.travel(later, tick=False):
        api_client(plaintext).get(ROOT)
    token.refresh_from_db()
    assert token.last_used_at == later


def test_requests_within_the_minute_write_nothing_to_the_token(head, api_client):
    _token, plaintext = token_create(user=head, name="t", scopes=["read"], by=head)
    client = api_client(plaintext)
    client.get(ROOT)  # stamps last_used_at
    with CaptureQueriesContext(connection) as context:
        client.get(ROOT)
    updates = [q["sql"] for q in context.captured_queries if "api_apitoken" in q["sql"].lower()]
    assert updates
    assert not any(sql.upper().startswith("UPDATE") for sql in updates)


# --- The service's rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"scopes": []}, "scopes"),
        ({"scopes": ["admin"]}, "scopes"),
        ({"expires_at": dt.timedelta(days=366)}, "expires_at"),
        ({"expires_at": dt.timedelta(seconds=-1)}, "expires_at"),
    ],
)
def test_token_create_refuses_bad_input(head, kwargs, field):
    values = {"name": "ok", "scopes": ["read"], **kwargs}
    if isinstance(values.get("expires_at"), dt.timedelta):
        values["expires_at"] = timezone.now() + values["expires_at"]
    with pytest.raises(ValidationError) as error:
        token_create(user=head, by=head, **values)
    assert field in error.value.message_dict
    assert not ApiToken.objects.exists()


def test_a_year_is_the_longest_lifetime(head):
    token, _plaintext = token_create(
        user=head,
        name="year",
        scopes=["read"],
        expires_at=timezone.now() + dt.timedelta(days=364),
        by=head,
    )
    assert token.pk


def test_default_lifetime_is_90_days(head):
    token, _plaintext = token_create(user=head, name="t", scopes=["read"], by=head)
    assert token.expires_at - token.created_at == dt.timedelta(days=90)


def test_nobody_creates_or_revokes_tokens_for_someone_else(head, staff):
    with pytest.raises(PermissionDenied):
        token_create(user=staff, name="t", scopes=["read"], by=head)
    token, _plaintext = token_create(user=staff, name="t", scopes=["read"], by=staff)
    with pytest.raises(PermissionDenied):
        token_revoke(token=token, by=head)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_inactive_account_gets_no_token(staff):
    staff.is_active = False
    staff.save(update_fields=["is_active"])
    with pytest.raises(ValidationError):
        token_create(user=staff, name="t", scopes=["read"], by=None)


# --- Sessions -----------------------------------------------------------------------------------


@pytest.fixture
def two_factor_on(settings):
    settings.NPM_REQUIRE_2FA = True
    settings.NPM_REQUIRE_REAUTH = True


def _verified_client(user, authenticator, *, enforce_csrf_checks=False) -> Client:  # noqa: F811
    authenticator(user)
    client = APIClient()
    client.force_login(user)
    response = client.post(reverse("otp_verify"), {"token": "backup01"})
    assert response.status_code == 302
    client.handler.enforce_csrf_checks = enforce_csrf_checks
    return client


def test_session_without_the_second_factor_gets_401(two_factor_on, staff, authenticator):  # noqa: F811
    authenticator(staff)
    client = APIClient()
    client.force_login(staff)
    response = client.get(ROOT)
    assert response.status_code == 401
    assert _error(response)["code"] == "not_authenticated"


def test_session_after_the_second_factor_is_served(two_factor_on, staff, authenticator):  # noqa: F811
    client = _verified_client(staff, authenticator)
    response = client.get(ROOT)
    assert response.status_code == 200
    assert response.wsgi_request.user == staff


def test_session_writes_need_the_csrf_token(two_factor_on, head, authenticator, settings):  # noqa: F811
    client = _verified_client(head, authenticator, enforce_csrf_checks=True)
    response = client.post(ROOT, {}, format="json")
    assert response.status_code == 403
    assert "CSRF" in _error(response)["message"]
    # The same request with the CSRF token gets past the check (the root has no POST).
    client.get(reverse("api_tokens"))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(ROOT, {}, format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 405


def test_tokens_need_no_csrf(head, token_for):
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(head, scopes=['read', 'write'])}")
    assert client.post(ROOT, {}, format="json").status_code == 405


# --- The token page -----------------------------------------------------------------------------


def _create(client, **data):
    return client.post(
        reverse("api_token_create"),
        {"name": "My script", "scopes": "read", "lifetime": "30", **data},
    )


@pytest.mark.parametrize("role", ["head", "staff", "compliance"])
def test_every_npm_role_can_create_a_token(request, role):
    user = request.getfixturevalue(role)
    client = Client()
    client.force_login(user)
    with time_machine.travel(dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        response = _create(client)
    assert response.status_code == 200
    token = ApiToken.objects.get(user=user)
    assert token.name == "My script"
    assert token.scopes == ["read"]
    assert token.expires_at - token.created_at == dt.timedelta(days=30)


def test_partner_member_can_create_a_token_and_use_it(db, api_client):
    user = UserFactory(username="p-tokens", roles=[Role.PARTNER])
    MemberFactory(user=user)
    client = Client()
    client.force_login(user)
    response = _create(client, scopes="read+write")
    assert response.status_code == 200
    plaintext = response.context["plaintext"]
    assert api_client(plaintext).get(ROOT).status_code == 200
    assert ApiToken.objects.get(user=user).scopes == ["read", "write"]


def test_the_token_is_shown_once(head_client, head):
    response = _create(head_client)
    plaintext = response.context["plaintext"]
    page = response.content.decode()
    assert plaintext in page
    assert "shown only this once" in page
    token = ApiToken.objects.get(user=head)
    assert token.key_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    listing = head_client.get(reverse("api_tokens")).content.decode()
    assert plaintext not in listing
    assert token.prefix in listing
    revoke_page = head_client.get(reverse("api_token_revoke", args=[token.pk])).content.decode()
    assert plaintext not in revoke_page
    assert "no-store" in response["Cache-Control"]


def test_form_errors_are_shown_next_to_the_field(head_client, head):
    response = _create(head_client, name="", lifetime="9999", scopes="admin")
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name", "lifetime", "scopes"}
    assert not ApiToken.objects.filter(user=head).exists()


def test_list_shows_only_ones_own_tokens(head_client, head, staff):
    token_create(user=head, name="head-script", scopes=["read"], by=head)
    token_create(user=staff, name="staff-script", scopes=["read"], by=staff)
    page = head_client.get(reverse("api_tokens")).content.decode()
    assert "head-script" in page
    assert "staff-script" not in page


def test_list_shows_revoked_and_last_used(head_client, head, api_client):
    used, plaintext = token_create(user=head, name="used-one", scopes=["read"], by=head)
    api_client(plaintext).get(ROOT)
    gone, _plaintext = token_create(user=head, name="gone-one", scopes=["read"], by=head)
    token_revoke(token=gone, by=head)
    response = head_client.get(reverse("api_tokens"))
    page = response.content.decode()
    assert "Revoked" in page
    assert "never" in page  # the revoked one was never used
    assert reverse("api_token_revoke", args=[used.pk]) in page
    assert reverse("api_token_revoke", args=[gone.pk]) not in page


def test_revoke_asks_first(head_client, head):
    token, _plaintext = token_create(user=head, name="t", scopes=["read"], by=head)
    url = reverse("api_token_revoke", args=[token.pk])
    page = head_client.get(url)
    assert page.status_code == 200
    assert 'method="post"' in page.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    response = head_client.post(url)
    assert response.status_code == 302
    assert response.url == reverse("api_tokens")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_someone_elses_token_is_404(head_client, staff):
    token, _plaintext = token_create(user=staff, name="t", scopes=["read"], by=staff)
    url = reverse("api_token_revoke", args=[token.pk])
    assert head_client.get(url).status_code == 404
    assert head_client.post(url).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_creating_needs_password_and_code_when_two_factor_is_on(
    two_factor_on,
    head,
    authenticator,  # noqa: F811
):
    client = Client()
    client.force_login(head)
    device = authenticator(head)
    client.post(reverse("otp_verify"), {"token": "backup01"})
    response = client.get(reverse("api_token_create"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("reauthenticate"))
    refused = _create(client)
    assert refused.status_code == 302
    assert refused.url.startswith(reverse("reauthenticate"))
    assert not ApiToken.objects.exists()
    # The password alone is not enough.
    client.post(reverse("reauthenticate"), {"password": PASSWORD, "token": ""})
    assert _create(client).status_code == 302
    client.post(reverse("reauthenticate"), {"password": PASSWORD, "token": code_for(device)})
    response = _create(client)
    assert response.status_code == 200
    assert ApiToken.objects.filter(user=head).count() == 1


def test_anonymous_is_sent_to_login(anonymous_client):
    for url in [reverse("api_tokens"), reverse("api_token_create")]:
        response = anonymous_client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
