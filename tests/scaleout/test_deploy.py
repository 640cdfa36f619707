"""The deployment examples in deploy/ name what exists: the commands and modules of the
systemd units and docker-compose.yml are the project's, every variable they set is one the app
reads, nginx forwards what NPM_TRUSTED_PROXIES and the upload limit expect."""

from __future__ import annotations

import importlib
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from npm_portal.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
# Where the app reads its environment; a variable in deploy/ must be read in one of them.
READERS = [ROOT / "npm_portal" / "settings.py", ROOT / "gunicorn.conf.py"]
# Read by others than the app: Django itself, the Python interpreter, Postgres' image.
NOT_THE_APPS = {"DJANGO_SETTINGS_MODULE", "PYTHONPATH"}
UNITS = ["npm-portal.service", "npm-portal-worker.service", "npm-portal-beat.service"]
NEW_VARIABLES = [
    "REDIS_URL",
    "DATABASE_REPLICA_URL",
    "NPM_S3_BUCKET",
    "NPM_S3_REGION",
    "NPM_S3_ENDPOINT_URL",
]


def _read_by_the_app(name: str) -> bool:
    pattern = re.compile(rf"""["']{re.escape(name)}["']""")
    return any(pattern.search(path.read_text()) for path in READERS)


def _unit(name: str) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for line in (DEPLOY / name).read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            values.setdefault(key.strip(), []).append(value.strip())
    return values


def _check_command(argv: list[str]) -> None:
    """gunicorn <wsgi module>, celery -A <app> worker|beat, python manage.py <command>."""
    program = Path(argv[0]).name
    if program == "gunicorn":
        module = importlib.import_module(argv[1].split(":")[0])
        assert hasattr(module, "application"), argv
    elif program == "celery":
        assert argv[1] == "-A"
        assert importlib.import_module(argv[2]).celery_app is celery_app, argv
        assert argv[3] in {"worker", "beat"}, argv
    elif program == "python":
        assert argv[1] == "manage.py"
        assert (ROOT / argv[1]).is_file()
        assert argv[2] == "migrate", argv
    else:
        pytest.fail(f"unexpected command {argv}")


