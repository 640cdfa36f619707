from django.db import migrations

import core.crypto
from core.encrypt_in_place import convert_columns

APP = "recommendations"
# What becomes encrypted at rest (issue #17): model, fields.
COLUMNS = [
    ("authorityresponse", ["note"]),
    ("historicalauthorityresponse", ["note"]),
    ("assessment", ["note"]),
]


def encrypt_values(apps, schema_editor):
    convert_columns(apps, schema_editor, APP, COLUMNS, forward=True)


def decrypt_values(apps, schema_editor):
    convert_columns(apps, schema_editor, APP, COLUMNS, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0002_pg_trgm"),
    ]

    operations = [
        migrations.AlterField(
            model_name="assessment",
            name="note",
            field=core.crypto.EncryptedTextField(blank=True, verbose_name="note"),
        ),
        migrations.AlterField(
            model_name="authorityresponse",
            name="note",
            field=core.crypto.EncryptedTextField(blank=True, verbose_name="note"),
        ),
        migrations.AlterField(
            model_name="historicalauthorityresponse",
            name="note",
            field=core.crypto.EncryptedTextField(blank=True, verbose_name="note"),
        ),
        migrations.RunPython(encrypt_values, decrypt_values),
    ]
