"""Benchmarks: `make bench`. BENCH_ONLY picks a comma-separated subset ("pages", "pdf", "import");
all by default. Exits non-zero when a benchmark misses its budget.

- pages (`bench.pages`): the main pages against generated data at scale 0.1 and 1 in their own
  PostgreSQL databases (DATABASE_URL names the base), with the budgets of issue #12; writes
  `benchmarks/results.json`.
- pdf (`bench.pdf`) and import (`bench.imports`): on a throwaway test database of the
  configured database (SQLite without DATABASE_URL)."""

import os
import sys

# A comma-separated subset of the benchmarks ("pages", "pdf", "import"); all by default.
ONLY = {part for part in os.environ.get("BENCH_ONLY", "").split(",") if part}


def _selected(name: str) -> bool:
    return not ONLY or name in ONLY


def run_on_throwaway_database() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "npm_portal.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    # Plain HTTP and a password-only login: time the work, not the security steps.
    settings.SECURE_SSL_REDIRECT = False
    settings.NPM_REQUIRE_2FA = False
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        if _selected("pdf"):
            from bench import pdf

            print()
            pdf.run()
        if _selected("import"):
            from bench import imports

            print()
            imports.run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main() -> None:
    status = 0
    if _selected("pages"):
        from bench import pages

        status = pages.run()
    if _selected("pdf") or _selected("import"):
        run_on_throwaway_database()
    sys.exit(status)


if __name__ == "__main__":
    main()
