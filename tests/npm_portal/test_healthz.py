import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_reports_ok_with_a_database_round_trip(anonymous_client, db):
    response = anonymous_client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize(
    "database_url",
    [
        # A SQLite file in a folder that does not exist cannot be opened.
        "sqlite:////nonexistent-folder/npm/db.sqlite3",
        # Nothing listens on port 1: the PostgreSQL connection is refused.
        "postgres://postgres@127.0.0.1:1/npm_portal",
    ],
)
def test_healthz_reports_503_when_the_database_is_unreachable(database_url):
    outcome = _healthz_in_a_process(DATABASE_URL=database_url)
    assert outcome == {"status_code": 503, "body": {"status": "error", "database": "error"}}


def test_healthz_reports_503_when_the_replica_is_unreachable(tmp_path):
    # The primary: an empty SQLite file (healthz reads no table).
    outcome = _healthz_in_a_process(
        DATABASE_URL=f"sqlite:///{tmp_path / 'primary.sqlite3'}",
        DATABASE_REPLICA_URL="postgres://reader:s3cret@127.0.0.1:1/npm_portal",
    )
    assert outcome == {
        "status_code": 503,
        "body": {"status": "error", "database": "ok", "replica": "error"},
    }


# Backends a developer's environment may configure; each test names the ones it uses.
BACKEND_VARIABLES = ("DATABASE_REPLICA_URL", "REDIS_URL", "CACHE_URL", "CELERY_BROKER_URL")


def _healthz_in_a_process(**variables) -> dict:
    # A separate process, so the test's own database connection stays untouched.
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(json.dumps({'status_code': r.status_code, 'body': r.json()}))"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k not in BACKEND_VARIABLES},
        "DJANGO_SETTINGS_MODULE": "npm_portal.settings",
        "SECRET_KEY": "test-only",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "testserver",
        **variables,
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
