"""The API root, the OpenAPI schema (valid, public, Bearer auth declared, errors documented) and
the docs page (Swagger UI from our own files, two-factor login first). In Chromium, under the
CSP: tests/e2e/test_api_docs_page.py."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from npm_portal.api.urls import router
from tests.security.conftest import authenticator  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _schema(client) -> dict:
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    return response.json()


# --- Schema -------------------------------------------------------------------------------------


def test_schema_validates_without_warnings(tmp_path):
    # Raises CommandError on any warning or an invalid schema (every endpoint, the others' too).
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert out.read_text().startswith("openapi: 3")


def test_schema_is_public(client):
    schema = _schema(client)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "NPM Portal API"


def test_schema_declares_bearer_tokens_and_sessions(client):
    schemes = _schema(client)["components"]["securitySchemes"]
    assert schemes["bearerAuth"]["type"] == "http"
    assert schemes["bearerAuth"]["scheme"] == "bearer"
    assert schemes["cookieAuth"]["in"] == "cookie"


def test_signed_in_operations_require_a_token_and_document_the_errors(client):
    schema = _schema(client)
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]
    assert ("/api/v1/", "get") in {(path, method) for path, method, _op in operations}
    for path, method, operation in operations:
        responses = operation["responses"]
        for code in ("400", "404", "429"):
            ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
            assert ref == "#/components/schemas/Error", (path, method, code)
        if path.startswith("/api/v1/open/"):
            assert "security" not in operation, (path, method)  # public data, no token
            continue
        assert {"bearerAuth": []} in operation["security"], (path, method)
        assert "401" in responses
        assert "403" in responses
        if method in ("post", "put", "patch"):
            assert "415" in responses
    error = schema["components"]["schemas"]["Error"]
    assert error["properties"]["error"]["required"] == ["status", "code", "message"]


# --- Root ---------------------------------------------------------------------------------------


def test_root_lists_the_collections_and_the_docs(head, token_for, api_client):
    body = api_client(token_for(head)).get(reverse("api:root")).json()
    assert body["schema"] == "http://testserver" + reverse("api:schema")
    assert body["docs"] == "http://testserver" + reverse("api:docs")
    listed = set(body["resources"])
    registered = {prefix for prefix, _viewset, _basename in router.registry}
    with_list = {
        prefix
        for prefix, _viewset, basename in router.registry
        if any(url.name == f"{basename}-list" for url in router.urls)
    }
    assert listed == with_list
    assert listed <= registered
    for prefix, url in body["resources"].items():
        assert url.startswith("http://testserver/api/v1/"), prefix


def test_root_needs_a_login(db, api_client):
    assert api_client(None).get(reverse("api:root")).status_code == 401


# --- Docs page ----------------------------------------------------------------------------------


def test_docs_page_loads_swagger_ui_from_our_own_files(head_client):
    response = head_client.get(reverse("api:docs"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="swagger-ui"' in page
    assert f'data-schema-url="{reverse("api:schema")}"' in page
    assert "vendor/swagger-ui/swagger-ui-bundle.js" in page
    assert "vendor/swagger-ui/swagger-ui.css" in page
    assert "api/docs.js" in page
    # No inline script, no external source.
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, flags=re.S)
    assert scripts
    assert all("src=" in attributes and not body.strip() for attributes, body in scripts)
    assert "https://" not in " ".join(attributes for attributes, _body in scripts)


def test_docs_page_needs_a_login(anonymous_client):
    response = anonymous_client.get(reverse("api:docs"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_docs_page_and_api_need_the_second_factor(settings, staff, authenticator):  # noqa: F811
    settings.NPM_REQUIRE_2FA = True
    authenticator(staff)
    client = Client()
    client.force_login(staff)
    response = client.get(reverse("api:docs"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("otp_verify"))
    assert client.get(reverse("api:root")).status_code == 401
    client.post(reverse("otp_verify"), {"token": "backup01"})
    assert client.get(reverse("api:docs")).status_code == 200
    assert client.get(reverse("api:root")).status_code == 200
