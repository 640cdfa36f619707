"""What the scale-out variables make of the settings, each loaded in a fresh process:
REDIS_URL (cache and sessions), DATABASE_REPLICA_URL (the "replica" alias), NPM_S3_BUCKET (the
encrypting S3 storage)."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VARIABLES = (
    "REDIS_URL",
    "CACHE_URL",
    "DATABASE_REPLICA_URL",
    "NPM_S3_BUCKET",
    "NPM_S3_ENDPOINT_URL",
    "NPM_S3_REGION",
)
SCRIPT = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
from npm_portal.security.storage import EncryptingStorageMixin, MetadataStrippingMixin
storage = storages["default"]
print(json.dumps({
    "cache": settings.CACHES["default"],
    "session_engine": settings.SESSION_ENGINE,
    "databases": {
        alias: {k: db.get(k) for k in ("ENGINE", "NAME", "HOST", "TEST", "OPTIONS")}
        | {"ATOMIC_REQUESTS": db.get("ATOMIC_REQUESTS")}
        for alias, db in settings.DATABASES.items()
    },
    "routers": settings.DATABASE_ROUTERS,
    "storage": type(storage).__name__,
    "encrypting": isinstance(storage, EncryptingStorageMixin),
    "stripping": isinstance(storage, MetadataStrippingMixin),
    "s3": {
        k: getattr(storage, k, None)
        for k in ("bucket_name", "endpoint_url", "region_name", "addressing_style")
    },
    "boto3_loaded": "boto3" in sys.modules,
}))
"""


@functools.cache  # one process for each set of variables
def _settings(**overrides) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    env.update(overrides, DJANGO_SETTINGS_MODULE="npm_portal.settings", DEBUG="1")
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


class TestCacheAndSessions:
    def test_by_default_local_memory_and_database_sessions(self):
        loaded = _settings()
        assert loaded["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
        assert loaded["session_engine"] == "django.contrib.sessions.backends.db"

    def test_redis_url_gives_the_redis_cache_and_sessions_in_it(self):
        loaded = _settings(REDIS_URL="redis://127.0.0.1:6379/1")
        assert loaded["cache"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert loaded["cache"]["LOCATION"] == "redis://127.0.0.1:6379/1"
        assert loaded["cache"]["OPTIONS"]["socket_timeout"] <= 5
        assert loaded["session_engine"] == "django.contrib.sessions.backends.cached_db"

    def test_redis_url_wins_over_cache_url(self):
        loaded = _settings(
            REDIS_URL="redis://127.0.0.1:6379/1", CACHE_URL="memcache://127.0.0.1:11211"
        )
        assert loaded["cache"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"

    def test_cache_url_alone_still_works_and_keeps_database_sessions(self):
        loaded = _settings(CACHE_URL="redis://127.0.0.1:6379/3")
        assert loaded["cache"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert loaded["cache"]["LOCATION"] == "redis://127.0.0.1:6379/3"
        assert loaded["session_engine"] == "django.contrib.sessions.backends.db"


class TestReplica:
    def test_no_replica_by_default(self):
        loaded = _settings()
        assert list(loaded["databases"]) == ["default"]
        assert loaded["routers"] == ["core.replica.ReplicaRouter"]

    def test_the_replica_url_names_a_read_only_mirror_alias(self):
        loaded = _settings(
            DATABASE_URL="postgres://npm:pw@primary.internal:5432/npm",
            DATABASE_REPLICA_URL="postgres://npm_ro:pw@replica.internal:5432/npm",
        )
        replica = loaded["databases"]["replica"]
        assert (replica["HOST"], replica["NAME"]) == ("replica.internal", "npm")
        assert replica["ENGINE"] == "django.db.backends.postgresql"
        assert replica["TEST"]["MIRROR"] == "default"
        assert replica["OPTIONS"]["options"] == "-c default_transaction_read_only=on"
        assert not replica.get("ATOMIC_REQUESTS")
        assert loaded["databases"]["default"]["ATOMIC_REQUESTS"] is True


class TestStorage:
    def test_by_default_the_encrypting_disk_storage_and_no_boto3(self):
        loaded = _settings()
        assert loaded["storage"] == "MetadataStrippingStorage"
        assert loaded["encrypting"]
        assert loaded["stripping"]
        assert not loaded["boto3_loaded"]

    def test_the_bucket_gives_the_encrypting_s3_storage(self):
        loaded = _settings(NPM_S3_BUCKET="npm-media", NPM_S3_REGION="eu-central-1")
        assert loaded["storage"] == "PrivateS3Storage"
        assert loaded["encrypting"]
        assert loaded["stripping"]
        assert loaded["s3"] == {
            "bucket_name": "npm-media",
            "endpoint_url": None,
            "region_name": "eu-central-1",
            "addressing_style": None,
        }

    def test_an_s3_compatible_endpoint_is_addressed_by_path(self):
        loaded = _settings(NPM_S3_BUCKET="npm-media", NPM_S3_ENDPOINT_URL="http://minio:9000")
        assert loaded["s3"]["endpoint_url"] == "http://minio:9000"
        assert loaded["s3"]["addressing_style"] == "path"
