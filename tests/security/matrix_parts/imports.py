"""The import of past years: staff and the head only (compliance 403, partner-only users 404,
like the tracker's other write pages)."""

from __future__ import annotations

from recommendations.models import ImportBatch

WRITERS = "L 200 200 403 404 404"

MATRIX = {
    "recommendations:import": WRITERS,
    "recommendations:import_confirm": "L 405 405 405 405 405",
    "recommendations:import_template_xlsx": WRITERS,
    "recommendations:import_template_csv": WRITERS,
    "recommendations:import_batch": WRITERS,
    "recommendations:import_undo": WRITERS,
}

# Columns: anonymous partner_off partner_on compliance staff head.
POST_MATRIX = {
    # No file: the form again with its error.
    "recommendations:import": "L 404 404 403 400 400",
    # No token: back to the upload page with a message.
    "recommendations:import_confirm": "L 404 404 403 R R",
    # Not confirmed: the confirmation page again.
    "recommendations:import_undo": "L 404 404 403 400 400",
}

ARGUMENTS = {
    "recommendations:import_batch": lambda w: {"pk": w.objects["import_batch"].pk},
    "recommendations:import_undo": lambda w: {"pk": w.objects["import_batch"].pk},
}


def extend_world(world) -> None:
    world.objects["import_batch"] = ImportBatch.objects.create(
        file_name="past-years.csv", sha256="0" * 64, rows=0
    )
