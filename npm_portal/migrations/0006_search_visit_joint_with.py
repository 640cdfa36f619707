"""A trigram index on npm_fold(visits_visit.joint_with): the visits search reads the visits
whose purpose or joint body matches as one bitmap OR of two index scans (visits.filters), not
by folding every visit's text (PostgreSQL only, as 0005)."""

from django.db import migrations

INDEX = "visit_joint_with_fold_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON visits_visit "
        "USING gin (npm_fold(joint_with) gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("npm_portal", "0005_search_folding")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
