"""The report PDF laid out like a CPT report, rendered with WeasyPrint and read back with pypdf:
cover, numbered paragraphs, recommendations in bold and in the annex, the public version, the
signatory, the draft marking, the PDF/A-3u + PDF/UA-1 identification, dates, links, tables."""

import io
import re

import pytest
from django.contrib.staticfiles import finders
from pypdf import PdfReader
from weasyprint.formatting_structure import boxes

from tests.visits.reports.pdf_layout_report import (
    BELLS,
    INJURIES,
    INTERVIEWS,
    NAMES,
    make_report,
)
from visits.models import ReportSection
from visits.pdf.html import LockedURLFetcher, html_document
from visits.pdf.rendering import report_html, report_pdf

HEADER = "NPM-2014-007 · District Prison Niš"
MM = 72 / 25.4


def texts(data: bytes) -> list[str]:
    """Each page's text, white space as single spaces."""
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages]


def runs(page) -> list[tuple[str, str, float, float]]:
    """(text, font name, x in mm, font size in pt) of every text run of a page."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = (tm[4] * cm[0] + tm[5] * cm[2] + cm[4]) / MM
            scale = abs(tm[3] * cm[3]) or 1
            name = str(font.get("/BaseFont", "")) if font else ""
            found.append((text.strip(), name, x, size * scale))

    page.extract_text(visitor_text=visit)
    return found


@pytest.fixture
def signatory(head):
    head.first_name, head.last_name = "Jelena", "Jović"
    head.save(update_fields=["first_name", "last_name"])
    return head


@pytest.fixture
def issued(signatory):
    return make_report(head=signatory)


@pytest.fixture
def full(issued):
    data, pages = report_pdf(issued)
    return data, texts(data)


def test_cover_has_no_running_header_or_page_number(full):
    _data, pages = full
    assert "Report on the visit to the District Prison Niš" in pages[0]
    assert "Page" not in pages[0]
    assert HEADER not in pages[0]
    for number, text in enumerate(pages[1:], start=2):
        assert HEADER in text
        assert f"Page {number} of {len(pages)}" in text
        assert "NPM-2014-007 · 30 July 2014" in text  # the footer: reference and date


def test_paragraphs_are_numbered_within_their_sections(issued, full):
    _data, pages = full
    body = " ".join(pages[2:])
    for expected in (
        "1. Introduction 1.1. The visit took place under Articles 19",
        "1.2. The team talked in private",
        "1.3. See the CPT standards",
        "2.1. Confidential account",
        "3.1. Cells were damp",
        "3.2. Several detainees slept",
        "3.3. cell 12 had six persons",
        "4.1. Injuries were not recorded",
        "4.2. The doctor saw new arrivals",
        "5.1. The recommendations are listed",
    ):
        assert expected in body, expected
    assert "3.4." not in body  # the table belongs to the paragraph before it
    html = report_html(issued)
    assert 'id="para-3-2"' in html
    assert '<div class="para-number">4.2.</div><p>The doctor saw' in html


def test_recommendations_are_bold_where_they_arise_and_listed_in_the_annex(issued, full):
    data, pages = full
    html = report_html(issued)
    conditions = issued.sections.get(title="Material conditions")
    section = html.split(f'id="section-{conditions.pk}"', 1)[1].split("</section>", 1)[0]
    assert f"<strong>{BELLS}</strong>" in section
    assert INJURIES not in section  # in its own theme's section
    # The one without a theme closes the "Recommendations" section.
    closing = issued.sections.get(title="Recommendations")
    assert f"<strong>{NAMES}</strong>" in html.split(f'id="section-{closing.pk}"', 1)[1]

    reader = PdfReader(io.BytesIO(data))
    annex = next(i for i, t in enumerate(pages) if "No. Recommendation Priority" in t)
    body = next(i for i, t in enumerate(pages[2:], start=2) if BELLS in t)
    assert body < annex
    assert "RECOMMENDATION 1 Install call bells" in pages[body]  # the label in small capitals
    bold = [font for text, font, _x, _s in runs(reader.pages[body]) if text.startswith("Install")]
    assert bold
    assert all("Bold" in font for font in bold)
    plain = [
        font for text, font, _x, _s in runs(reader.pages[body]) if text.startswith("Cells were")
    ]
    assert plain
    assert not any("Bold" in font for font in plain)

    table = pages[annex]
    for expected in (
        "No. Recommendation Priority Addressees Deadline",
        "1 Install call bells in every cell. Urgent District Prison Niš; Ministry of Justice",
        "30 September 2014",
        "2 Record every injury on admission, with a body chart. Normal District Prison Niš",
        "within 60 days of receipt",
        NAMES,
    ):
        assert expected in table, expected


def test_public_version_has_the_public_recommendations_and_nothing_it_lacks(issued):
    data, _pages = report_pdf(issued, public=True)
    text = " ".join(texts(data))
    assert "PUBLIC VERSION" in text
    assert "CONFIDENTIAL" not in text.replace("Confidential sections are left out", "")
    for expected in (
        BELLS,
        INJURIES,
        "Annex: Recommendations",  # the text says they are listed in the annex: so they are
        "Urgent",
        "District Prison Niš; Ministry of Justice",
        "30 September 2014",
        "within 60 days of receipt",
        "Recommendations that are not public are left out of this version.",
        "sections and paragraphs keep the numbers they have in the full report",
        "Jelena Jović",  # the signatory signs the public version too
    ):
        assert expected in text, expected
    for absent in (NAMES, "Qzsecret", INTERVIEWS, "Qzconf81", "Interviews", "visiting team"):
        assert absent not in text, absent
    # Section numbers as in the full report: 2 was the confidential one.
    assert "1. Introduction" in text
    assert "3. Material conditions" in text
    assert "2. Interviews" not in text


def test_public_version_without_public_recommendations_mentions_no_annex(issued):
    issued.visit.recommendations.update(public=False)
    ReportSection.objects.filter(report=issued, title="Recommendations").update(
        body="No further remarks."
    )
    data, _pages = report_pdf(issued, public=True)
    text = " ".join(texts(data))
    assert "Annex" not in text
    assert "annex" not in text
    assert BELLS not in text
    assert "Recommendations that are not public are left out of this version." in text


def test_signatory_block_on_an_issued_report(full):
    _data, pages = full
    block = next(t for t in pages if "Head of the National Preventive Mechanism" in t)
    for expected in ("Jelena Jović", "Reference number", "NPM-2014-007", "Date", "30 July 2014"):
        assert expected in block, expected
    assert "Issued on" in pages[0]
    assert "30 July 2014" in pages[0]
    assert "12–13 June 2014" in pages[0]


def test_draft_has_a_draft_line_on_every_page_and_a_watermark_that_is_no_text(signatory):
    report = make_report(head=signatory, issued=False)
    data, _count = report_pdf(report, draft=True)
    reader = PdfReader(io.BytesIO(data))
    for page, text in zip(reader.pages, texts(data), strict=True):
        assert re.search(r"Draft generated on \d{1,2} \w+ \d{4}, \d\d:\d\d", text), text
        assert "DRAFT" not in text
        assert "/XObject" in page["/Resources"]  # the watermark, drawn
    assert "Head of the National Preventive Mechanism" not in " ".join(texts(data))
    html = report_html(report, draft=True)
    assert 'background: url("pdfasset:pdf/draft-en.svg")' in html
    svg = LockedURLFetcher().fetch("pdfasset:pdf/draft-en.svg").read()
    assert b"<path" in svg
    assert b"<text" not in svg


def test_draft_watermark_exists_in_every_report_language():
    for language in ("en", "sr-latn", "sr-cyrl"):
        path = finders.find(f"pdf/draft-{language}.svg")
        assert path
        assert LockedURLFetcher().fetch(f"pdfasset:pdf/draft-{language}.svg").read()


def _xmp(reader: PdfReader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()


def test_frozen_report_is_tagged_pdf_a3u_and_pdf_ua1(issued, staff, settings, tmp_path, render_now):
    settings.MEDIA_ROOT = tmp_path
    settings.NPM_NAME = "Protector of Citizens — NPM"
    render_now(report=issued, kind="issued", by=staff)
    issued.refresh_from_db()
    for stored in (issued.pdf, issued.public_pdf):
        with stored.open("rb") as file:
            reader = PdfReader(io.BytesIO(file.read()))
        root = reader.trailer["/Root"]
        tree = root["/StructTreeRoot"].get_object()
        document = tree["/K"][0].get_object()
        assert document["/S"] == "/Document"
        assert len(document["/K"]) > 5  # cover, contents, sections, annexes
        assert root["/MarkInfo"]["/Marked"].value is True
        assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
        assert root["/Lang"] == "en"
        xmp = _xmp(reader)
        assert 'pdfaid:part="3"' in xmp
        assert 'pdfaid:conformance="U"' in xmp
        assert 'pdfuaid:part="1"' in xmp
        assert "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in xmp  # PDF/A: schema described
        assert xmp.count("<rdf:RDF") == 1
        assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
        assert (
            reader.metadata.title == "NPM-2014-007 · Report on the visit to the District Prison Niš"
        )
        assert reader.metadata.author == "Protector of Citizens — NPM"
        assert reader.metadata["/CreationDate"].startswith("D:20140730")
        figures = _elements(document, "/Figure")
        assert figures
        assert figures[0]["/Alt"] == "Logo of Protector of Citizens — NPM"


def _elements(element, kind: str) -> list:
    found = []
    for child in element.get("/K", []) if hasattr(element, "get") else []:
        child = child.get_object() if hasattr(child, "get_object") else child
        if hasattr(child, "get") and child.get("/Type") == "/StructElem":
            if child["/S"] == kind:
                found.append(child)
            found += _elements(child, kind)
    return found


def test_draft_preview_is_not_claimed_to_be_pdf_a(signatory):
    data, _pages = report_pdf(make_report(head=signatory, issued=False), draft=True)
    root = PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert "/Metadata" not in root


def test_serbian_cyrillic_report_has_its_dates_and_language(signatory):
    report = make_report(head=signatory, language="sr-cyrl")
    data, _count = report_pdf(report)
    pages = texts(data)
    assert "12–13. јун 2014." in pages[0]
    assert "30. јул 2014." in pages[0]
    assert "Страница 2 од" in pages[1]
    assert "<спан" not in " ".join(pages)
    assert "30. септембар 2014." in " ".join(pages)  # the deadline
    assert "Јелена Јовић" in " ".join(pages)
    assert "NPM-2014-007" in pages[1]
    assert PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"] == "sr-Cyrl"


def test_serbian_latin_report_has_its_dates(signatory):
    html = report_html(make_report(head=signatory, language="sr-latn"))
    assert "12–13. jun 2014." in html
    assert "30. septembar 2014." in html


def test_link_addresses_are_printed_once(full):
    _data, pages = full
    body = " ".join(pages[2:])
    assert "CPT standards (https://www.coe.int/en/web/cpt/standards)" in body
    assert "the NPM (npm@example.org) or npm@example.org." in body
    assert "mailto:" not in body


def test_markdown_extras_reach_the_pdf(issued):
    html = report_html(issued)
    assert "<del>mattresses</del>" in html
    assert '<ol start="3" style="counter-reset: list-item 2">' in html
    assert '<sup id="s1-fnref:opcat"><a class="footnote-ref" href="#s1-fn:opcat"' in html
    assert '<li id="s1-fn:opcat">' in html
    assert "<h3>Cells</h3>" in html
    assert "<h4>Beds</h4>" in html


def test_author_headings_are_smaller_than_section_titles(issued, full):
    data, pages = full
    reader = PdfReader(io.BytesIO(data))
    page = next(i for i, t in enumerate(pages) if "3.1. Cells were damp" in t)
    sizes = {text: size for text, _font, _x, size in runs(reader.pages[page])}
    assert sizes["Material conditions"] > sizes["Cells"] > sizes["Beds"] >= sizes["3.1."]


def _text_boxes(box):
    if isinstance(box, boxes.TextBox):
        yield box
    for child in getattr(box, "children", ()):
        yield from _text_boxes(child)


def test_wide_table_stays_inside_the_right_margin(issued):
    document = html_document(report_html(issued))
    px_per_mm = 96 / 25.4
    right = (210 - 20) * px_per_mm + 0.5  # A4 less the right margin, in CSS px
    table_pages = 0
    for page in document.pages:
        found = list(_text_boxes(page._page_box))
        if any("Remarks on the state" in box.text for box in found):
            table_pages += 1
        for box in found:
            assert box.position_x + box.width <= right, box.text
    assert table_pages == 1
    css = finders.find("pdf/report.css")
    with open(css, encoding="utf-8") as file:
        assert ".rich table { table-layout: fixed; width: 100%;" in file.read()


def test_body_header_and_footer_share_the_left_margin(full):
    data, pages = full
    reader = PdfReader(io.BytesIO(data))
    starts = [round(x, 1) for text, _f, x, _s in runs(reader.pages[2])]
    header = next(x for t, _f, x, _s in runs(reader.pages[2]) if t.startswith("NPM-2014-007 ·"))
    body = next(x for t, _f, x, _s in runs(reader.pages[2]) if t == "1.1.")
    assert round(header, 1) == round(body, 1) == 20.0
    assert min(starts) == 20.0
