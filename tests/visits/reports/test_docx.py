"""The Word (DOCX) edition of a report: what it holds (read back with python-docx), its DRAFT
marking and script, the frozen issued DOCX, and who may download what."""

import datetime as dt
import hashlib
import io
import zipfile

import docx
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from docx.shared import Cm

from tests.authority_portal.helpers import authority_user
from tests.factories.recommendations import RecommendationFactory
from tests.factories.visits import ReportFactory, ReportSectionFactory, VisitFactory, local
from tests.visits.reports.pdf_layout_report import make_report
from visits.docx import report_docx
from visits.docx.html import INDENT, MONOSPACE, write_html
from visits.models import AccessLog, Report
from visits.pdf.rendering import _store_issued as store_issued
from visits.views.pdf import pdf_panel_context

NPM = "Zaštitnik građana — NPM"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.NPM_NAME = NPM


def opened(data: bytes):
    return docx.Document(io.BytesIO(data))


def body_text(document) -> str:
    """Every paragraph of the body and of its tables, one a line."""
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines += [cell.text for cell in row.cells]
    return "\n".join(lines)


def headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == "Heading 1"]


def header_text(document) -> str:
    return "\n".join(p.text for p in document.sections[0].header.paragraphs)


def url(name, report):
    return reverse(f"visits:{name}", args=[report.visit_id])


def content(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def layout_report(db, head):
    return make_report(head=head)


@pytest.fixture
def issued(db, staff):
    """An issued report with its frozen files (PDFs and DOCX)."""
    report = ReportFactory(reference="NPM-2026-051")
    ReportSectionFactory(report=report, title="Findings", body="Text.")
    ReportSectionFactory(report=report, title="Identities", body="Secret.", confidential=True)
    now = timezone.now()
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.ISSUED, issued_at=now, issued_on=timezone.localdate(now)
    )
    store_issued(report.pk, by=staff)  # what the issued render job does
    report.refresh_from_db()
    return report


@pytest.fixture
def draft(db):
    report = ReportFactory(reference="NPM-2026-052")
    ReportSectionFactory(report=report, title="Findings", body="Draft text Qzdraft5.")
    return report


# --- What it holds --------------------------------------------------------------------------


def test_docx_holds_every_section_title_with_its_number_and_every_recommendation(layout_report):
    document = opened(report_docx(layout_report, draft=False))
    titles = headings(document)
    sections = list(layout_report.sections.order_by("order", "pk"))
    for number, section in enumerate(sections, start=1):
        assert f"{number}. {section.title}" in "\n".join(titles)
    assert titles[-2:] == ["Annex: Recommendations", "Annex: The visiting team"]
    text = body_text(document)
    for number in (1, 2, 3):
        assert f"Recommendation {number}\n" in text
    annex = next(t for t in document.tables if t.rows[0].cells[0].text == "No.")
    assert [row.cells[0].text for row in annex.rows] == ["No.", "1", "2", "3"]
    assert annex.rows[1].cells[3].text == "District Prison Niš; Ministry of Justice"
    assert "Install call bells in every cell." in annex.rows[1].cells[1].text


def test_section_text_keeps_paragraph_numbers_lists_tables_links_and_footnotes(layout_report):
    document = opened(report_docx(layout_report, draft=False))
    paragraphs = [p.text for p in document.paragraphs]
    assert "1.1.\tThe visit took place under Articles 19 and 20" in "\n".join(paragraphs)
    assert "3.3.\t3.\tcell 12 had six persons for four beds;" in paragraphs
    assert "4.\tcell 14 had no window glass." in paragraphs
    # A link's address after its text, as the PDF prints it; the link itself clickable.
    link = next(p for p in document.paragraphs if "CPT standards" in p.text)
    assert "CPT standards (https://www.coe.int/en/web/cpt/standards)" in link.text
    assert "the NPM (npm@example.org)" in link.text
    assert link.hyperlinks[0].address == "https://www.coe.int/en/web/cpt/standards"
    assert "1.\tOptional Protocol, Article 20 (b)." in paragraphs  # the footnote, without ↩
    assert any(p.style.name == "Heading 2" and p.text == "Cells" for p in document.paragraphs)
    struck = next(p for p in document.paragraphs if "mattresses" in p.text)
    assert [r.text for r in struck.runs if r.font.strike] == ["mattresses"]
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Cell")
    assert table.rows[0].cells[-1].text == "Remarks on the state of the cell"
    assert table.rows[1].cells[0].text == "12"


