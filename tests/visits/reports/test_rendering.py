"""Render jobs: queued, and run once the transaction commits (the test settings' "inline" runner
runs them there; a Celery task is sent there); failures recorded, never raised; the issued PDF
and its public version written once. The thread runner: test_render_runner.py."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from tests.factories.visits import ReportFactory, ReportSectionFactory
from visits.models import Report, ReportRender
from visits.pdf import rendering, tasks
from visits.pdf.rendering import report_html, transliterate_html
from visits.pdf.tasks import request_render


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def report(db):
    report = ReportFactory(reference="NPM-2026-031", title="Report on Padinska Skela")
    ReportSectionFactory(report=report, title="Findings", body="Overcrowded dormitories.")
    ReportSectionFactory(report=report, title="Names", body="Secret.", confidential=True)
    return report


def issue(report: Report) -> Report:
    """Mark the report issued (the workflow's issue service does this, then requests a render)."""
    now = timezone.now()
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.ISSUED, issued_at=now, issued_on=timezone.localdate(now)
    )
    report.refresh_from_db()
    return report


def test_preview_is_queued_and_renders_at_the_commit(
    report, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        render = request_render(report=report, kind="preview", by=staff)
        render.refresh_from_db()
        assert render.state == "queued"  # not inside the transaction that asked for it
    render.refresh_from_db()
    assert render.state == "done"
    assert render.progress == 100
    assert render.finished_at is not None
    assert render.requested_by == staff
    data = render.file.read()
    assert data.startswith(b"%PDF")
    assert "Draft generated on" in PdfReader(io.BytesIO(data)).pages[0].extract_text()
    report.refresh_from_db()
    assert not report.pdf  # a preview never touches the report


def test_with_celery_the_task_is_sent_after_commit(
    report, staff, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.NPM_RENDER_RUNNER = "celery"
    sent = []
    monkeypatch.setattr(tasks.render_report, "delay", lambda pk: sent.append(pk))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        render = request_render(report=report, kind="preview", by=staff)
    assert sent == []
    render.refresh_from_db()
    assert render.state == "queued"
    assert render.progress == 0
    for callback in callbacks:
        callback()
    assert sent == [render.pk]
    # The worker runs the task.
    tasks.render_report(render.pk)
    render.refresh_from_db()
    assert render.state == "done"
    assert render.file


def test_a_failed_render_is_recorded_not_raised(report, staff, monkeypatch, caplog, render_now):
    def broken(*args, **kwargs):
        raise RuntimeError("layout exploded")

    monkeypatch.setattr(rendering, "report_pdf", broken)
    render = render_now(report=report, kind="preview", by=staff)
    assert render.state == "failed"
    assert render.error == "layout exploded"
    assert render.finished_at is not None
    assert not render.file
    assert "Rendering preview of report" in caplog.text


def test_issued_render_stores_both_pdfs_once_with_checksums(report, staff, render_now):
    report = issue(report)
    render = render_now(report=report, kind="issued", by=staff)
    assert render.state == "done"
    report.refresh_from_db()
    data = report.pdf.read()
    assert hashlib.sha256(data).hexdigest() == report.pdf_sha256
    assert report.pdf_pages == len(PdfReader(io.BytesIO(data)).pages)
    public = report.public_pdf.read()
    assert hashlib.sha256(public).hexdigest() == report.public_pdf_sha256
    assert public != data
    full_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    public_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(public)).pages)
    assert "Names" in full_text
    assert "Names" not in public_text
    assert "DRAFT" not in full_text
    assert report.pdf.name != report.public_pdf.name
    assert "NPM-2026-031" not in report.pdf.name  # random storage names


