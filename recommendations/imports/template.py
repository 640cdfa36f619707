"""The downloadable template: the header row (the export's columns), one example row, and a
guide to each column with its allowed values (a second sheet in the XLSX; lines starting with
"#" after the example in the CSV, which the import skips)."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from visits.models import PlaceCategory, VisitKind

from ..models import Priority, Reason, Status
from .columns import COLUMNS


def example() -> dict[str, str]:
    return {
        "visit": "V-2019-004",
        "place": "Police Station Kruševac",
        "place_category": "police",
        "district": "Rasinski",
        "theme": "material-conditions",
        "priority": "normal",
        "addressees": "Police Department Kruševac; Ministry of Interior",
        "status": "partially_implemented",
        "reason": "funds",
        "dispatched_on": "2019-05-20",
        "responded_on": "2019-07-02",
        "verified_on_site": "no",
        "public": "yes",
        "visit_start": "2019-03-12",
        "visit_end": "2019-03-12",
        "visit_type": "regular",
        "report_reference": "NPM-2019-004",
        "report_issued_on": "2019-05-15",
        "number": "1",
        "response_reference": "01-2345/19",
        "stated_status": "in_progress",
        "operating_authority": "Police Department Kruševac",
        "text": "Renovate the detention rooms so that they have daylight and ventilation.",
    }


def _allowed(key: str) -> str:
    choices = {
        "place_category": PlaceCategory.choices,
        "visit_type": VisitKind.choices,
        "priority": Priority.choices,
        "status": Status.choices,
        "stated_status": [(s.value, s.label) for s in Status if s not in _AUTOMATIC],
        "reason": Reason.choices,
    }.get(key)
    if choices:
        return "; ".join(f"{code} = {label}" for code, label in choices)
    if key in ("verified_on_site", "public"):
        return _("yes / no (da / ne, да / не)")
    if key in ("dispatched_on", "responded_on", "report_issued_on", "due_date"):
        return _("a date: 2019-03-31 or 31.03.2019")
    if key in ("visit_start", "visit_end"):
        return _("a date, or a date and time: 2019-03-31 22:30")
    return ""


_AUTOMATIC = {Status.AWAITING_RESPONSE, Status.RESPONSE_RECEIVED}


def guide() -> list[list[str]]:
    rows = [[_("Column"), _("Required"), _("What it holds"), _("Allowed values")]]
    for column in COLUMNS:
        rows.append(
            [
                str(column.label),
                _("yes") if column.required else "",
                str(column.help),
                _allowed(column.key),
            ]
        )
    rows.append(
        [
            "",
            "",
            _(
                "Values are accepted by code or by their name in English or Serbian (either "
                "script). Places, authorities and themes are matched by name in either script, "
                "without regard to case, spaces and diacritics. Rows with the same report "
                "reference are one visit and its report."
            ),
            "",
        ]
    )
    return rows


def template_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Recommendations")[:31]
    sheet.append([str(c.label) for c in COLUMNS])
    values = example()
    sheet.append([values.get(c.key, "") for c in COLUMNS])
    help_sheet = workbook.create_sheet(_("Columns")[:31])
    for row in guide():
        help_sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(c.label) for c in COLUMNS])
    values = example()
    writer.writerow([values.get(c.key, "") for c in COLUMNS])
    writer.writerow([])
    for row in guide():
        writer.writerow(["# " + " | ".join(cell for cell in row if cell)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
