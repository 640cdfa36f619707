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
from django.urls import NoReverseMatch, reverse

from tests.security.urlwalk import resolve_path, url_names
from tests.security.world import (
    AT_REST_MARKERS,
    ATTACHMENT_MARKER,
    IDENTITY_MARKER,
    NOTES_MARKER,
    OTHER_VISIT_MARKER,
    ROLES,
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


# --- The API and the open data --------------------------------------------------------------

# Fields of API payloads that hold the id of another resource: the crawl fetches that resource.
API_ID_FIELDS = {
    "visit": "api:visit-detail",
    "follow_up_visit": "api:visit-detail",
    "place": "api:place-detail",
    "authority": "api:authority-detail",
    "parent": "api:authority-detail",
    "addressees": "api:authority-detail",
    "recommendation": "api:recommendation-detail",
    "repeats": "api:recommendation-detail",
    "report": "api:report-detail",
    "response": "api:response-detail",
}
TESTSERVER = "http://testserver"


def _api_start_paths(world) -> list[str]:
    from tests.security.test_api_matrix import api_path, api_routes

    paths = []
    for name in sorted(api_routes()):
        try:
            paths.append(api_path(name, world))
        except NoReverseMatch:  # no API_ARGUMENTS yet: test_api_matrix says so
            continue
    # By id: what the earlier visit at the place left, which no partner may reach.
    other = world.objects["other_visit"]
    paths += [
        reverse("api:visit-detail", args=[other.pk]),
        reverse("api:report-detail", args=[other.report.pk]),
        *(reverse("api:recommendation-detail", args=[r.pk]) for r in other.recommendations.all()),
        *(reverse("api:recommendation-timeline", args=[r.pk]) for r in other.recommendations.all()),
    ]
    lists = [p for p in paths if p.startswith("/api/") and p.rstrip("/").count("/") == 3]
    for marker in [*CONFIDENTIAL, VISIT_MARKER, OTHER_VISIT_MARKER, world.visit.reference]:
        paths += [f"{p}?q={marker[3:-3]}" for p in lists]
    return paths


def _api_targets(data) -> list[str]:
    """Every same-site link in a JSON payload, and the resource behind every id field."""
    found: list[str] = []

    def walk(value, key=None):
        if isinstance(value, dict):
            for inner_key, inner in value.items():
                walk(inner, inner_key)
        elif isinstance(value, list):
            for inner in value:
                walk(inner, key)
        elif isinstance(value, str) and value.startswith(f"{TESTSERVER}/"):
            found.append(value.removeprefix(TESTSERVER))
        elif isinstance(value, int) and not isinstance(value, bool) and key in API_ID_FIELDS:
            found.append(reverse(API_ID_FIELDS[key], args=[value]))

    walk(data)
    return found


def api_crawl(client, start: list[str]) -> dict[str, bytes]:
    """GET every start path, and every link and id found in the JSON answers, as this client."""
    seen: dict[str, bytes] = {}
    queue = deque(start)
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen or not path.startswith("/api/"):
            continue
        response = client.get(path)
        seen[path] = _body(response)
        if "json" in response.get("Content-Type", "") and not response.streaming:
            queue.extend(_api_targets(response.json()))
    return seen


@pytest.mark.parametrize("role", ROLES)
def test_no_confidential_marker_in_any_api_or_open_data_answer(world, role):
    from tests.security.test_api_matrix import token_clients

    pages = api_crawl(token_clients(world)[role], _api_start_paths(world))
    assert len(pages) > 40
    other_visit = world.objects["other_visit"]
    forbidden = list(CONFIDENTIAL)
    if role in ("partner_on", "partner_off", "anonymous"):
        forbidden += [OTHER_VISIT_MARKER, other_visit.reference]
    if role in ("partner_off", "anonymous"):
        forbidden += [VISIT_MARKER, world.visit.reference]
    assert not _leaks(pages, forbidden)


def test_the_api_crawl_does_reach_the_visits(world):
    """The same crawl as staff and as the partner on the visit finds what each may see: the
    markers are findable, so their absence above means something."""
    from tests.security.test_api_matrix import token_clients

    clients = token_clients(world)
    staff = api_crawl(clients["staff"], _api_start_paths(world))
    assert any(VISIT_MARKER.encode() in body for body in staff.values())
    assert any(OTHER_VISIT_MARKER.encode() in body for body in staff.values())
    # Reached by following ids: a recommendation's addressees, a report's visit.
    assert any(p.startswith("/api/v1/authorities/") and p.count("/") == 5 for p in staff)
    partner = api_crawl(clients["partner_on"], _api_start_paths(world))
    assert any(VISIT_MARKER.encode() in body for body in partner.values())
