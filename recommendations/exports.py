"""CSV and XLSX exports of the tracker's filtered set. Only what the tracker shows and the public
record knows: no interview data, no identities, no internal notes.

Both are streamed in constant memory, however many rows: the recommendations are read
`CHUNK_SIZE` at a time (`QuerySet.iterator`), and what each row needs from other tables (its
first letter, how many times it was raised, the place's operating authority, its addressees) is
read with the rows, as correlated subqueries: an export is one query, whatever its size.
Both files go out as they are written (the XLSX by `xlsx.stream_xlsx`).
"""

from __future__ import annotations

import contextlib
import contextvars
import csv
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from django.db import connections, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from visits.models import Authority, Place, Theme, Visit

from .imports import columns
from .imports.values import FORMULA_PREFIXES
from .models import AuthorityResponse, Recommendation, ResponseItem
from .xlsx import stream_xlsx

# Recommendations read (and looked up in the other tables) at a time.
CHUNK_SIZE = 2000
# What the rows are made of (`row_chunks`): values, not model instances (five of them a row, for
# the recommendation, its visit, place, authority and report, were half of an export's time).
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
    "theme_id",
    "visit__year",
    "visit__number",
    "visit__kind",
    "visit__planned_start",
    "visit__planned_end",
    "visit__actual_start",
    "visit__actual_end",
    "visit__place__name",
    "visit__place__category",
    "visit__place__district",
    "visit__place__authority__name",
    "visit__report__reference",
    "visit__report__issued_on",
    "export_letter",
    "export_addressees",
    "export_raised",
]
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


def _sql(connection) -> dict[str, str]:
    """What each row needs from other tables, as correlated subqueries of the row query, so an
    export is one query however many rows (PostgreSQL and SQLite spell JSON differently).

    `letter`: the first letter answering the recommendation, [authority, reference, stated
    status]; `addressees`: [[pk, name], …] by name as `Authority` orders; `raised`: how many
    times it was raised, itself and every earlier recommendation it repeats, transitively
    (cycles included, as `queries.repeats.repeat_counts`)."""
    vendor, quote = connection.vendor, connection.ops.quote_name
    rec = quote(Recommendation._meta.db_table)
    links = quote(Recommendation.addressees.through._meta.db_table)
    repeats = quote(Recommendation.repeats.through._meta.db_table)
    authority = quote(Authority._meta.db_table)
    item, letter = quote(ResponseItem._meta.db_table), quote(AuthorityResponse._meta.db_table)
    array = "json_build_array" if vendor == "postgresql" else "json_array"
    as_text = "::text" if vendor == "postgresql" else ""
    if vendor == "postgresql":
        addressees = f"""SELECT json_agg(json_build_array(a.id, a.name) ORDER BY a.name)::text
            FROM {links} t JOIN {authority} a ON a.id = t.authority_id
            WHERE t.recommendation_id = {rec}.id"""  # nosec B608 - model tables only
    else:
        addressees = f"""SELECT json_group_array(json_array(x.id, x.name)) FROM (
            SELECT a.id AS id, a.name AS name
            FROM {links} t JOIN {authority} a ON a.id = t.authority_id
            WHERE t.recommendation_id = {rec}.id ORDER BY a.name) x"""  # nosec B608 - as above
    return {
        "letter": f"""SELECT {array}(r.authority_id, r.reference, i.stated_status){as_text}
            FROM {item} i JOIN {letter} r ON r.id = i.response_id
            WHERE i.recommendation_id = {rec}.id
            ORDER BY r.received_on, r.id LIMIT 1""",  # nosec B608 - model tables only
        "addressees": addressees,
        "raised": f"""WITH RECURSIVE chain(node) AS (
                SELECT to_recommendation_id FROM {repeats}
                WHERE from_recommendation_id = {rec}.id
                UNION
                SELECT link.to_recommendation_id
                FROM chain JOIN {repeats} link ON link.from_recommendation_id = chain.node)
            SELECT 1 + COUNT(DISTINCT node) FROM chain
            WHERE node <> {rec}.id""",  # nosec B608 - model tables only
    }


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

    def theme(self, rec) -> str:
        return self.themes[rec.theme_id] if rec.theme_id is not None else ""


