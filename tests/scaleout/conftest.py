"""Fixtures of the scale-out tests: a "replica" database alias on the test database (what
DATABASE_REPLICA_URL plus its TEST MIRROR make of it), Django's Redis cache on the real Redis at
127.0.0.1:6379 (CI starts it: .ci/run), and the S3 media storage on moto's in-process fake S3.

The replica alias is added to the running test session, not read from the environment: the
suite's databases are set up once for all tests. tests/scaleout/test_settings.py checks in a
separate process that DATABASE_REPLICA_URL gives the same alias."""

from __future__ import annotations

import copy
import uuid

import boto3
import pytest
import redis
from django.db import connections
from moto import mock_aws

from core.replica import REPLICA

REDIS_URL = "redis://127.0.0.1:6379/12"
BUCKET = "npm-media-test"
REGION = "eu-central-1"


def _add_replica(settings_dict: dict):
    connections.settings[REPLICA] = settings_dict
    return connections[REPLICA]


def _drop_replica() -> None:
    if REPLICA in connections.settings:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


@pytest.fixture
def replica(transactional_db):
    """The replica alias, pointing at the test database through its own connection (rows
    written through default are seen once committed: hence a transactional database). On
    PostgreSQL its sessions are read-only, as settings.py makes them."""
    settings_dict = copy.deepcopy(connections["default"].settings_dict)
    settings_dict.update(ATOMIC_REQUESTS=False, TEST={**settings_dict["TEST"], "MIRROR": "default"})
    if connections["default"].vendor == "postgresql":
        settings_dict["OPTIONS"] = {
            **settings_dict["OPTIONS"],
            "options": "-c default_transaction_read_only=on",
        }
    connection = _add_replica(settings_dict)
    # Connected here: the test case, set up before this alias existed, refuses to open a
    # connection to an alias it does not list (and cannot list one that did not exist yet).
    connection.connect()
    yield connection
    # Before the test database is flushed: the alias was never part of the test case.
    _drop_replica()


@pytest.fixture
def redis_client():
    """The test's Redis database; fails (never skips) when Redis is not running, as
    tests/webhooks/test_real_worker.py does: CI requires these tests."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.fail(
            f"Redis is needed on 127.0.0.1:6379 (.ci/run starts it; locally: redis-server): "
            f"{type(error).__name__}"
        )
    yield client
    client.close()


@pytest.fixture
def redis_cache(settings, redis_client):
    """Django's default cache is Redis, as with REDIS_URL, under a key prefix of this test
    only (other runs may share the Redis database); the test's keys are deleted after it."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    yield prefix
    keys = list(redis_client.scan_iter(match=f"{prefix}:*"))
    if keys:
        redis_client.delete(*keys)


@pytest.fixture
def s3(settings, monkeypatch):
    """The default storage is PrivateS3Storage on a fresh bucket of the fake S3."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    with mock_aws():
        client = boto3.client("s3", region_name=REGION)
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "npm_portal.security.storage.PrivateS3Storage",
                "OPTIONS": {"bucket_name": BUCKET, "region_name": REGION},
            },
        }
        yield client
