from django.db import migrations

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


def name_in_serbian(apps, schema_editor):
    theme_model = apps.get_model("recommendations", "Theme")
    for code, name_sr in NAMES_SR.items():
        theme_model.objects.filter(code=code, name_sr="").update(name_sr=name_sr)


def forget_serbian(apps, schema_editor):
    apps.get_model("recommendations", "Theme").objects.filter(code__in=NAMES_SR).update(name_sr="")


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0003_theme_name_sr")]

    operations = [migrations.RunPython(name_in_serbian, forget_serbian)]
