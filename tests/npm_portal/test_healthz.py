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
    # A separate process, so the test's own database connection stays untouched.
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(json.dumps({'status_code': r.status_code, 'body': r.json()}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "npm_portal.settings",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-only",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "testserver",
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
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome == {"status_code": 503, "body": {"status": "error", "database": "error"}}
