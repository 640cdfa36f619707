"""CSV and XLSX exports of the tracker's filtered set. Only what the tracker shows and the public
record knows: no interview data, no identities, no internal notes.

Both are streamed in constant memory, however many rows: the recommendations are read
`CHUNK_SIZE` at a time (`QuerySet.iterator`), and what each row needs from other tables (its
first letter, how many times it was raised, the place's operating authority, its addressees) is
read once per chunk. The CSV goes out as it is written; the XLSX is written to a temporary file
first (a zip's directory comes last) and sent from there.
"""

from __future__ import annotations

import contextvars
import csv
import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from visits.models import Place, Theme, Visit

from .imports import columns
from .imports.values import FORMULA_PREFIXES
from .models import Recommendation, ResponseItem
from .queries.repeats import repeat_counts

# Recommendations read (and looked up in the other tables) at a time.
CHUNK_SIZE = 2000
# What the rows are made of (`row_chunks`), read and no more: model instances of every field
# of the visit, place and report are most of an export's time.
FIELDS = [
    "number",
    "text",
    "priority",
    "status",
    "reason",
    "verified_on_site",
    "public",
    "due_date",
    "dispatched_on",
    "responded_on",
    "status_changed_on",
    "theme",
    "visit",
    "visit__year",
    "visit__number",
    "visit__kind",
    "visit__planned_start",
    "visit__planned_end",
    "visit__actual_start",
    "visit__actual_end",
    "visit__place",
    "visit__place__name",
    "visit__place__category",
    "visit__place__district",
    "visit__place__authority",
    "visit__place__authority__name",
    "visit__report__visit",
    "visit__report__reference",
    "visit__report__issued_on",
]
# An XLSX up to this size is written in memory, a larger one to a temporary file on disk.
XLSX_IN_MEMORY = 8 * 1024 * 1024
XLSX_BLOCK = 64 * 1024
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


@dataclass(frozen=True)
class _Letter:
    authority_id: int
    reference: str
    stated_status: str


def _first_letters(ids: list[int]) -> dict[int, _Letter]:
    """What the first letter answering each recommendation says of it (one query)."""
    items = (
        ResponseItem.objects.filter(recommendation__in=ids)
        .order_by("recommendation_id", "response__received_on", "response_id")
        .values_list(
            "recommendation_id", "response__authority_id", "response__reference", "stated_status"
        )
    )
    first: dict[int, _Letter] = {}
    for pk, *letter in items:
        if pk not in first:
            first[pk] = _Letter(*letter)
    return first


