import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _load_settings(**env_overrides) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update(env_overrides, DJANGO_SETTINGS_MODULE="npm_portal.settings")
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            " print(settings.DEBUG, settings.TIME_ZONE, settings.USE_TZ)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_missing_secret_key_without_debug_fails_clearly():
    result = _load_settings(DEBUG="0")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_runs_without_secret_key():
    result = _load_settings(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "Europe/Belgrade", "True"]


def test_production_settings_load_with_a_secret_key():
    result = _load_settings(DEBUG="0", SECRET_KEY="a-real-secret-from-the-environment")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "False"


def test_database_url_selects_postgresql():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="npm_portal.settings",
        DEBUG="1",
        DATABASE_URL="postgres://npm:secret@db.example.org:5433/npm_portal",
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            " d = settings.DATABASES['default'];"
            " print(d['ENGINE'], d['HOST'], d['PORT'], d['NAME'], d['ATOMIC_REQUESTS'])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "db.example.org",
        "5433",
        "npm_portal",
        "True",
    ]
