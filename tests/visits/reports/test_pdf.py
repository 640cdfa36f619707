"""The report PDF: the locked-down URL fetcher, and what the PDF contains (read back with pypdf)."""

import datetime as dt
import io
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone
from pypdf import PdfReader
from weasyprint.urls import URLFetchingError, fetch

from core.roles import Role
from tests.factories import AuthorityFactory, UserFactory
from tests.factories.recommendations import RecommendationFactory
from tests.factories.visits import (
    MemberFactory,
    ReportFactory,
    ReportSectionFactory,
    TeamMemberFactory,
)
from visits.pdf.html import ALLOWED_ASSETS, LockedURLFetcher, RefusedURL, html_to_pdf
from visits.pdf.rendering import report_pdf

PNG_DATA_URL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGA"
    "hKmMIQAAAABJRU5ErkJggg=="
)
PASSWD_MARKERS = ("root:x:0:0", "/bin/bash", "/usr/sbin/nologin", "daemon:")


def pdf_lines(data: bytes) -> list[str]:
    """Each page's text as pypdf extracts it, line breaks kept."""
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def pdf_text(data: bytes) -> list[str]:
    """Each page's text with all white space (line wrapping) as single spaces."""
    return [" ".join(text.split()) for text in pdf_lines(data)]


def embedded_fonts(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts") or [font]
            for descendant in descendants:
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is not None and "/FontFile2" in descriptor.get_object():
                    names.add(str(font["/BaseFont"]))
    return names


class _Recorder(BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self):  # noqa: N802 - http.server's name
        self.server.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    """A local HTTP server on an ephemeral port that records every request it gets."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


# --- The fetcher ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "http://127.0.0.1/x.png",
        "http://localhost:8000/static/pdf/report.css",
        "https://example.org/font.ttf",
        "ftp://example.org/x",
        "data:text/css,body{color:red}",
        "data:image/png;base64,iVBORw0KGgo=",
        "pdfasset:../npm_portal/settings.py",
        "pdfasset:pdf/../../npm_portal/settings.py",
        "pdfasset:/etc/passwd",
        "pdfasset:css/app.css",
        "pdfasset:vendor/bootstrap/css/bootstrap.min.css",
        "/static/pdf/report.css",
        "pdf/report.css",
    ],
)
def test_fetcher_refuses_everything_not_bundled(url):
    fetcher = LockedURLFetcher()
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    with pytest.raises(RefusedURL):
        fetcher(url)
    # Inside WeasyPrint the refusal becomes the error that makes it skip the resource.
    with pytest.raises(URLFetchingError), fetch(fetcher, url):
        pass


def test_fetcher_refuses_without_touching_the_network(http_server):
    port = http_server.server_address[1]
    for url in (f"http://127.0.0.1:{port}/a.png", f"http://localhost:{port}/b.css"):
        with pytest.raises(RefusedURL):
            LockedURLFetcher().fetch(url)
    assert http_server.requests == []


def test_fetcher_serves_the_bundled_css_fonts_and_logo():
    fetcher = LockedURLFetcher()
    with fetch(fetcher, "pdfasset:pdf/report.css") as response:
        assert response.content_type == "text/css"
        assert b".cover" in response.read()
    with fetch(fetcher, "pdfasset:vendor/dejavu-fonts/DejaVuSans.ttf") as response:
        assert response.read()[:4] == b"\x00\x01\x00\x00"  # TrueType
    with fetch(fetcher, "pdfasset:img/logo.svg") as response:
        assert response.content_type == "image/svg+xml"
        assert b"<svg" in response.read()
    for path in ALLOWED_ASSETS:
        assert fetcher.fetch(f"pdfasset:{path}").read()


@pytest.mark.django_db
def test_weasyprint_loads_nothing_from_a_hostile_document(http_server):
    """Raw HTML (past the sanitiser) with every way of loading a resource: nothing is fetched."""
    base = f"http://127.0.0.1:{http_server.server_address[1]}"
    html = f"""<!DOCTYPE html><html><head>
      <link rel="stylesheet" href="{base}/sheet.css">
      <link rel="stylesheet" href="file:///etc/passwd">
      <link rel="attachment" href="file:///etc/passwd" title="passwd">
      <style>
        @import url("{base}/import.css");
        @font-face {{ font-family: X; src: url("{base}/font.ttf"), url("file:///etc/passwd"); }}
        body {{ font-family: X; background: url("{base}/background.png"); }}
        p::after {{ content: url("{base}/after.png"); }}
      </style></head><body>
      <p>Hostile</p>
      <img src="{base}/image.png"><img src="file:///etc/passwd">
      <img src="{PNG_DATA_URL}">
      <object data="{base}/object.svg"></object><embed src="{base}/embed.svg">
      <iframe src="{base}/frame.html"></iframe>
      <svg><image href="{base}/svg-image.png" width="10" height="10"/></svg>
      <div style="background-image: url('{base}/inline.png')">inline</div>
    </body></html>"""
    data = html_to_pdf(html)
    assert http_server.requests == []
    reader = PdfReader(io.BytesIO(data))
    assert not reader.attachments
    assert all(not page.images for page in reader.pages)
    text = "\n".join(pdf_text(data))
    assert "Hostile" in text
    for marker in PASSWD_MARKERS:
        assert marker not in text
        assert marker.encode() not in data


# --- Report PDFs ----------------------------------------------------------------------------


@pytest.fixture
def report(db, staff):
    ministry = AuthorityFactory(name="Ministry of Justice")
    report = ReportFactory(
        title="Report on the visit to the District Prison",
        reference="NPM-2026-014",
        visit__place__name="District Prison Sremska Mitrovica",
    )
    ReportSectionFactory(report=report, title="Introduction and methodology", order=1)
    ReportSectionFactory(
        report=report,
        title="Interviews with detainees",
        order=2,
        confidential=True,
        body="Confidential account.",
    )
    ReportSectionFactory(
        report=report, title="Material conditions", order=3, body="## Cells\n\nDamp **cells**."
    )
    TeamMemberFactory(visit=report.visit, user=staff, role="head")
    TeamMemberFactory(
        visit=report.visit,
        member=MemberFactory(first_name="Dragana", last_name="Ćirić"),
        role="medical",
    )
    RecommendationFactory(
        visit=report.visit,
        number=41,
        text="Install call bells in every cell.",
        addressees=[report.visit.place.authority, ministry],
        due_date=dt.date(2026, 9, 30),
    )
    RecommendationFactory(visit=report.visit, number=42, text="Record every injury.")
    return report


def test_full_pdf_has_cover_contents_sections_and_annexes(report, staff):
    data, pages = report_pdf(report)
    texts = pdf_text(data)
    assert pages == len(texts)
    assert 4 <= pages <= 10
    cover = texts[0]
    for expected in (
        "National Preventive Mechanism",
        "Report on the visit to the District Prison",
        "District Prison Sremska Mitrovica",
        "NPM-2026-014",
        "CONFIDENTIAL",
    ):
        assert expected in cover
    assert "Contents" in texts[1]
    body = "\n".join(texts[2:])
    for title in (
        "Introduction and methodology",
        "Interviews with detainees",
        "Material conditions",
    ):
        assert title in texts[1]  # in the table of contents
        assert title in body
    annex = "\n".join(t for t in texts if "Annex: Recommendations" in t and "Contents" not in t)
    assert re.search(r"\b41\b", annex)
    assert re.search(r"\b42\b", annex)
    assert "Install call bells in every cell." in annex
    assert "Ministry of Justice" in annex
    assert "within 60 days of receipt" in annex  # no due date: the legal term
    team = "\n".join(texts[-2:])
    assert "Dragana Ćirić" in team
    assert str(staff) in team
    assert "Page" not in texts[0]  # the cover has no page number
    for number, text in enumerate(texts[1:], start=2):
        assert f"Page {number} of {pages}" in text
    assert "DRAFT" not in "\n".join(texts)
    assert "Draft generated on" not in "\n".join(texts)


def test_table_of_contents_gives_the_page_of_each_section(report):
    data, _pages = report_pdf(report)
    texts = pdf_lines(data)
    for title in ("Introduction and methodology", "Material conditions"):
        line = next(line for line in texts[1].splitlines() if title in line)
        toc_page = int(re.findall(r"(\d+)\s*$", line)[0])
        assert title in texts[toc_page - 1]


def test_pdf_embeds_the_bundled_dejavu_fonts(report):
    data, _pages = report_pdf(report)
    fonts = embedded_fonts(data)
    assert fonts
    assert all("DejaVu" in name for name in fonts), fonts


def test_draft_preview_is_marked_on_every_page(report):
    data, pages = report_pdf(report, draft=True)
    texts = pdf_text(data)
    assert len(texts) == pages
    for text in texts:
        assert "Draft generated on" in text
        # The watermark is drawn, not written: no text to extract.
        assert "DRAFT" not in text


def test_public_version_leaves_out_confidential_sections_and_annexes(report, staff):
    data, _pages = report_pdf(report, public=True)
    text = "\n".join(pdf_text(data))
    assert "PUBLIC VERSION" in text
    assert "CONFIDENTIAL" not in text
    assert "Material conditions" in text
    assert "Interviews with detainees" not in text
    assert "Confidential account." not in text
    assert "Annex" not in text
    assert "Install call bells" not in text
    assert "Dragana" not in text
    assert str(staff) not in text


def test_serbian_cyrillic_report_is_transliterated_but_urls_and_reference_are_not(db):
    report = ReportFactory(
        language="sr-cyrl",
        reference="NPM-2026-021",
        title="Izveštaj o poseti Ljubljana",
        visit__place__name="District Prison Njegoš",
        visit__place__name_sr="Okružni zatvor Njegoš",
    )
    ReportSectionFactory(
        report=report,
        title="Uslovi džamija",
        body="Vidi https://example.org/ljudska-prava i piši na nadzor@example.org, NPM-2026-021.",
    )
    data, _pages = report_pdf(report)
    text = "\n".join(pdf_text(data))
    assert "Извештај о посети Љубљана" in text
    assert "Окружни затвор Његош" in text
    assert "Услови џамија" in text
    assert "Lj" not in text.replace("https://example.org/ljudska-prava", "")
    assert "https://example.org/ljudska-prava" in text
    assert "nadzor@example.org" in text
    assert "NPM-2026-021" in text
    assert "Љ" in text
    assert "Њ" in text


def test_section_with_hostile_content_loads_nothing(db, http_server):
    base = f"http://127.0.0.1:{http_server.server_address[1]}"
    report = ReportFactory()
    ReportSectionFactory(
        report=report,
        title="Hostile section",
        body=(
            "[passwd](file:///etc/passwd)\n\n"
            "![x](file:///etc/passwd)\n\n"
            f'<img src="{base}/x.png">\n\n'
            f'<p style="background: url({base}/style.png)">styled</p>\n\n'
            f"<style>body {{ background: url({base}/css.png) }}</style>\n\n"
            f'<link rel="stylesheet" href="{base}/sheet.css">'
        ),
    )
    data, _pages = report_pdf(report, draft=True)
    assert http_server.requests == []
    reader = PdfReader(io.BytesIO(data))
    assert all(not page.images for page in reader.pages[1:])  # the cover has only the logo
    text = "\n".join(pdf_text(data))
    assert "Hostile section" in text
    assert "passwd" in text  # the link text stays, without its address
    for marker in PASSWD_MARKERS:
        assert marker not in text
    assert b"/etc/passwd" not in data


def test_report_without_recommendations_or_team_has_no_empty_annex(db):
    report = ReportFactory(title="Short report")
    ReportSectionFactory(report=report, title="Only section")
    data, pages = report_pdf(report)
    text = "\n".join(pdf_text(data))
    assert "Only section" in text
    assert "Annex" not in text
    assert pages == 3


def test_npm_name_comes_from_the_settings(db, settings):
    settings.NPM_NAME = "Protector of Citizens — NPM"
    report = ReportFactory(issued_at=timezone.now())
    data, _pages = report_pdf(report)
    assert "Protector of Citizens — NPM" in pdf_text(data)[0]


def test_other_templates_can_use_html_to_pdf(db):
    user = UserFactory(roles=[Role.STAFF])
    data = html_to_pdf(
        '<html><head><link rel="stylesheet" href="pdfasset:pdf/base.css"></head>'
        f"<body><h1>Annual statistics</h1><p>Ћирилица and {user.username}</p></body></html>"
    )
    text = "\n".join(pdf_text(data))
    assert "Annual statistics" in text
    assert "Ћирилица" in text
    assert all("DejaVu" in name for name in embedded_fonts(data))
