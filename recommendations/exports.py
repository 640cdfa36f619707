"""CSV and XLSX exports of the tracker's filtered set. Only what the tracker shows and the public
record knows: no interview data, no identities, no internal notes."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .models import Recommendation
from .queries.repeats import repeat_counts

# Spreadsheets run a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def headers() -> list[str]:
    return [
        _("Reference"),
        _("Visit"),
        _("Place"),
        _("Place category"),
        _("District"),
        _("Year"),
        _("Theme"),
        _("Priority"),
        _("Addressees"),
        _("Status"),
        _("Reason"),
        _("Due date"),
        _("Dispatched on"),
        _("First response on"),
        _("Overdue"),
        _("Verified on site"),
        _("Public"),
        _("Times raised"),
        _("Text"),
    ]


def neutralise(value):
    """A leading apostrophe keeps a text cell from being read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def rows(recommendations: Iterable[Recommendation], today: dt.date | None = None) -> Iterator[list]:
    """One list per recommendation: dates as dates, yes/no as text, everything else text."""
    today = today or timezone.localdate()
    recommendations = list(recommendations)
    counts = repeat_counts(recommendations)
    yes, no = _("yes"), _("no")
    for rec in recommendations:
        place = rec.visit.place
        yield [
            rec.reference,
            rec.visit.reference,
            place.name,
            place.get_category_display(),
            place.district,
            rec.visit.year,
            rec.theme.label if rec.theme else "",
            rec.get_priority_display(),
            "; ".join(a.name for a in rec.addressees.all()),
            rec.get_status_display(),
            rec.get_reason_display() if rec.reason else "",
            rec.due_date,
            rec.dispatched_on,
            rec.responded_on,
            yes if rec.is_overdue(today) else no,
            yes if rec.verified_on_site else no,
            yes if rec.public else no,
            counts.get(rec.pk, 1),
            rec.text,
        ]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def to_csv(recommendations: Iterable[Recommendation]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers())
    for row in rows(recommendations):
        writer.writerow([neutralise(_text(value)) for value in row])
    # The byte-order mark makes Excel read the file as UTF-8 (Š, ž, ć…).
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(recommendations: Iterable[Recommendation]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Recommendations")[:31])
    sheet.append(headers())
    for row in rows(recommendations):
        sheet.append([neutralise(str(v)) if isinstance(v, str) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