def _chunks(recommendations: QuerySet[Recommendation]) -> Iterator[list[tuple]]:
    """The rows, `CHUNK_SIZE` at a time, from one query.

    On PostgreSQL the query runs in a transaction of its own: its server-side cursor then sends
    rows as they are found (outside a transaction Django declares it WITH HOLD, which computes
    every row before the first), and JIT compilation is off for it: the subqueries' cost
    estimate passes `jit_above_cost`, and compiling took longer than the query (1 s more for
    2,000 rows, measured)."""
    alias = recommendations.db
    connection = connections[alias]
    sql = _sql(connection)
    iterator = (
        recommendations.prefetch_related(None)
        .select_related(None)
        # Safe: `_sql` names only model tables and columns; no value is in the SQL.
        .annotate(**{f"export_{n}": RawSQL(q, ()) for n, q in sql.items()})  # nosec B611
        .values_list(*FIELDS, named=True)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    postgresql = connection.vendor == "postgresql"
    with transaction.atomic(using=alias) if postgresql else contextlib.nullcontext():
        if postgresql:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        while chunk := list(islice(iterator, CHUNK_SIZE)):
            yield chunk


def _letter(rec) -> _Letter | None:
    return _Letter(*json.loads(rec.export_letter)) if rec.export_letter else None


def _addressees(rec) -> list[tuple[int, str]]:
    return [tuple(pair) for pair in json.loads(rec.export_addressees or "[]")]


def row_chunks(
    recommendations: QuerySet[Recommendation], today: dt.date | None = None
) -> Iterator[list[list]]:
    """The rows of `rows`, a chunk of recommendations at a time."""
    today = today or timezone.localdate()
    labels = _Labels()
    yes, no = _("yes"), _("no")
    for chunk in _chunks(recommendations):
        chunk_rows = []
        for rec in chunk:
            letter = _letter(rec)
            addressees = _addressees(rec)
            if letter is not None:
                # The authority that answered first comes first: the import takes the letter's
                # sender from the first addressee.
                addressees.sort(key=lambda a, letter=letter: a[0] != letter.authority_id)
            visit = Visit.reference_of(rec.visit__year, rec.visit__number)
            report = rec.visit__report__reference
            values = {
                "reference": Recommendation.reference_of(report or visit, rec.number),
                "visit": visit,
                "place": rec.visit__place__name,
                "place_category": labels.category.get(
                    rec.visit__place__category, rec.visit__place__category
                ),
                "district": rec.visit__place__district,
                "year": rec.visit__year,
                "theme": labels.theme(rec),
                "priority": labels.priority.get(rec.priority, rec.priority),
                "addressees": "; ".join(name for _pk, name in addressees),
                "status": labels.status.get(rec.status, rec.status),
                "reason": labels.reason.get(rec.reason, rec.reason) if rec.reason else "",
                "due_date": rec.due_date,
                "dispatched_on": rec.dispatched_on,
                "responded_on": rec.responded_on,
                "overdue": yes
                if Recommendation.overdue(rec.due_date, rec.responded_on, today)
                else no,
                "verified_on_site": yes if rec.verified_on_site else no,
                "public": yes if rec.public else no,
                "times_raised": rec.export_raised or 1,
                "visit_start": _local(rec.visit__actual_start or rec.visit__planned_start),
                "visit_end": _local(rec.visit__actual_end or rec.visit__planned_end),
                "visit_type": labels.kind.get(rec.visit__kind, rec.visit__kind),
                "report_reference": report or "",
                "report_issued_on": rec.visit__report__issued_on,
                "number": rec.number,
                "response_reference": letter.reference if letter else "",
                "stated_status": (
                    labels.stated.get(letter.stated_status, letter.stated_status) if letter else ""
                ),
                "operating_authority": rec.visit__place__authority__name or "",
                "status_since": rec.status_changed_on,
                "text": rec.text,
            }
            chunk_rows.append([values[column.key] for column in columns.COLUMNS])
        yield chunk_rows


def rows(recommendations: QuerySet[Recommendation], today: dt.date | None = None) -> Iterator[list]:
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
    recommendations: QuerySet[Recommendation], today: dt.date | None = None
) -> Iterator[bytes]:
    """The CSV file, a chunk of rows at a time."""
    writer = csv.writer(_Echo())
    # The byte-order mark makes Excel read the file as UTF-8 (Š, ž, ć…).
    yield ("\ufeff" + writer.writerow(headers())).encode("utf-8")
    for chunk in row_chunks(recommendations, today):
        lines = (writer.writerow([neutralise(_text(value)) for value in row]) for row in chunk)
        yield "".join(lines).encode("utf-8")


def xlsx_chunks(
    recommendations: QuerySet[Recommendation], today: dt.date | None = None
) -> Iterator[bytes]:
    """The workbook, a chunk of rows at a time (`xlsx.stream_xlsx`)."""
    chunks = (
        [[neutralise(v) for v in row] for row in chunk]
        for chunk in row_chunks(recommendations, today)
    )
    yield from stream_xlsx(_("Recommendations"), headers(), chunks)


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


class XlsxResponse(_WholeContent, StreamingHttpResponse):
    pass


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


def _streamed(response_class, chunks, recommendations, content_type: str):
    """Written as it is sent, after the view has returned: in the request's language, with the
    request's day, in the view's context."""
    language, today = translation.get_language(), timezone.localdate()

    def body() -> Iterator[bytes]:
        with translation.override(language):
            yield from chunks(recommendations, today)

    return response_class(_in_this_context(body()), content_type=content_type)


def csv_response(recommendations: QuerySet[Recommendation]) -> CsvResponse:
    return _streamed(CsvResponse, csv_chunks, recommendations, CSV_TYPE)


def xlsx_response(recommendations: QuerySet[Recommendation]) -> XlsxResponse:
    return _streamed(XlsxResponse, xlsx_chunks, recommendations, XLSX_TYPE)
