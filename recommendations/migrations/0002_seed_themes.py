from django.db import migrations

# (code, name, forced-return theme) — the vocabulary of DESIGN.md; editable afterwards in the admin.
THEMES = [
    ("ill-treatment", "Treatment and ill-treatment", False),
    ("use-of-force", "Use of force and means of restraint", False),
    ("legal-safeguards", "Legal safeguards", False),
    ("registers", "Registers and documentation", False),
    ("material-conditions", "Material conditions", False),
    ("food-hygiene", "Food and hygiene", False),
    ("health-care", "Health care and recording of injuries", False),
    ("mental-health", "Mental health", False),
    ("regime", "Regime and activities", False),
    ("outside-contact", "Contact with the outside world", False),
    ("discipline", "Discipline and solitary confinement", False),
    ("complaints", "Complaints and inspection", False),
    ("staff-training", "Staff and training", False),
    ("vulnerable-groups", "Vulnerable groups", False),
    ("deaths-incidents", "Deaths and serious incidents", False),
    ("return-preparation", "Forced return: preparation", True),
    ("return-transfer", "Forced return: transfer", True),
    ("return-in-flight", "Forced return: in flight", True),
    ("return-hand-over", "Forced return: hand-over", True),
]


def seed(apps, schema_editor):
    theme_model = apps.get_model("recommendations", "Theme")
    for order, (code, name, forced_return) in enumerate(THEMES, start=1):
        theme_model.objects.get_or_create(
            code=code, defaults={"name": name, "order": order * 10, "forced_return": forced_return}
        )


def unseed(apps, schema_editor):
    codes = [code for code, _name, _fr in THEMES]
    apps.get_model("recommendations", "Theme").objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0001_theme"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
