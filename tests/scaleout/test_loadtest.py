"""`make loadtest` (bench/loadtest.py) runs on a database of its own, never the one DATABASE_URL
names, and only there gives the dataset's logins a known password. (The load test itself runs
for a minute and is not part of the suite.)"""

from __future__ import annotations

import pytest

from bench import loadtest


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("", "postgres://postgres@127.0.0.1:5432/npm_loadtest"),
        (
            "postgres://npm:pw@db.internal:5433/npm_portal",
            "postgres://npm:pw@db.internal:5433/npm_portal_loadtest",
        ),
        (
            "postgres://postgres@127.0.0.1/npm_loadtest",
            "postgres://postgres@127.0.0.1/npm_loadtest",
        ),
    ],
)
def test_the_database_is_the_loadtest_one_beside_database_url(base, expected):
    assert loadtest.loadtest_url(base) == expected


def test_sqlite_is_refused():
    with pytest.raises(SystemExit, match="needs PostgreSQL"):
        loadtest.loadtest_url("sqlite:///var/db.sqlite3")


def test_the_app_runs_with_production_settings_and_none_of_the_developers_backends(monkeypatch):
    monkeypatch.setenv("NPM_S3_BUCKET", "real-bucket")
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://prod:6379/0")
    env = loadtest.app_env("postgres://postgres@127.0.0.1:5432/npm_loadtest", redis=False)
    assert env["DATABASE_URL"].endswith("/npm_loadtest")
    assert (env["DEBUG"], env["NPM_REQUIRE_2FA"]) == ("0", "1")
    # Set, and empty: a .env file cannot bring them back either.
    assert env["NPM_S3_BUCKET"] == ""
    assert env["CELERY_BROKER_URL"] == ""
    assert env["REDIS_URL"] == ""


def test_logins_are_changed_only_in_a_loadtest_database(db, tmp_path):
    # The test database's name does not end in _loadtest: nothing is touched.
    with pytest.raises(SystemExit, match="Refusing to change logins"):
        loadtest.prepare(tmp_path / "plan.json")
    assert not (tmp_path / "plan.json").exists()
