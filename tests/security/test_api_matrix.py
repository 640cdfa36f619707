"""Every route of the API (`api:`) and of the open data (`opendata:`) × every kind of user, on
the objects of the test world, called as an API client calls: a Bearer token per role (read
scope), anonymous with none. The expected status is written down in the `API_MATRIX` of the
modules of tests/security/matrix_parts/; a route without an expectation fails the test, and so
does an expectation for a route that does not exist.

Codes as in test_access_matrix: a number is the status; L = 302 to the login page, R = 302
elsewhere. Columns: anonymous, head, staff, compliance, partner on the visit, partner not on it.
"""

from __future__ import annotations

import json
import os
from urllib.parse import urlparse

import pytest
from django.urls import NoReverseMatch, reverse
from rest_framework.test import APIClient

from npm_portal.api.services import token_create
from tests.security import matrix_parts
from tests.security.matrix_parts.api_resources import API_POST_MATRIX
from tests.security.urlwalk import url_names
from tests.security.world import ROLES, build_world

NAMESPACES = ("api:", "opendata:")


def api_routes() -> dict:
    return {name: pattern for name, pattern in url_names() if name.startswith(NAMESPACES)}


def api_path(name: str, world) -> str:
    builder = matrix_parts.API_ARGUMENTS.get(name)
    return reverse(name, kwargs=builder(world) if builder else {})


def token_clients(world, scopes=("read",)) -> dict[str, APIClient]:
    """An API client per role: a token of the world's user, none for anonymous."""
    clients = {"anonymous": APIClient()}
    for role, user in world.objects["users"].items():
        _token, plaintext = token_create(
            user=user, name=f"matrix {role}", scopes=list(scopes), by=None
        )
        clients[role] = APIClient()
        clients[role].credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    return clients


def code(response) -> str:
    if response.status_code != 302:
        return str(response.status_code)
    return "L" if urlparse(response.url).path == reverse("login") else "R"


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


def test_every_api_route_has_expectations():
    names = set(api_routes())
    assert any(name.startswith("api:") for name in names)
    missing = sorted(names - set(matrix_parts.API_MATRIX))
    stale = sorted(set(matrix_parts.API_MATRIX) - names)
    assert not missing, f"API routes with no expected status for each role: {missing}"
    assert not stale, f"API_MATRIX entries for routes that do not exist: {stale}"


def test_every_api_route_answers_every_role_as_expected(world):
    clients = token_clients(world)
    observed, wrong = {}, []
    for name in sorted(api_routes()):
        try:
            path = api_path(name, world)
        except NoReverseMatch:
            wrong.append(f"{name}: no API_ARGUMENTS to point it at the world's objects")
            continue
        codes = " ".join(code(clients[role].get(path)) for role in ROLES)
        observed[name] = codes
        expected = matrix_parts.API_MATRIX.get(name)
        if expected is not None and codes != expected:
            wrong.append(f"{name} {path}: expected {expected!r}, got {codes!r}")
    if os.environ.get("NPM_PRINT_MATRIX"):
        for name, codes in observed.items():
            print(f'    "{name}": "{codes}",')
    assert not wrong, "\n".join(wrong)


def test_api_errors_are_json_for_every_role(world):
    """A 401, 403 or 404 of the API is the API's JSON error, never an HTML page."""
    clients = token_clients(world)
    for name in sorted(api_routes()):
        if not name.startswith("api:") or name in ("api:docs", "api:schema"):
            continue
        path = api_path(name, world)
        for role in ROLES:
            response = clients[role].get(path)
            if response.status_code in (401, 403, 404):
                body = json.loads(response.content)
                assert body["error"]["status"] == response.status_code, (name, role)


@pytest.mark.parametrize("name", sorted(API_POST_MATRIX))
def test_writes_with_a_write_token(world, name):
    """An empty body: the roles that may write are told what is missing; the others get the
    pages' answer; nothing is written."""
    clients = token_clients(world, scopes=("read", "write"))
    path = api_path(name, world)
    codes = " ".join(code(clients[role].post(path, {}, format="json")) for role in ROLES)
    assert codes == API_POST_MATRIX[name]


@pytest.mark.parametrize("name", sorted(API_POST_MATRIX))
def test_a_read_token_cannot_write(world, name):
    clients = token_clients(world, scopes=("read",))
    path = api_path(name, world)
    codes = " ".join(code(clients[role].post(path, {}, format="json")) for role in ROLES)
    assert codes == "401 403 403 403 403 403"
