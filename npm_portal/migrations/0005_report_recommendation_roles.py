from django.db import migrations


def sync(apps, schema_editor):
    from npm_portal.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    """Give the roles the permissions of reports and recommendations (see ROLE_PERMISSIONS)."""

    dependencies = [
        ("npm_portal", "0004_visit_roles"),
        ("visits", "0004_reports"),
        ("recommendations", "0005_recommendations"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
