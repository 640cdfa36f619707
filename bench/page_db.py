"""The page benchmark's databases: one PostgreSQL database per scale, `<base>_s0_1`, `<base>_s1`,
migrated and filled by the dataset generator once, then reused. The database's comment is the
marker: it names the scale, the seed and a fingerprint of the generator's source, and is written
only after generation succeeded, so an interrupted run or a changed generator regenerates."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
# The Makefile's TEST_ENV sets SECRET_KEY and DEBUG=0 only: without DATABASE_URL the local
# PostgreSQL is used, never the development SQLite file.
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/npm_bench"
SEED = 1
GENERATOR_SOURCES = ("npm_portal/dataset", "npm_portal/management/commands/generate_dataset.py")


def base_url() -> str:
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        sys.exit(f"The page benchmark needs PostgreSQL; DATABASE_URL is {url.split(':')[0]}:…")
    return url


def scale_label(scale: float) -> str:
    """0.1 → "0_1", 1 → "1" (database names and JSON keys)."""
    return f"{scale:g}".replace(".", "_")


def scale_url(url: str, scale: float) -> str:
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "npm_bench"
    return urlunsplit(parts._replace(path=f"/{name}_s{scale_label(scale)}"))


def child_env(url: str) -> dict[str, str]:
    """The environment of a process working on one scale's database."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "npm_portal.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-secret-key-not-for-production",
    }


def _connect(url: str, dbname: str | None = None):
    import environ
    import psycopg2

    config = environ.Env.db_url_config(url)
    return psycopg2.connect(
        dbname=dbname or config["NAME"],
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
    )


def _admin_connection(url: str):
    """A connection to the server's maintenance database (CREATE/DROP DATABASE need one)."""
    connection = _connect(url, "postgres")
    connection.autocommit = True
    return connection


def server_version(url: str) -> str:
    connection = _admin_connection(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return cursor.fetchone()[0]
    finally:
        connection.close()


def generator_fingerprint() -> str:
    digest = hashlib.sha256()
    for source in GENERATOR_SOURCES:
        path = ROOT / source
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path] if path.is_file() else []
        for file in files:
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def marker(scale: float) -> str:
    return f"npm-bench dataset scale={scale:g} seed={SEED} generator={generator_fingerprint()}"


def _run(args: list[str], env: dict[str, str]) -> None:
    completed = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=False)
    if completed.returncode:
        sys.exit(f"`{' '.join(args)}` failed with exit code {completed.returncode}")


def prepare(scale: float) -> tuple[str, dict]:
    """The URL of the scale's database, created, migrated and generated when needed, and what
    was done (for the results)."""
    from psycopg2 import sql

    url = scale_url(base_url(), scale)
    name = urlsplit(url).path.lstrip("/")
    wanted = marker(scale)
    connection = _admin_connection(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                [name],
            )
            row = cursor.fetchone()
            # "<marker>; generated <date>": the date is for people, the marker must match.
            found = (row[0] or "").split(";")[0] if row else None
            regenerate = os.environ.get("BENCH_REGENERATE") == "1" or found != wanted
            if regenerate:
                reason = (
                    "BENCH_REGENERATE=1"
                    if found == wanted
                    else "missing"
                    if row is None
                    else f"marker {found!r}"
                )
                print(f"[scale {scale:g}] (re)creating database {name}: {reason}", flush=True)
                if row is not None:
                    force = " WITH (FORCE)" if connection.server_version >= 130000 else ""
                    cursor.execute(sql.SQL("DROP DATABASE {}" + force).format(sql.Identifier(name)))
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()

    env = child_env(url)
    _run(["manage.py", "migrate", "--noinput", "--skip-checks", "-v", "0"], env)
    done = {"database": name, "marker": wanted, "regenerated": regenerate}
    if regenerate:
        started = time.perf_counter()
        command = ["manage.py", "generate_dataset", "--skip-checks", "--scale", f"{scale:g}"]
        _run([*command, "--seed", str(SEED)], env)
        done["generation_seconds"] = round(time.perf_counter() - started, 1)
        print(f"[scale {scale:g}] generated in {done['generation_seconds']} s", flush=True)
        # Fresh bulk inserts have no planner statistics yet; a live database would have them.
        connection = _connect(url)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
                comment = f"{wanted}; generated {dt.datetime.now(dt.UTC):%Y-%m-%d}"
                cursor.execute(
                    sql.SQL("COMMENT ON DATABASE {} IS %s").format(sql.Identifier(name)), [comment]
                )
        finally:
            connection.close()
    else:
        print(f"[scale {scale:g}] reusing database {name} ({wanted})", flush=True)
    return url, done
