"""API fixtures other test modules use too: keep them small and stable.

def test_x(head, token_for, api_client):
    client = api_client(token_for(head, scopes=["read"]))
    client.get("/api/v1/...")
"""

import pytest
from rest_framework.test import APIClient

from npm_portal.api.services import token_create


@pytest.fixture
def token_for(db):
    """token_for(user, scopes=["read"]) -> the plaintext of a new token of `user`."""

    def make(user, scopes=("read",), **kwargs) -> str:
        _token, plaintext = token_create(
            user=user, name=kwargs.pop("name", "test"), scopes=list(scopes), by=None, **kwargs
        )
        return plaintext

    return make


@pytest.fixture
def api_client():
    """api_client(plaintext) -> a DRF test client sending `Authorization: Bearer <plaintext>`
    (api_client(None): no token)."""

    def make(plaintext: str | None = None) -> APIClient:
        client = APIClient()
        if plaintext:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
        return client

    return make
