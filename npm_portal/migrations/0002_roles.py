from django.db import migrations


def create_roles(apps, schema_editor):
    from core.roles import sync_roles

    sync_roles(apps)


def delete_roles(apps, schema_editor):
    from core.roles import Role

    apps.get_model("auth", "Group").objects.filter(name__in=Role.values).delete()


class Migration(migrations.Migration):
    """The role groups with their permissions (core.roles.ROLE_PERMISSIONS), once every app's
    models exist."""

    dependencies = [
        ("npm_portal", "0001_user"),
        ("partners", "0001_partners"),
        ("visits", "0002_seed_themes"),
        ("recommendations", "0002_pg_trgm"),
    ]

    operations = [migrations.RunPython(create_roles, delete_roles)]