def test_quotations_nested_lists_code_and_line_breaks_are_kept():
    document = docx.Document()
    write_html(
        document,
        "<blockquote><p>Said <em>twice</em></p></blockquote><ul><li>a<ul><li>b</li></ul></li>"
        "</ul><pre><code>x = 1\ny = 2\n</code></pre><p>one<br>two <code>ls</code>"
        "<p>unclosed <strong>bold",
        width=Cm(16),
    )
    quote, outer, inner, code, lines, unclosed = document.paragraphs
    assert quote.text == "Said twice"
    assert round(quote.paragraph_format.left_indent.cm, 2) == INDENT.cm  # stored in twips
    assert [r.text for r in quote.runs if r.italic] == ["twice"]
    assert (outer.text, inner.text) == ("•\ta", "•\tb")
    assert inner.paragraph_format.left_indent > outer.paragraph_format.left_indent
    assert code.text == "x = 1\ny = 2"
    assert {r.font.name for r in code.runs if r.text.strip()} == {MONOSPACE}
    assert lines.text == "one\ntwo ls"
    assert (unclosed.text, unclosed.runs[-1].bold) == ("unclosed bold", True)


def test_recommendations_are_bold_where_they_arise(layout_report):
    document = opened(report_docx(layout_report, draft=False))
    paragraphs = document.paragraphs
    label = next(i for i, p in enumerate(paragraphs) if p.text == "Recommendation 1")
    text = paragraphs[label + 1]
    assert text.text == "Install call bells in every cell."
    assert all(run.bold for run in text.runs)
    # It arises at the end of its theme's section ("3. Material conditions").
    section = max(i for i, p in enumerate(paragraphs[:label]) if p.style.name == "Heading 1")
    assert paragraphs[section].text == "3. Material conditions"


def test_signatory_and_cover(layout_report, head):
    document = opened(report_docx(layout_report, draft=False))
    text = body_text(document)
    assert NPM in text
    assert "Report on the visit to the District Prison Niš" in text
    assert "Reference number: NPM-2014-007" in text
    assert str(head) in text
    assert "Head of the National Preventive Mechanism" in text
    assert "CONFIDENTIAL" in header_text(document).upper()


def test_public_version_leaves_out_confidential_sections_and_keeps_numbers(layout_report, head):
    text = body_text(opened(report_docx(layout_report, draft=False, public=True)))
    assert "Interviews" not in text
    assert "Qzconf81" not in text
    assert "Qzsecret" not in text  # a recommendation that is not public
    assert "3. Material conditions" in text
    assert "Public version" in text
    assert str(head) in text  # the signatory; the team annex is left out
    assert "Annex: The visiting team" not in text


# --- DRAFT, script, metadata ----------------------------------------------------------------


def test_draft_says_draft_in_the_header_and_on_the_cover(layout_report):
    document = opened(report_docx(layout_report, draft=True))
    assert "DRAFT" in header_text(document)
    assert "DRAFT" in [p.text for p in document.paragraphs[:3]]
    assert "Draft generated on" in "\n".join(p.text for p in document.sections[0].footer.paragraphs)


def test_issued_docx_is_not_marked_draft(layout_report):
    document = opened(report_docx(layout_report, draft=False))
    assert "DRAFT" not in header_text(document)
    assert "DRAFT" not in body_text(document)


def test_serbian_cyrillic_report_is_in_cyrillic_but_urls_and_reference_are_not(db):
    report = ReportFactory(
        language="sr-cyrl", reference="NPM-2026-021", title="Izveštaj o poseti Ljubljana"
    )
    ReportSectionFactory(
        report=report,
        title="Uslovi džamija",
        body="Vidi https://example.org/ljudska-prava i piši na nadzor@example.org.",
    )
    RecommendationFactory(visit=report.visit, number=1, text="Ugradite zvona u sve njegove sobe.")
    document = opened(report_docx(report, draft=True))
    text = body_text(document)
    assert "Извештај о посети Љубљана" in text
    assert "1. Услови џамија" in headings(document)
    assert "Уградите звона у све његове собе." in text
    assert "https://example.org/ljudska-prava" in text
    assert "nadzor@example.org" in text
    assert "NPM-2026-021" in text
    assert "Lj" not in text.replace("https://example.org/ljudska-prava", "")
    assert "НАЦРТ" in header_text(document)  # the Cyrillic catalogue's "DRAFT"
    assert document.core_properties.language == "sr-Cyrl-RS"
    assert document.core_properties.title == "NPM-2026-021 · Извештај о посети Љубљана"


def test_issued_docx_is_the_same_bytes_whenever_it_is_made(layout_report):
    with time_machine.travel(local(2026, 5, 1, 9, 0), tick=False):
        first = report_docx(layout_report, draft=False)
    with time_machine.travel(local(2026, 9, 2, 17, 30), tick=False):
        second = report_docx(layout_report, draft=False)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert "docProps/thumbnail.jpeg" not in archive.namelist()
        assert b"python-docx" not in archive.read("docProps/core.xml")


def test_metadata_names_the_npm_and_the_issue_date(layout_report, head):
    properties = opened(report_docx(layout_report, draft=False)).core_properties
    assert properties.author == properties.last_modified_by == NPM
    assert properties.title == "NPM-2014-007 · Report on the visit to the District Prison Niš"
    assert properties.language == "en-GB"
    issued = layout_report.issued_at.astimezone(dt.UTC).replace(tzinfo=None)
    assert properties.created.replace(tzinfo=None) == issued
    assert properties.modified.replace(tzinfo=None) == issued
    assert str(head) not in (properties.author, properties.last_modified_by)


