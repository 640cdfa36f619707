from django.db import migrations


def sync_roles(apps, schema_editor):
    # Give the role groups the permissions of the partner models created by the partners app.
    from npm_portal.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("npm_portal", "0002_roles"),
        ("partners", "0001_partners"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
