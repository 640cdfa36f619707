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

from visits.models import Authority

from .imports import columns
from .imports.values import FORMULA_PREFIXES
from .models import Recommendation, ResponseItem
from .queries.repeats import repeat_counts


def headers() -> list[str]:
    """The columns of the import file (`imports.columns`), so an export imports as it is."""
    return columns.headers()


def neutralise(value):
    """A leading apostrophe keeps a text cell from being read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _local(value: dt.datetime | None) -> dt.datetime | None:
    """A visit's time as the local wall-clock time (spreadsheets know no time zones)."""
    return (
        timezone.localtime(value).replace(tzinfo=None, second=0, microsecond=0) if value else None
    )


def _first_letters(recommendations: list[Recommendation]) -> dict[int, ResponseItem]:
    """The item of the first letter answering each recommendation (one query)."""
    items = (
        ResponseItem.objects.filter(recommendation__in=[r.pk for r in recommendations])
        .select_related("response")
        .order_by("recommendation_id", "response__received_on", "response_id")
    )
    first: dict[int, ResponseItem] = {}
    for item in items:
        first.setdefault(item.recommendation_id, item)
    return first


def rows(recommendations: Iterable[Recommendation], today: dt.date | None = None) -> Iterator[list]:
    """One list per recommendation, in the order of `headers()`: dates as dates, yes/no as text,
    everything else text."""
    today = today or timezone.localdate()
    recommendations = list(recommendations)
    counts = repeat_counts(recommendations)
    letters = _first_letters(recommendations)
    operators = dict(
        Authority.objects.filter(
            pk__in={rec.visit.place.authority_id for rec in recommendations}
        ).values_list("pk", "name")
    )
    yes, no = _("yes"), _("no")
    for rec in recommendations:
        visit, place = rec.visit, rec.visit.place
        report = getattr(visit, "report", None)
        letter = letters.get(rec.pk)
        addressees = list(rec.addressees.all())
        if letter is not None:
            # The authority that answered first comes first: the import takes the letter's
            # sender from the first addressee.
            addressees.sort(key=lambda a: a.pk != letter.response.authority_id)
        values = {
            "reference": rec.reference,
            "visit": visit.reference,
            "place": place.name,
            "place_category": place.get_category_display(),
            "district": place.district,
            "year": visit.year,
            "theme": rec.theme.label if rec.theme else "",
            "priority": rec.get_priority_display(),
            "addressees": "; ".join(a.name for a in addressees),
            "status": rec.get_status_display(),
            "reason": rec.get_reason_display() if rec.reason else "",
            "due_date": rec.due_date,
            "dispatched_on": rec.dispatched_on,
            "responded_on": rec.responded_on,
            "overdue": yes if rec.is_overdue(today) else no,
            "verified_on_site": yes if rec.verified_on_site else no,
            "public": yes if rec.public else no,
            "times_raised": counts.get(rec.pk, 1),
            "visit_start": _local(visit.start),
            "visit_end": _local(visit.end),
            "visit_type": visit.get_kind_display(),
            "report_reference": report.reference if report else "",
            "report_issued_on": report.issued_on if report else None,
            "number": rec.number,
            "response_reference": letter.response.reference if letter else "",
            "stated_status": letter.get_stated_status_display() if letter else "",
            "operating_authority": operators.get(place.authority_id, ""),
            "status_since": rec.status_changed_on,
            "text": rec.text,
        }
        yield [values[column.key] for column in columns.COLUMNS]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
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