# --- The frozen issued DOCX -----------------------------------------------------------------


def test_issued_docx_is_stored_once_with_its_checksum(issued, staff):
    stored = issued.docx.open("rb").read()
    assert issued.docx.name.endswith(".docx")
    assert hashlib.sha256(stored).hexdigest() == issued.docx_sha256
    assert "1. Findings" in headings(opened(stored))
    name, pdf_sha256 = issued.docx.name, issued.pdf_sha256
    # Rendering the issued report again (a retry) keeps every stored file as it is.
    ReportSectionFactory(report=issued, title="Added afterwards", body="Later.")
    store_issued(issued.pk, by=staff)
    issued.refresh_from_db()
    assert (issued.docx.name, issued.pdf_sha256) == (name, pdf_sha256)
    assert issued.docx.open("rb").read() == stored


def test_report_issued_before_the_docx_gets_it_by_rendering_again(
    head_client, issued, settings, django_capture_on_commit_callbacks
):
    settings.NPM_RENDER_RUNNER = "inline"
    pdf_sha256 = issued.pdf_sha256
    Report.objects.filter(pk=issued.pk).update(docx="", docx_sha256="")
    page = head_client.get(url("report_detail", issued)).content.decode()
    assert 'data-action="render-issued"' in page
    assert url("report_docx", issued) not in page
    with django_capture_on_commit_callbacks(execute=True):
        assert head_client.post(url("report_preview", issued)).status_code == 302
    issued.refresh_from_db()
    assert issued.docx_sha256
    assert issued.pdf_sha256 == pdf_sha256


def test_report_page_shows_the_docx_and_its_checksum_beside_the_pdf(staff_client, issued):
    page = staff_client.get(url("report_detail", issued)).content.decode()
    assert url("report_docx", issued) in page
    assert issued.docx_sha256 in page
    assert issued.pdf_sha256 in page
    assert 'data-action="render-issued"' not in page
    assert url("report_draft_docx", issued) not in page


def test_report_page_of_a_draft_offers_the_draft_docx(rf, staff, draft):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = staff
    html = render_to_string(
        "visits/_report_pdf_panel.html", pdf_panel_context(request, draft), request=request
    )
    assert url("report_draft_docx", draft) in html
    assert url("report_docx", draft) not in html


# --- Downloads and who may make them --------------------------------------------------------


def test_staff_downloads_the_frozen_docx_and_it_is_logged(staff_client, staff, issued):
    response = staff_client.get(url("report_docx", issued))
    assert response.status_code == 200
    body = content(response)
    assert body == issued.docx.open("rb").read()
    assert response["X-Content-SHA256"] == issued.docx_sha256
    assert 'filename="NPM-2026-051.docx"' in response["Content-Disposition"]
    assert AccessLog.objects.filter(
        user=staff, action="download", object_type="visits.Report", object_id=str(issued.pk)
    ).exists()


def test_head_downloads_a_draft_docx_and_it_is_logged(head_client, head, draft):
    response = head_client.get(url("report_draft_docx", draft))
    assert response.status_code == 200
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    assert 'filename="NPM-2026-052-draft.docx"' in response["Content-Disposition"]
    document = opened(content(response))
    assert "DRAFT" in header_text(document)
    assert "Draft text Qzdraft5." in body_text(document)
    assert AccessLog.objects.filter(
        user=head, action="download", object_type="visits.Report", object_id=str(draft.pk)
    ).exists()
    assert not Report.objects.get(pk=draft.pk).docx  # a draft is never stored


def test_there_is_no_draft_of_an_issued_report_nor_a_frozen_docx_of_a_draft(
    staff_client, issued, draft
):
    assert staff_client.get(url("report_draft_docx", issued)).status_code == 404
    assert staff_client.get(url("report_docx", draft)).status_code == 404


def test_partner_on_the_team_may_not_download_the_confidential_docx(
    partner_client, on_team, issued, draft
):
    on_team(issued.visit)
    on_team(draft.visit)
    assert partner_client.get(url("report_docx", issued)).status_code == 403
    assert partner_client.get(url("report_draft_docx", draft)).status_code == 403


def test_partner_of_another_visit_gets_not_found(partner_client, on_team, issued, draft):
    on_team(VisitFactory())
    assert partner_client.get(url("report_docx", issued)).status_code == 404
    assert partner_client.get(url("report_draft_docx", draft)).status_code == 404


def test_authority_user_gets_not_found(issued, draft, client):
    account = authority_user(issued.visit.place.authority)
    client.force_login(account.user)
    assert client.get(url("report_docx", issued)).status_code == 404
    assert client.get(url("report_draft_docx", draft)).status_code == 404


def test_anonymous_is_sent_to_login(client, issued, draft):
    for response in (
        client.get(url("report_docx", issued)),
        client.get(url("report_draft_docx", draft)),
    ):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
