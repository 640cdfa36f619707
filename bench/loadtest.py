"""`make loadtest` (`python -m bench.loadtest`): the production server under load.

A PostgreSQL database of its own, `<base>_loadtest` next to DATABASE_URL's (default
postgres://postgres@127.0.0.1:5432/npm_loadtest), created when missing, migrated and filled
with the generated dataset at scale 0.1 (seed 1) when it has none (LOADTEST_REGENERATE=1 starts
it again). The dataset's named logins get a known password and single-use backup codes, in this
database only. Then gunicorn, with the project's gunicorn.conf.py (2 workers, loopback, a free
port, DEBUG off, two-factor login on, Redis for cache and sessions when it runs), and a headless
locust run of bench/locustfile.py: LOADTEST_USERS (10) logged-in users for LOADTEST_SECONDS
(60). Prints requests/s, p50/p99 of the pages (the logins apart) and the errors, writes
benchmarks/loadtest.json, and exits with status 1 on any failed request."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "loadtest"
RESULTS = ROOT / "benchmarks" / "loadtest.json"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/npm_loadtest"
SUFFIX = "_loadtest"
SCALE = 0.1
SEED = 1
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "60"))
USERS = int(os.environ.get("LOADTEST_USERS", "10"))
WORKERS = 2
REDIS_URL = os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/13")
# Only for the load test's own database, so the backup codes' hashes match in every process.
SECRET_KEY = "loadtest-only-" + "k" * 40
PASSWORD = "loadtest-password-2026"  # noqa: S105 - the load test database only
BACKUP_CODES = 50  # per account: one per simulated login
ACCOUNTS = ["dataset-staff", "dataset-head", "dataset-compliance", "dataset-admin"]
# Variables of a developer's environment (or .env) that would change what is measured.
CLEARED = [
    "DATABASE_REPLICA_URL",
    "CACHE_URL",
    "CELERY_BROKER_URL",
    "NPM_S3_BUCKET",
    "NPM_S3_ENDPOINT_URL",
    "NPM_S3_REGION",
    "NPM_TRUSTED_PROXIES",
    "FIELD_ENCRYPTION_KEY",
    "SECRET_KEY_FALLBACKS",
]


def loadtest_url(base: str | None = None) -> str:
    """The load test's database: `<name>_loadtest` beside DATABASE_URL's, or the default."""
    base = base if base is not None else os.environ.get("DATABASE_URL", "")
    if not base:
        return DEFAULT_URL
    parts = urlsplit(base)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit(f"The load test needs PostgreSQL; DATABASE_URL is {parts.scheme}:…")
    name = parts.path.lstrip("/") or "npm"
    if not name.endswith(SUFFIX):
        name += SUFFIX
    return urlunsplit(parts._replace(path=f"/{name}"))


def _database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def ensure_database(url: str) -> None:
    """Create the database when missing (LOADTEST_REGENERATE=1: drop it first)."""
    import psycopg2
    from psycopg2 import sql

    name = _database_name(url)
    parts = urlsplit(url)
    connection = psycopg2.connect(
        dbname="postgres",
        user=parts.username,
        password=parts.password,
        host=parts.hostname,
        port=parts.port or 5432,
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            if os.environ.get("LOADTEST_REGENERATE") == "1":
                print(f"Dropping {name} (LOADTEST_REGENERATE=1)", flush=True)
                cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                print(f"Creating database {name}", flush=True)
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def _redis_up() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 - any failure: run without Redis
        return False
    return True


def app_env(url: str, *, redis: bool) -> dict[str, str]:
    """The environment of every process of the app under test: production settings, except
    plain HTTP on loopback."""
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update({name: "" for name in CLEARED})
    env.update(
        DJANGO_SETTINGS_MODULE="npm_portal.settings",
        DATABASE_URL=url,
        SECRET_KEY=SECRET_KEY,
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,testserver",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        NPM_REQUIRE_2FA="1",
        REDIS_URL=REDIS_URL if redis else "",
        STATIC_ROOT=str(WORK / "static"),
        MEDIA_ROOT=str(WORK / "media"),
        LOG_LEVEL="WARNING",
    )
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    print("manage.py", *args, flush=True)
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _static_is_current() -> bool:
    manifest = WORK / "static" / "staticfiles.json"
    if not manifest.is_file():
        return False
    built = manifest.stat().st_mtime
    return all(path.stat().st_mtime <= built for path in (ROOT / "static").rglob("*"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, server: subprocess.Popen, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode} (see {WORK}/gunicorn.log)")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds} s")


def run() -> int:
    url = loadtest_url()
    WORK.mkdir(parents=True, exist_ok=True)
    ensure_database(url)
    redis = _redis_up()
    env = app_env(url, redis=redis)
    _manage(env, "migrate", "--noinput", "-v", "0")
    # Hashed names, as in production (the pages are checked once in `prepare`).
    if not _static_is_current():
        _manage(env, "collectstatic", "--noinput", "-v", "0")
    plan_path = WORK / "plan.json"
    # Generates the dataset when the database has none, sets the logins, writes the plan.
    _prepare(env, plan_path)

    port = _free_port()
    server_env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(WORKERS),
        "GUNICORN_ACCESS_LOG": str(WORK / "access.log"),
    }
    host = f"http://127.0.0.1:{port}"
    with (WORK / "gunicorn.log").open("w") as log, (WORK / "locust.log").open("w") as locust_log:
        # The project's gunicorn.conf.py, read from the project directory.
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "npm_portal.wsgi"],
            cwd=ROOT,
            env=server_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for(f"{host}/healthz", server)
            stats_path = WORK / "stats.json"
            stats_path.unlink(missing_ok=True)
            print(
                f"locust: {USERS} users for {SECONDS} s against {WORKERS} gunicorn workers "
                f"({'Redis' if redis else 'no Redis'})",
                flush=True,
            )
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "locust",
                    "-f",
                    str(ROOT / "bench" / "locustfile.py"),
                    "--headless",
                    "--users",
                    str(USERS),
                    "--spawn-rate",
                    str(USERS),
                    "--run-time",
                    f"{SECONDS}s",
                    "--stop-timeout",
                    "10",
                    "--host",
                    host,
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=ROOT,
                env={
                    **os.environ,
                    "LOADTEST_PLAN": str(plan_path),
                    "LOADTEST_STATS": str(stats_path),
                },
                stdout=locust_log,
                stderr=subprocess.STDOUT,
                check=False,
            )
        finally:
            server.terminate()
            server.wait(timeout=60)

    summary = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": _database_name(url),
        "scale": SCALE,
        "seed": SEED,
        "run_seconds": SECONDS,
        "users": USERS,
        "gunicorn_workers": WORKERS,
        "redis": redis,
        "two_factor": True,
        **json.loads(stats_path.read_text()),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(summary, indent=2) + "\n")
    _print(summary)
    failed = summary["failures"] or summary["logins"]["failures"] or summary["errors"]
    return 1 if failed or not summary["requests"] else 0


def _print(summary: dict) -> None:
    print(f"\n{'page':<28} {'requests':>9} {'errors':>7} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8}")
    rows = [*summary["pages"].items(), ("all pages", summary), ("logins", summary["logins"])]
    for name, row in rows:
        p50, p99 = (
            f"{row[k]:>8.0f}" if row[k] is not None else f"{'-':>8}" for k in ("p50_ms", "p99_ms")
        )
        print(
            f"{name:<28} {row['requests']:>9} {row['failures']:>7} {row['requests_per_s']:>7} "
            f"{p50} {p99}"
        )
    for error in summary["errors"]:
        print(f"ERROR {error['page']}: {error['error']} ({error['count']}×)")
    print(f"\nWritten to {RESULTS.relative_to(ROOT)} (logs in {WORK.relative_to(ROOT)}/)")


def _prepare(env: dict[str, str], plan_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "bench.loadtest", "prepare", str(plan_path)],
        cwd=ROOT,
        env=env,
        check=True,
    )


# --- In the load test's database (a child process with its environment) ------------------------


def prepare(plan_path: Path) -> None:
    """Generate the dataset when missing, give the named logins the password and fresh backup
    codes, and write the plan: per account, the pages it may open (each checked once)."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if not name.endswith(SUFFIX):
        raise SystemExit(f"Refusing to change logins in {name!r}: not a load test database.")
    users = get_user_model().objects
    if not users.filter(username=ACCOUNTS[0]).exists():
        print(
            f"Generating the dataset (scale {SCALE}, seed {SEED}); this takes a while", flush=True
        )
        call_command("generate_dataset", scale=SCALE, seed=SEED, quiet=True)
    accounts = []
    for username in ACCOUNTS:
        user = users.get(username=username)
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        accounts.append(
            {
                "username": username,
                "password": PASSWORD,
                "backup_codes": _backup_codes(user),
                "pages": _pages_for(user),
            }
        )
    plan = {"login_url": "/accounts/login/", "otp_url": "/accounts/two-factor/verify/"}
    plan_path.write_text(json.dumps({**plan, "accounts": accounts}, indent=2))
    plan_path.chmod(0o600)


