"""Benchmarks: `make bench`. BENCH_ONLY picks a comma-separated subset ("pages", "pdf", "import");
all by default. Exits non-zero when a benchmark misses its budget.

- pages (`bench.pages`): the main pages against generated data at scale 0.1 and 1 in their own
  PostgreSQL databases (DATABASE_URL names the base), with the budgets of issue #12; writes
  `benchmarks/results.json`.
- pdf (`bench.pdf`) and import (`bench.imports`): on a throwaway test database of the
  configured database (SQLite without DATABASE_URL). The pdf bench adds its "pdf" entry to
  `benchmarks/results.json` (a pages run alone keeps the last one)."""

import json
import os
import sys

# A comma-separated subset of the benchmarks ("pages", "pdf", "import"); all by default.
ONLY = {part for part in os.environ.get("BENCH_ONLY", "").split(",") if part}


def _selected(name: str) -> bool:
    return not ONLY or name in ONLY


def run_on_throwaway_database() -> int:
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
    status = 0
    try:
        if _selected("pdf"):
            from bench import pdf

            print()
            status = pdf.run()
        if _selected("import"):
            from bench import imports

            print()
            imports.run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return status


def _run_pages() -> int:
    """The pages bench writes `benchmarks/results.json` whole: the last "pdf" entry is put
    back unless the pdf bench runs after it and writes a new one."""
    from bench import page_report, pages

    path = page_report.RESULTS
    kept = json.loads(path.read_text()).get("pdf") if path.exists() else None
    status = pages.run()
    if kept is not None and not _selected("pdf"):
        page_report.write({**json.loads(path.read_text()), "pdf": kept})
    return status


def main() -> None:
    status = 0
    if _selected("pages"):
        status = _run_pages()
    if _selected("pdf") or _selected("import"):
        status = max(status, run_on_throwaway_database())
    sys.exit(status)


if __name__ == "__main__":
    main()
