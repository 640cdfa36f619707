"""Marker test: unique strings seeded into identities, confidential notes and a confidential
attachment never reach a partner member or the public, on any page, download, export or API
response; what a visit holds never reaches a partner who is not on it; these markers, and those
of everything else encrypted at rest, are not in clear text in any table or stored file; and no
marker is in the logs."""

from __future__ import annotations

import logging
import re
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from tests.security.urlwalk import resolve_path, url_names
from tests.security.world import (
    AT_REST_MARKERS,
    ATTACHMENT_MARKER,
    IDENTITY_MARKER,
    NOTES_MARKER,
    OTHER_VISIT_MARKER,
    VISIT_MARKER,
    build_world,
    plant_at_rest_markers,
)
from visits.models import Attachment

CONFIDENTIAL = [IDENTITY_MARKER, NOTES_MARKER, ATTACHMENT_MARKER]
LINK = re.compile(rb'(?:href|src|action|hx-get)="([^"#]*)')
MAX_PAGES = 400


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


def _body(response) -> bytes:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items()).encode()
    return headers + b"\n" + content


def _start_paths(world) -> list[str]:
    paths = [
        resolve_path(name, pattern, world)
        for name, pattern in url_names()
        if not name.startswith("admin:")
    ]
    # The confidential attachment, and searches for every marker on every list page.
    paths.append(
        reverse(
            "visits:attachment_download",
            args=[world.visit.pk, world.objects["confidential_attachment"].pk],
        )
    )
    # Search with the middle of each marker: a page that echoes the search term does not
    # contain the whole marker, a page that found the record does.
    lists = [p for p in paths if p.rstrip("/").count("/") <= 2]
    for marker in [*CONFIDENTIAL, VISIT_MARKER, OTHER_VISIT_MARKER, world.visit.reference]:
        paths += [f"{p}?q={marker[3:-3]}" for p in lists]
    return paths


def crawl(client, start: list[str]) -> dict[str, bytes]:
    """GET every start path and every same-site link found, as this client."""
    seen: dict[str, bytes] = {}
    queue = deque(start)
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen or path.startswith(("/admin/", "/static/")) or "logout" in path:
            continue
        response = client.get(path)
        body = _body(response)
        seen[path] = body
        targets = []
        if response.status_code in (301, 302) and response.get("Location"):
            targets.append(response["Location"])
        if "html" in response.get("Content-Type", ""):
            targets += [m.decode() for m in LINK.findall(body)]
        for target in targets:
            url = urlparse(urljoin(path, target))
            if url.netloc and url.netloc != "testserver":
                continue
            queue.append(url.path + (f"?{url.query}" if url.query else ""))
    return seen


def _leaks(pages: dict[str, bytes], markers: list[str]) -> list[str]:
    return [
        f"{marker} in {path}"
        for path, body in pages.items()
        for marker in markers
        if marker.encode() in body
    ]


@pytest.mark.parametrize("role", ["partner_on", "partner_off", "anonymous"])
def test_no_confidential_marker_reaches_partners_or_the_public(world, role):
    pages = crawl(world.clients[role], _start_paths(world))
    assert len(pages) > 30
    other_visit = world.objects["other_visit"]
    forbidden = [*CONFIDENTIAL, OTHER_VISIT_MARKER, other_visit.reference]
    if role != "partner_on":
        forbidden += [VISIT_MARKER, world.visit.reference]
    assert not _leaks(pages, forbidden)


def test_the_crawl_does_find_markers_where_they_belong(world):
    """The same crawl as staff sees the notes and the attachment: the markers are findable."""
    pages = crawl(world.clients["staff"], _start_paths(world))
    found = {marker for marker in CONFIDENTIAL if any(marker.encode() in b for b in pages.values())}
    assert {NOTES_MARKER, ATTACHMENT_MARKER} <= found
    assert IDENTITY_MARKER not in found  # identities only on a deliberate, logged reveal


def test_partner_off_lists_and_counts_show_nothing_of_the_visit(world):
    client = world.clients["partner_off"]
    response = client.get(reverse("visits:visit_list"))
    assert 'data-count="0"' in response.content.decode()
    assert world.visit.reference not in client.get(reverse("visits:visit_agenda")).content.decode()
    place = client.get(reverse("visits:place_detail", args=[world.visit.place.pk]))
    assert world.visit.reference not in place.content.decode()
    # Dashboard counts: the partner on the visit counts it, the other one does not.
    stats = client.get(reverse("dashboard")).context["visit_stats"]
    assert stats["upcoming"] == 0
    assert sum(n for _value, _label, n in stats["by_status"]) == 0
    stats = world.clients["partner_on"].get(reverse("dashboard")).context["visit_stats"]
    assert stats["upcoming"] == 1


def _as_text(value) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def clear_text_hits(markers: list[str], media_root) -> tuple[list[str], int, int]:
    """Where a marker is in clear: every column of every table (read with raw SQL, so no
    field decrypts anything) and every file under MEDIA_ROOT, byte for byte. Also returns how
    many tables and files were read."""
    hits, quote = [], connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            description = connection.introspection.get_table_description(cursor, table)
            columns = [column.name for column in description]
            names = ", ".join(quote(column) for column in columns)
            cursor.execute(f"SELECT {names} FROM {quote(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    text = _as_text(value)
                    hits += [f"{m} in {table}.{column}" for m in markers if m in text]
    files = [path for path in Path(media_root).rglob("*") if path.is_file()]
    for path in files:
        data = path.read_bytes()
        hits += [f"{m} in {path.name}" for m in markers if m.encode() in data]
    return hits, len(tables), len(files)


def test_confidential_markers_are_not_stored_in_clear(world):
    plant_at_rest_markers(world)
    at_rest = list(AT_REST_MARKERS.values())
    hits, tables, files = clear_text_hits([*CONFIDENTIAL, *at_rest], settings.MEDIA_ROOT)
    assert not hits
    # The scan read something: every table, and the stored files (attachments, partner
    # documents, letters, report PDFs).
    assert tables >= 40
    assert files >= 8
    # ... and the markers are there, readable through the app.
    attachment = Attachment.objects.latest("pk")
    assert AT_REST_MARKERS["attachment title"] in attachment.title
    assert AT_REST_MARKERS["attachment original name"] in attachment.original_name
    with attachment.file.open("rb") as handle:
        assert AT_REST_MARKERS["file contents"].encode() in handle.read()


def test_no_marker_in_the_logs(db, settings, tmp_path, caplog):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.NPM_REQUIRE_REAUTH = False
    with caplog.at_level(logging.DEBUG):
        world = build_world()
        for role in ["staff", "partner_on"]:
            crawl(world.clients[role], _start_paths(world)[:80])
        interview = world.objects["interview"]
        reveal = reverse("visits:interview_detail", args=[world.visit.pk, interview.pk])
        assert IDENTITY_MARKER in world.clients["head"].post(reveal).content.decode()
    assert caplog.records
    for marker in [*CONFIDENTIAL, VISIT_MARKER]:
        assert marker not in caplog.text
