"""Authority users and the API: the API is not theirs. With a session, every API route is a
404 (the authority area's middleware) and so are the token pages (they cannot make a token);
a token made for them anyway (directly, by the system) is refused, 401, on every API route; the
open data answers them exactly as it answers anonymous callers."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from npm_portal.api.models import ApiToken
from npm_portal.api.services import token_create
from tests.security.test_api_matrix import api_path, api_routes
from tests.security.world import build_world


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


def _api_paths(world, namespace: str) -> dict[str, str]:
    return {
        name: api_path(name, world) for name in sorted(api_routes()) if name.startswith(namespace)
    }


@pytest.mark.parametrize("key", ["focal", "other"])
def test_every_api_route_is_a_404_with_a_session(world, key):
    client = world.objects["ap_clients"][key]
    paths = _api_paths(world, "api:")
    assert len(paths) > 10
    codes = {name: client.get(path).status_code for name, path in paths.items()}
    assert codes == dict.fromkeys(paths, 404)


def test_authority_users_cannot_make_a_token(world):
    client = world.objects["ap_clients"]["focal"]
    user = world.objects["ap_focal"].user
    token = world.objects["api_platform_token"]
    assert client.get(reverse("api_tokens")).status_code == 404
    assert client.get(reverse("api_token_create")).status_code == 404
    created = client.post(
        reverse("api_token_create"), {"name": "mine", "scopes": ["read"], "lifetime": "30"}
    )
    assert created.status_code == 404
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    assert not ApiToken.objects.filter(user=user).exists()


@pytest.mark.parametrize("scopes", [("read",), ("read", "write")])
def test_a_token_of_an_authority_user_is_refused_on_every_route(world, scopes):
    user = world.objects["ap_focal"].user
    _token, plaintext = token_create(user=user, name="made directly", scopes=list(scopes), by=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    # The docs page is a page, not an API route (a token is no login there: test_api_matrix);
    # the schema is public and holds no data: it answers as it answers anonymous callers.
    public = {"api:docs", "api:schema"}
    paths = {name: path for name, path in _api_paths(world, "api:").items() if name not in public}
    codes = {name: client.get(path).status_code for name, path in paths.items()}
    assert codes == dict.fromkeys(paths, 401)
    schema = reverse("api:schema")
    assert client.get(schema).content == APIClient().get(schema).content
    # Writes too.
    written = client.post(reverse("api:recommendation-list"), {}, format="json")
    assert written.status_code == 401
    assert written.json()["error"]["status"] == 401


def test_open_data_answers_them_as_anonymous(world):
    anonymous = APIClient()
    session = world.objects["ap_clients"]["focal"]
    _token, plaintext = token_create(
        user=world.objects["ap_focal"].user, name="open", scopes=["read"], by=None
    )
    paths = _api_paths(world, "opendata:")
    assert len(paths) >= 8
    for name, path in paths.items():
        expected = anonymous.get(path)
        assert expected.status_code == 200, name
        got = session.get(path)
        assert got.status_code == expected.status_code, name
        assert got["Content-Type"] == expected["Content-Type"], name
    # The lists hold the same rows (nothing of the authority area is published to them).
    for name in ("opendata:report-list", "opendata:recommendation-list"):
        path = reverse(name)
        assert session.get(path).json() == anonymous.get(path).json()
