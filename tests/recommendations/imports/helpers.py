"""Files to import, built in the tests."""

from __future__ import annotations

import csv
import io

from django.apps import apps
from django.db import connection

from recommendations.imports.columns import COLUMNS

HEADER = [str(c.label) for c in COLUMNS]


def row(**values) -> dict:
    base = {
        "place": "Police Station Kruševac",
        "addressees": "Police Department Kruševac; Ministry of Interior",
        "visit_start": "2019-03-12",
        "report_reference": "NPM-2019-004",
        "report_issued_on": "2019-05-15",
        "number": "1",
        "text": "Renovate the detention rooms.",
        "dispatched_on": "2019-05-20",
    }
    base.update(values)
    return base


def csv_file(rows: list[dict], header: list[str] | None = None, delimiter: str = ",") -> bytes:
    """A CSV with the template's header (or `header`, a list of keys→header names)."""
    keys = [c.key for c in COLUMNS]
    names = header or HEADER
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(names)
    for values in rows:
        writer.writerow([values.get(k, "") for k in keys])
    return buffer.getvalue().encode("utf-8")


def table_counts() -> dict[str, int]:
    """Rows in every table of the project (history tables and the access log included)."""
    counts = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in counts:
                continue
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - table names from models
            counts[table] = cursor.fetchone()[0]
    return counts
