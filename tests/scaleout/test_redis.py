"""Django's Redis cache and the sessions in it, against the real Redis on 127.0.0.1:6379 (as
with REDIS_URL): what one web process stores, another finds, because it is in Redis, not in the
process's memory. Fails, never skips, when Redis is not running (CI starts it)."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

CACHED_DB = "django.contrib.sessions.backends.cached_db"


def _keys(redis_client, prefix: str) -> list[bytes]:
    return list(redis_client.scan_iter(match=f"{prefix}:*"))


def test_set_get_delete_go_through_redis(redis_cache, redis_client):
    cache = caches["default"]
    assert type(cache).__name__ == "RedisCache"
    cache.set("answer", {"n": 42}, timeout=60)
    [key] = _keys(redis_client, redis_cache)
    assert key.decode().endswith(":answer")
    assert 0 < redis_client.ttl(key) <= 60
    assert cache.get("answer") == {"n": 42}
    # What the next process sees: a new client with nothing in memory.
    caches.close_all()
    assert caches.create_connection("default").get("answer") == {"n": 42}
    # Rate limits count with add + incr (core.http.over_rate).
    assert cache.add("counter", 1, timeout=60)
    assert not cache.add("counter", 1, timeout=60)
    assert cache.incr("counter") == 2
    cache.delete("answer")
    assert cache.get("answer") is None
    assert not [k for k in _keys(redis_client, redis_cache) if k.decode().endswith(":answer")]


@pytest.mark.parametrize("engine", ["django.contrib.sessions.backends.cache", CACHED_DB])
def test_a_session_round_trips_through_redis(settings, redis_cache, redis_client, engine, db):
    settings.SESSION_ENGINE = engine
    store_class = import_module(engine).SessionStore
    session = store_class()
    session["npm_reauth_at"] = 1_700_000_000
    session.save()
    assert any(session.session_key in k.decode() for k in _keys(redis_client, redis_cache))
    caches.close_all()
    loaded = store_class(session_key=session.session_key)
    assert loaded["npm_reauth_at"] == 1_700_000_000
    # cached_db writes through to the database too (a Redis restart logs nobody out).
    in_database = Session.objects.filter(session_key=session.session_key).exists()
    assert in_database == (engine == CACHED_DB)
    loaded.flush()
    assert not any(session.session_key in k.decode() for k in _keys(redis_client, redis_cache))
    assert not Session.objects.filter(session_key=session.session_key).exists()
    assert store_class(session_key=session.session_key).get("npm_reauth_at") is None


def test_a_login_made_in_one_process_is_valid_in_another_and_a_logout_ends_it(
    settings, redis_cache, redis_client, db
):
    settings.SESSION_ENGINE = CACHED_DB
    UserFactory(username="anna")
    first = Client()
    response = first.post(reverse("login"), {"username": "anna", "password": PASSWORD})
    assert response.status_code == 302
    cookie = first.cookies[settings.SESSION_COOKIE_NAME].value
    assert any(cookie in k.decode() for k in _keys(redis_client, redis_cache))
    # Another web process: its own cache connection, the same cookie.
    caches.close_all()
    second = Client()
    second.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert second.get(reverse("dashboard")).status_code == 200
    second.post(reverse("logout"))
    caches.close_all()
    # Ended everywhere: the first browser's cookie no longer logs in.
    assert not any(cookie in k.decode() for k in _keys(redis_client, redis_cache))
    response = first.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
