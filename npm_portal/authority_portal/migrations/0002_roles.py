from django.db import migrations


def sync(apps, schema_editor):
    from core.roles import sync_roles

    sync_roles(apps)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Authority user").delete()


class Migration(migrations.Migration):
    """The "Authority user" role group, and the authority portal's permissions for the NPM roles
    (core.roles.ROLE_PERMISSIONS)."""

    dependencies = [
        ("authority_portal", "0001_authority_portal"),
        ("npm_portal", "0004_security_data"),
        ("recommendations", "0005_assessment_progress"),
        ("visits", "0007_dispatch_full_version_shared"),
    ]

    operations = [migrations.RunPython(sync, remove_group)]
