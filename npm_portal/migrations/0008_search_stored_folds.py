"""The folded form of each column searched at scale, stored (PostgreSQL only, as 0005): a
generated column `<column>_folded` = npm_fold(column), written with the row, and the trigram
index moved from the expression npm_fold(column) onto it. An index recheck, or a scan of a
small table, then reads the folded text instead of calling npm_fold again on every row it
tests (core.search.STORED_FOLDED, which lists the same columns: tests/search check that the two
agree).

The generated columns are not model fields: Django never writes them, PostgreSQL computes them
on every INSERT and UPDATE. A column of this list cannot change type while its folded column
exists (drop it, alter, add it back); a new npm_fold must be followed by
`UPDATE table SET column = column` on these tables."""

from django.db import migrations

# (table, column, index): the indexes keep the names of 0005 and 0006.
COLUMNS = [
    ("recommendations_recommendation", "text", "recommendation_text_fold_trgm"),
    ("visits_place", "name", "place_name_fold_trgm"),
    ("visits_place", "name_sr", "place_name_sr_fold_trgm"),
    ("visits_place", "municipality", "place_municipality_fold_trgm"),
    ("visits_report", "reference", "report_reference_fold_trgm"),
    ("visits_report", "title", "report_title_fold_trgm"),
    ("visits_visit", "purpose", "visit_purpose_fold_trgm"),
    ("visits_visit", "joint_with", "visit_joint_with_fold_trgm"),
]


def store(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column, index in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN {column}_folded text "
            f"GENERATED ALWAYS AS (npm_fold({column})) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX {index} ON {table} USING gin ({column}_folded gin_trgm_ops)"
        )


def unstore(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column, index in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN {column}_folded")
        schema_editor.execute(
            f"CREATE INDEX {index} ON {table} USING gin (npm_fold({column}) gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("npm_portal", "0007_search_fold_latin_fast"),
        ("recommendations", "0007_annual_report"),
        ("visits", "0011_districts"),
    ]

    operations = [migrations.RunPython(store, unstore, elidable=False)]