def _addressees(ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """Each recommendation's addressees, (pk, name) by name as `Authority` orders (one query;
    lighter than a prefetch: no model instance, no manager per row)."""
    links = (
        Recommendation.addressees.through.objects.filter(recommendation_id__in=ids)
        .order_by("authority__name")
        .values_list("recommendation_id", "authority_id", "authority__name")
    )
    addressees: dict[int, list[tuple[int, str]]] = {}
    for pk, authority, name in links:
        addressees.setdefault(pk, []).append((authority, name))
    return addressees


class _Labels:
    """The display labels of the choices and the themes, translated once per export
    (`get_FOO_display` looks every choice up again for every row)."""

    def __init__(self):
        def of(model, name: str) -> dict:
            return {value: str(label) for value, label in model._meta.get_field(name).flatchoices}

        self.category = of(Place, "category")
        self.kind = of(Visit, "kind")
        self.priority = of(Recommendation, "priority")
        self.status = of(Recommendation, "status")
        self.reason = of(Recommendation, "reason")
        self.stated = of(ResponseItem, "stated_status")
        self.themes = {theme.pk: theme.label for theme in Theme.objects.all()}  # a vocabulary

    def theme(self, rec: Recommendation) -> str:
        return self.themes[rec.theme_id] if rec.theme_id is not None else ""


def _chunks(recommendations: Iterable[Recommendation]) -> Iterator[list[Recommendation]]:
    if isinstance(recommendations, QuerySet):
        # The addressees are read per chunk here (`_addressees`), not prefetched.
        recommendations = (
            recommendations.prefetch_related(None)
            .select_related(None)
            .select_related("visit__place__authority", "visit__report")
            .only(*FIELDS)
            .iterator(chunk_size=CHUNK_SIZE)
        )
    iterator = iter(recommendations)
    while chunk := list(islice(iterator, CHUNK_SIZE)):
        yield chunk


def row_chunks(
    recommendations: Iterable[Recommendation], today: dt.date | None = None
) -> Iterator[list[list]]:
    """The rows of `rows`, a chunk of recommendations at a time."""
    today = today or timezone.localdate()
    labels = _Labels()
    yes, no = _("yes"), _("no")
    for chunk in _chunks(recommendations):
        ids = [rec.pk for rec in chunk]
        counts = repeat_counts(chunk)
        letters = _first_letters(ids)
        addressees_of = _addressees(ids)
        # The operating authority comes with the row (select_related): no query per chunk.
        operators = {
            rec.visit.place.authority_id: rec.visit.place.authority.name
            for rec in chunk
            if rec.visit.place.authority_id is not None
        }
        chunk_rows = []
        for rec in chunk:
            visit, place = rec.visit, rec.visit.place
            report = getattr(visit, "report", None)
            letter = letters.get(rec.pk)
            addressees = addressees_of.get(rec.pk, [])
            if letter is not None:
                # The authority that answered first comes first: the import takes the letter's
                # sender from the first addressee.
                addressees.sort(key=lambda a, letter=letter: a[0] != letter.authority_id)
            values = {
                "reference": rec.reference,
                "visit": visit.reference,
                "place": place.name,
                "place_category": labels.category.get(place.category, place.category),
                "district": place.district,
                "year": visit.year,
                "theme": labels.theme(rec),
                "priority": labels.priority.get(rec.priority, rec.priority),
                "addressees": "; ".join(name for _pk, name in addressees),
                "status": labels.status.get(rec.status, rec.status),
                "reason": labels.reason.get(rec.reason, rec.reason) if rec.reason else "",
                "due_date": rec.due_date,
                "dispatched_on": rec.dispatched_on,
                "responded_on": rec.responded_on,
                "overdue": yes if rec.is_overdue(today) else no,
                "verified_on_site": yes if rec.verified_on_site else no,
                "public": yes if rec.public else no,
                "times_raised": counts.get(rec.pk, 1),
                "visit_start": _local(visit.start),
                "visit_end": _local(visit.end),
                "visit_type": labels.kind.get(visit.kind, visit.kind),
                "report_reference": report.reference if report else "",
                "report_issued_on": report.issued_on if report else None,
                "number": rec.number,
                "response_reference": letter.reference if letter else "",
                "stated_status": (
                    labels.stated.get(letter.stated_status, letter.stated_status) if letter else ""
                ),
                "operating_authority": operators.get(place.authority_id, ""),
                "status_since": rec.status_changed_on,
                "text": rec.text,
            }
            chunk_rows.append([values[column.key] for column in columns.COLUMNS])
        yield chunk_rows


def rows(recommendations: Iterable[Recommendation], today: dt.date | None = None) -> Iterator[list]:
    """One list per recommendation, in the order of `headers()`: dates as dates, yes/no as text,
    everything else text."""
    for chunk in row_chunks(recommendations, today):
        yield from chunk


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class _Echo:
    """A file that hands back what is written to it: `csv.writer` formats, the caller sends."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(
    recommendations: Iterable[Recommendation], today: dt.date | None = None
) -> Iterator[bytes]:
    """The CSV file, a chunk of rows at a time."""
    writer = csv.writer(_Echo())
    # The byte-order mark makes Excel read the file as UTF-8 (Š, ž, ć…).
    yield ("\ufeff" + writer.writerow(headers())).encode("utf-8")
    for chunk in row_chunks(recommendations, today):
        lines = (writer.writerow([neutralise(_text(value)) for value in row]) for row in chunk)
        yield "".join(lines).encode("utf-8")


def write_xlsx(recommendations: Iterable[Recommendation], file) -> None:
    """The workbook into `file` (write-only: rows are not kept in memory)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Recommendations")[:31])
    sheet.append(headers())
    for chunk in row_chunks(recommendations):
        for row in chunk:
            sheet.append([neutralise(str(v)) if isinstance(v, str) else v for v in row])
    workbook.save(file)


class _WholeContent:
    """`content` joins the stream, for a caller that wants the whole file at once (a test); a
    client is sent it as a stream all the same."""

    @property
    def content(self) -> bytes:
        content = b"".join(self.streaming_content)
        self.streaming_content = [content]
        return content


class CsvResponse(_WholeContent, StreamingHttpResponse):
    pass


class XlsxResponse(_WholeContent, FileResponse):
    block_size = XLSX_BLOCK


ExportResponse = CsvResponse | XlsxResponse


def _in_this_context(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """`chunks` made in the context variables of the caller (the view), though the body is
    written after the view has returned: e.g. `core.replica`'s choice of database."""
    context = contextvars.copy_context()  # now, not at the first chunk

    def run() -> Iterator[bytes]:
        try:
            while True:
                try:
                    yield context.run(next, chunks)
                except StopIteration:
                    return
        finally:  # the client may go away mid-file: the database cursor is closed there too
            context.run(chunks.close)

    return run()


def csv_response(recommendations: Iterable[Recommendation]) -> CsvResponse:
    """Written as it is sent, after the view has returned: in the request's language, with the
    request's day, in the view's context."""
    language, today = translation.get_language(), timezone.localdate()

    def body() -> Iterator[bytes]:
        with translation.override(language):
            yield from csv_chunks(recommendations, today)

    return CsvResponse(_in_this_context(body()), content_type=CSV_TYPE)


def xlsx_response(recommendations: Iterable[Recommendation]) -> XlsxResponse:
    """Written here, sent from the temporary file (closed, and deleted, with the response)."""
    file = tempfile.SpooledTemporaryFile(XLSX_IN_MEMORY)  # noqa: SIM115 (the response closes it)
    try:
        write_xlsx(recommendations, file)
        file.seek(0)
    except BaseException:
        file.close()
        raise
    return XlsxResponse(file, content_type=XLSX_TYPE)