def _backup_codes(user) -> list[str]:
    from npm_portal.security.models import (
        BackupCode,
        BackupCodes,
        backup_code_digests,
        random_backup_code,
    )
    from npm_portal.security.twofactor import BACKUP_DEVICE_NAME

    device, _ = BackupCodes.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.codes.all().delete()
    codes = [random_backup_code() for _ in range(BACKUP_CODES)]
    BackupCode.objects.bulk_create(
        BackupCode(device=device, digest=backup_code_digests(code)[0]) for code in codes
    )
    return codes


def _candidate_pages(user) -> dict[str, list[str]]:
    from collections import Counter

    from django.urls import reverse

    from recommendations.models import Recommendation
    from visits.models import Visit

    visits = list(Visit.objects.visible_to(user).order_by("pk").values_list("pk", flat=True))
    recommendations = Recommendation.objects.visible_to(user).order_by("pk")
    recommendation_ids = list(recommendations.values_list("pk", flat=True))
    statuses = Counter(recommendations.values_list("status", flat=True))
    years = sorted(set(recommendations.values_list("visit__year", flat=True)))
    tracker = reverse("recommendations:list")
    filters = ["?priority=urgent", "?overdue=yes", "?sort=reference"]
    if statuses:
        filters.append(f"?status={statuses.most_common(1)[0][0]}")
    if years:
        filters.append(f"?year={years[-1]}&overdue=yes")

    def spread(ids: list[int], count: int = 8) -> list[int]:
        step = max(len(ids) // count, 1)
        return ids[::step][:count]

    return {
        "home": [reverse("dashboard")],
        "visit list": [reverse("visits:visit_list")],
        "visit detail": [reverse("visits:visit_detail", args=[pk]) for pk in spread(visits)],
        "recommendation list": [tracker],
        "recommendation filters": [tracker + query for query in filters],
        "recommendation detail": [
            reverse("recommendations:detail", args=[pk]) for pk in spread(recommendation_ids)
        ],
        "compliance dashboard": [reverse("recommendations:dashboard")],
        "public portal": [reverse("portal:index")],
    }


def _pages_for(user) -> dict[str, list[str]]:
    """The candidate pages this user gets a 200 for (a role that may not open a page does not
    ask for it under load)."""
    from django.test import Client, override_settings

    client = Client()
    client.force_login(user)
    pages: dict[str, list[str]] = {}
    with override_settings(NPM_REQUIRE_2FA=False):
        for kind, urls in _candidate_pages(user).items():
            allowed = [url for url in urls if client.get(url).status_code == 200]
            if allowed:
                pages[kind] = allowed
    print(f"{user.username}: {sum(map(len, pages.values()))} pages", flush=True)
    return pages


if __name__ == "__main__":
    if sys.argv[1:2] == ["prepare"]:
        prepare(Path(sys.argv[2]))
    else:
        sys.exit(run())
