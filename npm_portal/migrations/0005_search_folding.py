"""The search's folding in SQL (core.search): PostgreSQL's unaccent and pg_trgm extensions, the
IMMUTABLE function npm_fold(text) and GIN trigram indexes on npm_fold(column) of the columns
searched at scale, so `npm_fold(column) LIKE '%text%'` is an index scan at 200,000
recommendations. SQLite needs nothing here: core.apps registers npm_fold on each connection."""

from django.db import migrations

from core.search import fold_function_sql

# (index, table, column): the texts searched at a decade's data, and the place names every
# search joins through.
INDEXES = [
    ("recommendation_text_fold_trgm", "recommendations_recommendation", "text"),
    ("place_name_fold_trgm", "visits_place", "name"),
    ("place_name_sr_fold_trgm", "visits_place", "name_sr"),
    ("place_municipality_fold_trgm", "visits_place", "municipality"),
    ("report_reference_fold_trgm", "visits_report", "reference"),
    ("report_title_fold_trgm", "visits_report", "title"),
    ("visit_purpose_fold_trgm", "visits_visit", "purpose"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'unaccent'"
        )
        schema = cursor.fetchone()[0]
    # unaccent() is only STABLE; naming its dictionary (schema-qualified) makes the wrapper
    # safe to declare IMMUTABLE, which an index expression needs.
    schema_editor.execute(fold_function_sql(schema))
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin (npm_fold({column}) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS npm_fold(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("npm_portal", "0004_security_data"),
        ("recommendations", "0007_annual_report"),
        ("visits", "0010_report_docx"),
        ("partners", "0002_organisation_name_sr"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
