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

NAMES_SR = {
    "ill-treatment": "Postupanje i zlostavljanje",
    "use-of-force": "Upotreba sile i sredstava prinude",
    "legal-safeguards": "Pravne garancije",
    "registers": "Evidencije i dokumentacija",
    "material-conditions": "Materijalni uslovi",
    "food-hygiene": "Ishrana i higijena",
    "health-care": "Zdravstvena zaštita i evidentiranje povreda",
    "mental-health": "Mentalno zdravlje",
    "regime": "Režim i aktivnosti",
    "outside-contact": "Kontakt sa spoljnim svetom",
    "discipline": "Disciplinski postupak i usamljenje",
    "complaints": "Pritužbe i nadzor",
    "staff-training": "Osoblje i obuka",
    "vulnerable-groups": "Osetljive grupe",
    "deaths-incidents": "Smrtni slučajevi i ozbiljni incidenti",
    "return-preparation": "Prinudno udaljenje: priprema",
    "return-transfer": "Prinudno udaljenje: sprovođenje",
    "return-in-flight": "Prinudno udaljenje: tokom leta",
    "return-hand-over": "Prinudno udaljenje: primopredaja",
}


def seed(apps, schema_editor):
    theme_model = apps.get_model("visits", "Theme")
    for order, (code, name, forced_return) in enumerate(THEMES, start=1):
        theme_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_sr": NAMES_SR[code],
                "order": order * 10,
                "forced_return": forced_return,
            },
        )


def unseed(apps, schema_editor):
    codes = [code for code, _name, _fr in THEMES]
    apps.get_model("visits", "Theme").objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_visits")]

    operations = [migrations.RunPython(seed, unseed)]