class TestSystemdUnits:
    @pytest.mark.parametrize("name", UNITS)
    def test_the_unit_runs_a_command_of_the_project(self, name):
        unit = _unit(name)
        [start] = unit["ExecStart"]
        argv = shlex.split(start)
        assert argv[0].startswith("/srv/npm-portal/venv/bin/")
        _check_command(argv)
        assert unit["WorkingDirectory"] == ["/srv/npm-portal/app"]
        assert unit["EnvironmentFile"] == ["/etc/npm-portal/env"]
        assert unit["User"] == ["npm"]

    def test_the_web_unit_reloads_gracefully_with_hup(self):
        unit = _unit("npm-portal.service")
        assert unit["ExecReload"] == ["/bin/kill -s HUP $MAINPID"]
        # Longer than gunicorn's graceful_timeout: workers finish their requests.
        assert int(unit["TimeoutStopSec"][0]) > 30
        assert not (DEPLOY / "gunicorn.conf.py").exists(), "one gunicorn.conf.py: the root one"

    def test_the_worker_app_has_the_beat_schedule(self):
        assert celery_app.main == "npm_portal"
        assert set(settings.CELERY_BEAT_SCHEDULE) >= {"send-reminders", "deliver-webhooks"}
        beat = shlex.split(_unit("npm-portal-beat.service")["ExecStart"][0])
        schedule = beat[beat.index("--schedule") + 1]
        state = _unit("npm-portal-beat.service")["StateDirectory"][0]
        assert schedule.startswith(f"/var/lib/{state}/")

    @pytest.mark.parametrize("name", UNITS)
    def test_systemd_accepts_the_unit(self, name):
        if not shutil.which("systemd-analyze"):
            # Debian ships it with systemd; CI has it and must run this check.
            if os.environ.get("CI"):
                pytest.fail("systemd-analyze is required in CI")
            pytest.skip("no systemd-analyze on this machine")
        result = subprocess.run(
            ["systemd-analyze", "verify", str(DEPLOY / name)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        # The only complaint allowed: the virtualenv of a real installation is not here.
        problems = [
            line
            for line in (result.stdout + result.stderr).splitlines()
            if line.strip() and "/srv/npm-portal/venv/bin/" not in line
        ]
        assert problems == []


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def nginx():
    return (DEPLOY / "nginx.conf").read_text()


class TestCompose:
    def test_the_services_and_their_commands(self, compose):
        services = compose["services"]
        assert set(services) >= {"postgres", "redis", "web", "worker", "beat"}
        for name in ("migrate", "web", "worker", "beat"):
            _check_command(services[name]["command"])
            build = services[name]["build"]
            # The context is relative to the compose file, the Dockerfile to the context.
            assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == (
                DEPLOY / "Dockerfile"
            )
        assert services["worker"]["command"][3] == "worker"
        assert services["beat"]["command"][3] == "beat"
        assert "replicas" not in services["beat"].get("deploy", {})

    def test_every_variable_set_is_one_the_app_reads(self, compose):
        for name in ("migrate", "web", "worker", "beat"):
            for variable in compose["services"][name]["environment"]:
                assert _read_by_the_app(variable) or variable in NOT_THE_APPS, variable

    def test_the_app_uses_the_compose_postgres_and_redis(self, compose):
        environment = compose["services"]["web"]["environment"]
        assert "@postgres:5432/" in environment["DATABASE_URL"]
        assert environment["REDIS_URL"].startswith("redis://redis:6379/")
        assert environment["CELERY_BROKER_URL"].startswith("redis://redis:6379/")
        assert environment["REDIS_URL"] != environment["CELERY_BROKER_URL"]

    def test_web_and_worker_share_the_media_and_the_proxy_is_the_gateway(self, compose):
        services = compose["services"]
        media = services["web"]["environment"]["MEDIA_ROOT"]
        for name in ("web", "worker"):
            assert f"media:{media}" in services[name]["volumes"]
        [network] = compose["networks"]["default"]["ipam"]["config"]
        assert services["web"]["environment"]["NPM_TRUSTED_PROXIES"] == network["gateway"]
        assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]

    def test_the_dockerfile_installs_what_weasyprint_loads(self):
        dockerfile = (DEPLOY / "Dockerfile").read_text()
        assert dockerfile.startswith("#")
        assert "FROM python:3.11-slim-bookworm" in dockerfile
        for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
            assert package in dockerfile
        ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
        assert ".env" in ignored  # no secret baked into an image


class TestNginx:
    def test_forwarded_headers_for_the_trusted_proxy(self, nginx):
        assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in nginx
        assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx
        assert "NPM_TRUSTED_PROXIES=127.0.0.1" in nginx
        bind = re.search(r'"GUNICORN_BIND", "([^"]+)"', (ROOT / "gunicorn.conf.py").read_text())
        assert f"server {bind.group(1)};" in nginx

    def test_the_upload_limit_matches_the_apps(self, nginx):
        [limit] = re.findall(r"client_max_body_size (\d+)m;", nginx)
        assert int(limit) == settings.NPM_MAX_UPLOAD_MB + 1

    def test_hsts_as_the_app_sends_it(self, nginx):
        [age] = re.findall(r"Strict-Transport-Security \"max-age=(\d+);", nginx)
        assert int(age) == 31536000
        assert "proxy_hide_header Strict-Transport-Security;" in nginx


def test_the_new_variables_are_documented_in_env_example():
    documented = {
        line.lstrip("#").split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if "=" in line
    }
    for variable in NEW_VARIABLES:
        assert variable in documented
        assert _read_by_the_app(variable)
