"""Move two-factor devices from django-otp's plugins to the project's own models, then drop the
plugins' tables (they held TOTP secrets and backup codes in clear); let the NPM head issue
enrolment links.

The plugins (otp_totp, otp_static) are no longer installed, so their tables are read with plain
SQL when they exist (a database from before this change) and skipped otherwise (a new one).
"""

import datetime as dt

from django.db import migrations
from django.utils.dateparse import parse_datetime

TOTP_TABLE = "otp_totp_totpdevice"
STATIC_DEVICE_TABLE = "otp_static_staticdevice"
STATIC_TOKEN_TABLE = "otp_static_statictoken"
# Dropped in this order (tokens refer to their device).
OLD_TABLES = [STATIC_TOKEN_TABLE, STATIC_DEVICE_TABLE, TOTP_TABLE]
OLD_APPS = ["otp_totp", "otp_static"]
HEAD_PERMISSIONS = ["add_enrolmentlink", "view_enrolmentlink"]


def _rows(cursor, connection, table):
    cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - fixed names
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _when(value):
    if isinstance(value, str):
        value = parse_datetime(value)
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)  # stored in UTC (USE_TZ)
    return value


def _device_fields(row):
    return {
        "user_id": row["user_id"],
        "name": row["name"],
        "confirmed": bool(row["confirmed"]),
        "throttling_failure_timestamp": _when(row.get("throttling_failure_timestamp")),
        "throttling_failure_count": row.get("throttling_failure_count") or 0,
        "last_used_at": _when(row.get("last_used_at")),
    }


def _keep_created_at(model, pk, row):
    # created_at is auto_now_add: set on create, so restored afterwards.
    if row.get("created_at") is not None:
        model.objects.filter(pk=pk).update(created_at=_when(row["created_at"]))


def copy_old_devices(apps, schema_editor):
    from npm_portal.security.models import backup_code_digests

    connection = schema_editor.connection
    tables = set(connection.introspection.table_names())
    authenticator = apps.get_model("npm_portal", "Authenticator")
    backup_codes = apps.get_model("npm_portal", "BackupCodes")
    backup_code = apps.get_model("npm_portal", "BackupCode")
    with connection.cursor() as cursor:
        if TOTP_TABLE in tables:
            for row in _rows(cursor, connection, TOTP_TABLE):
                # The key is encrypted on save (EncryptedTextField).
                device = authenticator.objects.create(
                    **_device_fields(row),
                    key=row["key"],
                    step=row["step"],
                    t0=row["t0"],
                    digits=row["digits"],
                    tolerance=row["tolerance"],
                    drift=row["drift"],
                    last_t=row["last_t"],
                )
                _keep_created_at(authenticator, device.pk, row)
        if STATIC_DEVICE_TABLE in tables:
            new_ids = {}
            for row in _rows(cursor, connection, STATIC_DEVICE_TABLE):
                device = backup_codes.objects.create(**_device_fields(row))
                _keep_created_at(backup_codes, device.pk, row)
                new_ids[row["id"]] = device.pk
            if STATIC_TOKEN_TABLE in tables:
                backup_code.objects.bulk_create(
                    backup_code(
                        device_id=new_ids[row["device_id"]],
                        digest=backup_code_digests(row["token"])[0],
                    )
                    for row in _rows(cursor, connection, STATIC_TOKEN_TABLE)
                    if row["device_id"] in new_ids
                )
    for table in OLD_TABLES:
        if table in tables:
            schema_editor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
    # The plugins may be installed again one day: their migrations then start afresh.
    with connection.cursor() as cursor:
        if "django_migrations" in tables:
            placeholders = ", ".join(["%s"] * len(OLD_APPS))
            cursor.execute(
                f"DELETE FROM django_migrations WHERE app IN ({placeholders})",  # noqa: S608
                OLD_APPS,
            )


def grant_enrolment_links(apps, schema_editor):
    """The NPM head issues enrolment links. (`core.roles.sync_roles` sets a group's permissions
    to exactly ROLE_PERMISSIONS: the head's list there needs the same two permissions.)"""
    from django.contrib.auth.management import create_permissions

    from core.roles import Role

    config = apps.get_app_config("npm_portal")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    head, _created = group_model.objects.get_or_create(name=Role.HEAD.value)
    head.permissions.add(
        *permission_model.objects.filter(
            content_type__app_label="npm_portal", codename__in=HEAD_PERMISSIONS
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("npm_portal", "0003_security_models"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(copy_old_devices, migrations.RunPython.noop),
        migrations.RunPython(grant_enrolment_links, migrations.RunPython.noop),
    ]
