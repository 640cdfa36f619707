"""Property-based tests of the whole API from its own OpenAPI schema (schemathesis, in-process over
WSGI): every operation, with the NPM head's read+write token and with a partner member's read
token, on the objects of the test world. Checks: no server error; status code, content type and
body as documented; and authentication respected (the same call without the token, or with a
bad one, is refused). New endpoints are covered as soon as they are in the schema.

Bounded and deterministic: few examples per operation, a fixed derandomised seed, no shrinking
and no deadline."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_schema_conformance,
    status_code_conformance,
)

from npm_portal.api.services import token_create
from tests.security.world import build_world

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    ignored_auth,
]
BOUNDED = settings(
    max_examples=6,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ALLOWED_HOSTS = ["*"]
    return build_world()


@pytest.fixture
def wsgi_app():
    """The project's WSGI application, minus what a real server needs and a test must not do:
    closing the database connection after each request (it holds the test's transaction).
    Django's test client disconnects the same handler."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", app)


def _bearer(user, scopes) -> dict:
    _token, plaintext = token_create(user=user, name="schemathesis", scopes=scopes, by=None)
    return {"Authorization": f"Bearer {plaintext}"}


@pytest.fixture
def head_headers(world):
    return _bearer(world.objects["users"]["head"], ["read", "write"])


@pytest.fixture
def partner_headers(world):
    return _bearer(world.objects["users"]["partner_on"], ["read"])


def _run_every_operation(app, headers: dict) -> None:
    """Every operation of the schema, positive and negative data; all failures reported at once."""
    schema = _schema(app)
    failures, ran = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @BOUNDED
            @given(case=operation.as_strategy(generation_mode=mode))
            def check(case):
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                check()
            except Unsatisfiable:
                # Nothing to get wrong: an operation without parameters or body has no invalid
                # input (its positive run covers it).
                assert mode == GenerationMode.NEGATIVE, operation.label
            except Exception as error:  # noqa: BLE001  (collect them all, then fail once)
                summary = "\n    ".join(str(error).splitlines()[:14])
                failures.append(f"{operation.label} ({mode}):\n    {summary}")
            ran += 1
    assert ran >= 2, "the schema has no operations"
    assert not failures, "\n\n".join(failures)


def test_api_as_the_npm_head(wsgi_app, head_headers):
    _run_every_operation(wsgi_app, head_headers)


def test_api_as_a_partner_member(wsgi_app, partner_headers):
    _run_every_operation(wsgi_app, partner_headers)
