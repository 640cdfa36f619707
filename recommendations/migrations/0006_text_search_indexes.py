"""Trigram indexes for the tracker's and the portal's text search (`icontains`, which Django
writes as `UPPER(column) LIKE UPPER(%s)`): PostgreSQL only, with its contrib extension pg_trgm
(created by 0002_pg_trgm where the database user may; without it the search scans, as it does
on SQLite, correct but slow at a decade's data: README, Production deployment)."""

from django.db import migrations

INDEXES = [
    ("recommendation_text_trgm", "recommendations_recommendation", "text"),
    ("place_name_trgm", "visits_place", "name"),
    ("report_reference_trgm", "visits_report", "reference"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            return
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER({column}) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0005_assessment_progress"),
        ("visits", "0007_dispatch_full_version_shared"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
