"""The exports are streamed: every row exactly once and in order however many there are, written
a chunk of rows at a time (`exports.CHUNK_SIZE`), and read in a fixed number of queries, however
many rows and chunks."""

from __future__ import annotations

import contextvars
import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from recommendations import exports
from recommendations.models import Recommendation
from tests.factories import AuthorityFactory
from tests.recommendations.compliance_helpers import issue, visit_at
from visits.models import AccessLog

pytestmark = pytest.mark.django_db

CSV = reverse("recommendations:export_csv")
XLSX = reverse("recommendations:export_xlsx")
NUMBER = exports.headers().index("Number")


def _bulk(count: int, visit=None) -> list[Recommendation]:
    """`count` recommendations of one issued visit, each to two addressees, in bulk."""
    if visit is None:
        visit = visit_at()
        issue(visit)
    ministry = AuthorityFactory()
    start = visit.recommendations.count()
    recs = Recommendation.objects.bulk_create(
        Recommendation(visit=visit, number=start + n + 1, text=f"Recommendation {start + n + 1}.")
        for n in range(count)
    )
    through = Recommendation.addressees.through
    through.objects.bulk_create(
        through(recommendation_id=rec.pk, authority_id=authority)
        for rec in recs
        for authority in (visit.place.authority_id, ministry.pk)
    )
    return recs


def _body(response) -> bytes:
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content)


def _numbers(body: bytes) -> list[int]:
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    return [int(row[NUMBER]) for row in rows[1:]]


def test_csv_is_streamed_a_chunk_of_rows_at_a_time(staff_client, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 4)
    _bulk(10)
    response = staff_client.get(CSV, {"sort": "reference"})
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="recommendations-' in response["Content-Disposition"]
    parts = list(response.streaming_content)
    assert len(parts) == 1 + 3  # the header, then chunks of 4, 4 and 2 rows
    assert _numbers(b"".join(parts)) == list(range(1, 11))


def test_a_large_export_has_every_row_once_and_in_order(staff_client, staff):
    _bulk(2500)  # two chunks of the default size
    assert _numbers(_body(staff_client.get(CSV, {"sort": "reference"}))) == list(range(1, 2501))
    body = _body(staff_client.get(XLSX, {"sort": "-reference"}))
    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    numbers = [row[NUMBER] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers == list(range(2500, 0, -1))
    entries = AccessLog.objects.filter(user=staff, action="export").order_by("pk")
    assert [e.object_id for e in entries] == ["2500 rows", "2500 rows"]


def _export_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        _body(client.get(url))
    return len(queries)


@pytest.mark.parametrize("url", [CSV, XLSX])
def test_the_queries_do_not_grow_with_the_rows_or_the_chunks(staff_client, monkeypatch, url):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 5)
    recs = _bulk(5)
    visit = recs[0].visit
    recs[1].repeats.add(recs[0])
    staff_client.get(reverse("recommendations:list"))  # the session and permissions, once
    one_chunk = _export_queries(staff_client, url)
    _bulk(5, visit)
    two_chunks = _export_queries(staff_client, url)
    more = _bulk(5, visit)
    more[0].repeats.add(recs[1])
    three_chunks = _export_queries(staff_client, url)
    # The letters, addressees, repeat counts and operators come with the rows (subqueries).
    assert one_chunk == two_chunks == three_chunks


TIMES_RAISED = exports.headers().index("Times raised")


def test_times_raised_follows_the_chain_of_repeats_cycles_included(staff_client):
    a, b, c, d = _bulk(4)
    b.repeats.add(a)
    c.repeats.add(b)
    a.repeats.add(c)  # a cycle: a, b and c each repeat the other two
    rows = list(csv.reader(io.StringIO(_body(staff_client.get(CSV)).decode("utf-8-sig"))))
    raised = {int(row[NUMBER]): int(row[TIMES_RAISED]) for row in rows[1:]}
    assert raised == {a.number: 3, b.number: 3, c.number: 3, d.number: 1}


def test_the_whole_file_at_once_equals_the_stream(staff_client):
    _bulk(3)
    response = staff_client.get(CSV)
    assert response.content == response.content  # read twice, the same
    assert response.content.startswith("\ufeff".encode())
    assert len(_numbers(response.content)) == 3


def test_the_stream_is_written_in_the_context_of_the_view():
    # E.g. `core.replica.reads_from_replica` on the view: the body is written after the
    # view has returned, and still reads where the view did.
    where = contextvars.ContextVar("where", default="default")

    def chunks():
        yield where.get().encode()

    token = where.set("replica")
    stream = exports._in_this_context(chunks())
    where.reset(token)
    assert list(stream) == [b"replica"]
