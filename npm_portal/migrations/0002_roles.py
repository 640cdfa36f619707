from django.db import migrations


def create_roles(apps, schema_editor):
    from npm_portal.roles import sync_roles

    sync_roles(apps)


def delete_roles(apps, schema_editor):
    from npm_portal.roles import Role

    apps.get_model("auth", "Group").objects.filter(name__in=Role.values).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("npm_portal", "0001_user"),
        ("visits", "0001_authorities_and_places"),
    ]

    operations = [migrations.RunPython(create_roles, delete_roles)]
