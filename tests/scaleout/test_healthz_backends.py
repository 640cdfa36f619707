"""/healthz checks every backend a deployment configures: the replica, a shared cache (real
Redis), the Celery broker (real Redis), S3 media (moto). One failing answers 503; the body
names the checks, never an address or a password."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from tests.scaleout.conftest import BUCKET

BROKER = "redis://127.0.0.1:6379/11"
# Nothing listens on port 1; the password must not reach the body or the log.
UNREACHABLE = "redis://:hunter2-secret@127.0.0.1:1/0"


def _healthz(client):
    response = client.get(reverse("healthz"))
    return response.status_code, response.json(), response.content.decode()


def test_the_replica_is_checked_when_configured(anonymous_client, replica):
    assert _healthz(anonymous_client)[:2] == (
        200,
        {"status": "ok", "database": "ok", "replica": "ok"},
    )


def test_the_redis_cache_and_the_broker_are_checked(
    anonymous_client, db, settings, redis_cache, redis_client
):
    settings.CELERY_BROKER_URL = BROKER
    status, body, _ = _healthz(anonymous_client)
    assert (status, body) == (
        200,
        {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"},
    )
    # The probe key is removed again.
    assert not list(redis_client.scan_iter(match=f"{redis_cache}:*"))


def test_an_unreachable_broker_is_503_without_its_address(anonymous_client, db, settings, caplog):
    settings.CELERY_BROKER_URL = UNREACHABLE
    with caplog.at_level(logging.WARNING, logger="npm_portal.views"):
        status, body, text = _healthz(anonymous_client)
    assert (status, body) == (503, {"status": "error", "database": "ok", "broker": "error"})
    assert "hunter2" not in text
    assert "127.0.0.1" not in text
    assert "Health check broker failed" in caplog.text
    assert "hunter2" not in caplog.text


def test_an_unreachable_cache_is_503(anonymous_client, db, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": UNREACHABLE,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    status, body, text = _healthz(anonymous_client)
    assert (status, body) == (503, {"status": "error", "database": "ok", "cache": "error"})
    assert "hunter2" not in text


def test_s3_media_is_checked(anonymous_client, db, s3):
    assert _healthz(anonymous_client)[:2] == (
        200,
        {"status": "ok", "database": "ok", "storage": "ok"},
    )


def test_a_missing_bucket_is_503(anonymous_client, db, s3):
    s3.delete_bucket(Bucket=BUCKET)
    assert _healthz(anonymous_client)[:2] == (
        503,
        {"status": "error", "database": "ok", "storage": "error"},
    )


@pytest.mark.parametrize("backend", ["locmem.LocMemCache", "dummy.DummyCache"])
def test_a_local_cache_is_not_a_backend_to_check(anonymous_client, db, settings, backend):
    settings.CACHES = {"default": {"BACKEND": f"django.core.cache.backends.{backend}"}}
    assert _healthz(anonymous_client)[:2] == (200, {"status": "ok", "database": "ok"})
