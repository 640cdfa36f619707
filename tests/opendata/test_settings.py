"""The open-data settings: a malformed rate stops the app at startup naming the variable; the
defaults and an empty rate load."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load(**env_overrides) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NPM_OPEN_DATA")}
    env.update(env_overrides, DJANGO_SETTINGS_MODULE="npm_portal.settings", SECRET_KEY="x")
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s;"
            " print(repr(s.NPM_OPEN_DATA_RATE), repr(s.NPM_OPEN_DATA_BULK_RATE),"
            " s.CACHES['default']['BACKEND'])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("name", ["NPM_OPEN_DATA_RATE", "NPM_OPEN_DATA_BULK_RATE"])
@pytest.mark.parametrize("value", ["fast", "0/min", "10/fortnight", "10 per hour"])
def test_a_malformed_rate_stops_the_app_naming_the_variable(name, value):
    result = _load(**{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{name}={value!r}" in result.stderr


def test_the_defaults_and_an_empty_rate_load():
    result = _load()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["'120/min'", "'30/hour'"]
    assert "LocMemCache" in result.stdout
    off = _load(NPM_OPEN_DATA_RATE="", NPM_OPEN_DATA_BULK_RATE="2/day")
    assert off.returncode == 0, off.stderr
    assert off.stdout.split()[:2] == ["''", "'2/day'"]
