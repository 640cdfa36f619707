from django.db import migrations

import core.crypto
from core.encrypt_in_place import convert_columns

APP = "visits"
# What becomes encrypted at rest (issue #17): model, fields.
COLUMNS = [
    ("interview", ["interviewee", "allegation", "consent", "reprisal_risk"]),
    ("historicalinterview", ["interviewee", "allegation", "consent", "reprisal_risk"]),
    ("attachment", ["title", "original_name"]),
    ("historicalattachment", ["title", "original_name"]),
    ("reportsection", ["body"]),
    ("historicalreportsection", ["body"]),
    ("sectionautosave", ["body"]),
]


def encrypt_values(apps, schema_editor):
    convert_columns(apps, schema_editor, APP, COLUMNS, forward=True)


def decrypt_values(apps, schema_editor):
    convert_columns(apps, schema_editor, APP, COLUMNS, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0003_access_log_chain"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="interview",
            name="interview_interviewee_valid",
        ),
        migrations.RemoveConstraint(
            model_name="interview",
            name="interview_consent_valid",
        ),
        migrations.RemoveConstraint(
            model_name="interview",
            name="interview_reprisal_risk_valid",
        ),
        migrations.AlterField(
            model_name="attachment",
            name="original_name",
            field=core.crypto.EncryptedCharField(
                editable=False, max_length=255, verbose_name="original file name"
            ),
        ),
        migrations.AlterField(
            model_name="attachment",
            name="title",
            field=core.crypto.EncryptedCharField(max_length=200, verbose_name="title"),
        ),
        migrations.AlterField(
            model_name="historicalattachment",
            name="original_name",
            field=core.crypto.EncryptedCharField(
                editable=False, max_length=255, verbose_name="original file name"
            ),
        ),
        migrations.AlterField(
            model_name="historicalattachment",
            name="title",
            field=core.crypto.EncryptedCharField(max_length=200, verbose_name="title"),
        ),
        migrations.AlterField(
            model_name="historicalinterview",
            name="allegation",
            field=core.crypto.EncryptedBooleanField(
                default=False, verbose_name="allegation of ill-treatment"
            ),
        ),
        migrations.AlterField(
            model_name="historicalinterview",
            name="consent",
            field=core.crypto.EncryptedCharField(
                choices=[
                    ("none", "No consent"),
                    ("anonymised", "Anonymised use"),
                    ("named", "May be named"),
                    ("authority", "May be shared with the authority"),
                ],
                default="none",
                max_length=20,
                verbose_name="consent",
            ),
        ),
        migrations.AlterField(
            model_name="historicalinterview",
            name="interviewee",
            field=core.crypto.EncryptedCharField(
                choices=[
                    ("detainee", "Detainee / resident"),
                    ("staff", "Staff"),
                    ("management", "Management"),
                    ("medical", "Medical staff"),
                    ("family", "Family"),
                ],
                max_length=20,
                verbose_name="interviewee",
            ),
        ),
        migrations.AlterField(
            model_name="historicalinterview",
            name="reprisal_risk",
            field=core.crypto.EncryptedCharField(
                choices=[("none", "None"), ("low", "Low"), ("high", "High")],
                default="none",
                max_length=10,
                verbose_name="reprisal risk",
            ),
        ),
        migrations.AlterField(
            model_name="historicalreportsection",
            name="body",
            field=core.crypto.EncryptedTextField(blank=True, verbose_name="text (Markdown)"),
        ),
        migrations.AlterField(
            model_name="interview",
            name="allegation",
            field=core.crypto.EncryptedBooleanField(
                default=False, verbose_name="allegation of ill-treatment"
            ),
        ),
        migrations.AlterField(
            model_name="interview",
            name="consent",
            field=core.crypto.EncryptedCharField(
                choices=[
                    ("none", "No consent"),
                    ("anonymised", "Anonymised use"),
                    ("named", "May be named"),
                    ("authority", "May be shared with the authority"),
                ],
                default="none",
                max_length=20,
                verbose_name="consent",
            ),
        ),
        migrations.AlterField(
            model_name="interview",
            name="interviewee",
            field=core.crypto.EncryptedCharField(
                choices=[
                    ("detainee", "Detainee / resident"),
                    ("staff", "Staff"),
                    ("management", "Management"),
                    ("medical", "Medical staff"),
                    ("family", "Family"),
                ],
                max_length=20,
                verbose_name="interviewee",
            ),
        ),
        migrations.AlterField(
            model_name="interview",
            name="reprisal_risk",
            field=core.crypto.EncryptedCharField(
                choices=[("none", "None"), ("low", "Low"), ("high", "High")],
                default="none",
                max_length=10,
                verbose_name="reprisal risk",
            ),
        ),
        migrations.AlterField(
            model_name="reportsection",
            name="body",
            field=core.crypto.EncryptedTextField(blank=True, verbose_name="text (Markdown)"),
        ),
        migrations.AlterField(
            model_name="sectionautosave",
            name="body",
            field=core.crypto.EncryptedTextField(blank=True),
        ),
        migrations.RunPython(encrypt_values, decrypt_values),
    ]