def test_issued_pdf_is_never_rendered_twice(report, staff, monkeypatch, render_now):
    report = issue(report)
    render_now(report=report, kind="issued", by=staff)
    report.refresh_from_db()
    frozen = (report.pdf.name, report.pdf_sha256, report.public_pdf.name, report.public_pdf_sha256)

    def must_not_render(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(rendering, "report_pdf", must_not_render)
    again = render_now(report=report, kind="issued", by=staff)
    assert again.state == "done"
    report.refresh_from_db()
    assert (
        report.pdf.name,
        report.pdf_sha256,
        report.public_pdf.name,
        report.public_pdf_sha256,
    ) == frozen


def test_retry_after_a_failed_issue_render_fills_in_what_is_missing(
    report, staff, monkeypatch, render_now
):
    report = issue(report)
    real = rendering.report_pdf
    monkeypatch.setattr(
        rendering, "report_pdf", lambda *a, **k: (_ for _ in ()).throw(OSError("disk full"))
    )
    failed = render_now(report=report, kind="issued", by=staff)
    assert failed.state == "failed"
    report.refresh_from_db()
    assert not report.pdf
    assert not report.pdf_sha256
    monkeypatch.setattr(rendering, "report_pdf", real)
    done = render_now(report=report, kind="issued", by=staff)
    assert done.state == "done"
    report.refresh_from_db()
    assert report.pdf_ready
    assert report.public_pdf_sha256


def test_only_an_issued_report_gets_a_frozen_pdf(report, staff):
    with pytest.raises(ValidationError):
        request_render(report=report, kind="issued", by=staff)
    with pytest.raises(ValidationError):
        request_render(report=report, kind="final", by=staff)
    assert not ReportRender.objects.exists()


def test_transliteration_changes_text_nodes_only():
    html = (
        '<p class="Lj" title="Njegoš">Ljubav &amp; džem &#x27;Fx&#x27; '
        '<a href="https://example.org/nj">njiva https://example.org/lj</a> NPM-2026-014</p>'
        "<style>.Nj { content: 'Lj' }</style>Dž<!-- nj -->"
    )
    # "Fx" has an x: a foreign word, kept in Latin since translit keeps foreign words.
    assert transliterate_html(html) == (
        '<p class="Lj" title="Njegoš">Љубав &amp; џем &#x27;Fx&#x27; '
        '<a href="https://example.org/nj">њива https://example.org/lj</a> NPM-2026-014</p>'
        "<style>.Nj { content: 'Lj' }</style>Џ<!-- nj -->"
    )


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>nj <code>lj = nj</code> nj</p>", "<p>њ <code>lj = nj</code> њ</p>"),
        ("<pre><code>dž\nlj</code></pre>lj", "<pre><code>dž\nlj</code></pre>љ"),
        ("<kbd>Ctrl</kbd> <samp>Greška lj</samp> lj", "<kbd>Ctrl</kbd> <samp>Greška lj</samp> љ"),
        ('<span lang="en">Belgrade Centre</span> nj', '<span lang="en">Belgrade Centre</span> њ'),
        ('<span lang="EN-gb">Njegoš</span>', '<span lang="EN-gb">Njegoš</span>'),
        ('<span lang="sr-Latn">Poglavlje</span>', '<span lang="sr-Latn">Poglavlje</span>'),
        ('<span lang="sr-Latn-RS">nj</span>', '<span lang="sr-Latn-RS">nj</span>'),
        (
            '<span lang="sr-Cyrl">nj</span><span lang="sr">lj</span>',
            '<span lang="sr-Cyrl">њ</span><span lang="sr">љ</span>',
        ),
        ('<span translate="no">Lj</span>', '<span translate="no">Lj</span>'),
        ('<span class="x latin">Lj</span>', '<span class="x latin">Lj</span>'),
        ('<span class="latinica">Lj</span>', '<span class="latinica">Љ</span>'),
        # Nesting: a Serbian Cyrillic element inside an English one is transliterated again …
        (
            '<p lang="en">CPT <span lang="sr">nj</span> lj</p>',
            '<p lang="en">CPT <span lang="sr">њ</span> lj</p>',
        ),
        # … but nothing inside code or translate="no" is, whatever its language.
        (
            '<code>lj <span lang="sr">nj</span> lj</code>',
            '<code>lj <span lang="sr">nj</span> lj</code>',
        ),
        (
            '<div translate="no"><p lang="sr">nj</p></div>nj',
            '<div translate="no"><p lang="sr">nj</p></div>њ',
        ),
        # Void and self-closed elements push nothing: the span ends where its end tag is.
        (
            '<span lang="en">a<br>lj<img src="x"><br/>nj</span> nj',
            '<span lang="en">a<br>lj<img src="x"><br/>nj</span> њ',
        ),
        # An element left open inside another is closed with it; a stray end tag changes nothing.
        ('<span lang="en"><b>lj</span> nj', '<span lang="en"><b>lj</span> њ'),
        ("</span>nj<code>lj</code>", "</span>њ<code>lj</code>"),
        (
            '<code>a</code><span lang="en">lj</span></code>nj',
            '<code>a</code><span lang="en">lj</span></code>њ',
        ),
        # The document's language is Serbian Cyrillic: its text is transliterated.
        (
            '<html lang="sr-Cyrl"><body>Lj</body></html>',
            '<html lang="sr-Cyrl"><body>Љ</body></html>',
        ),
        # Attribute values never change, in kept elements or not.
        (
            '<span lang="en" title="Njegoš">nj</span><b title="Nj">nj</b>',
            '<span lang="en" title="Njegoš">nj</span><b title="Nj">њ</b>',
        ),
        # A "<" that opens no tag is text.
        ("5 < 10 i lj", "5 < 10 и љ"),
    ],
)
def test_transliteration_keeps_code_and_other_languages_in_latin(html, expected):
    assert transliterate_html(html) == expected


def test_cyrillic_report_keeps_what_the_author_marked_latin(db):
    report = ReportFactory(language="sr-cyrl", title="Izveštaj")
    ReportSectionFactory(
        report=report,
        title="Nalazi",
        body=(
            "Vidi [CPT/Inf (2019) 12]{lang=en} i [Okružni zatvor]{.latin}; "
            "`lj = nj` ostaje.\n\n```\ndžak\n```\n\nPoglavlje IV: 20 °C, injekcija."
        ),
    )
    html = report_html(report)
    assert '<span lang="en">CPT/Inf (2019) 12</span>' in html
    assert '<span class="latin" lang="sr-Latn">Okružni zatvor</span>' in html
    assert "<code>lj = nj</code> остаје" in html
    assert "<code>džak" in html
    assert "Поглавље IV: 20 °C, инјекција." in html
    assert "Види" in html
