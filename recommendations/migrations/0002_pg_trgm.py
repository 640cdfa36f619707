from django.db import migrations, transaction


def create_trigram_extension(apps, schema_editor):
    """pg_trgm lets repeat suggestions rank similar texts. Without the right to create it, the
    suggestions fall back to word overlap (recommendations.repeats), so failure is not fatal."""
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # noqa: BLE001 - any refusal means "use the fallback"
        return


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0001_recommendations")]

    operations = [migrations.RunPython(create_trigram_extension, migrations.RunPython.noop)]
