from django.db import migrations


def sync(apps, schema_editor):
    from npm_portal.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    """Give the roles the permissions of the visit models (see ROLE_PERMISSIONS)."""

    dependencies = [
        ("npm_portal", "0003_partner_roles"),
        ("visits", "0002_visits_teams_findings_interviews"),
        ("recommendations", "0002_seed_themes"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
