"""Render jobs: inline without Celery, on commit with it; failures recorded, never raised; the
issued PDF and its public version written once."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from tests.factories.visits import ReportFactory, ReportSectionFactory
from visits.models import Report, ReportRender
from visits.pdf import rendering, tasks
from visits.pdf.rendering import transliterate_html
from visits.pdf.tasks import request_render


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CELERY_TASK_ALWAYS_EAGER = True


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


def test_preview_renders_inline_without_celery(report, staff):
    render = request_render(report=report, kind="preview", by=staff)
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
    settings.CELERY_TASK_ALWAYS_EAGER = False
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


def test_a_failed_render_is_recorded_not_raised(report, staff, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("layout exploded")

    monkeypatch.setattr(rendering, "report_pdf", broken)
    render = request_render(report=report, kind="preview", by=staff)
    render.refresh_from_db()
    assert render.state == "failed"
    assert render.error == "layout exploded"
    assert render.finished_at is not None
    assert not render.file
    assert "Rendering preview of report" in caplog.text


def test_issued_render_stores_both_pdfs_once_with_checksums(report, staff):
    report = issue(report)
    render = request_render(report=report, kind="issued", by=staff)
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


def test_issued_pdf_is_never_rendered_twice(report, staff, monkeypatch):
    report = issue(report)
    request_render(report=report, kind="issued", by=staff)
    report.refresh_from_db()
    frozen = (report.pdf.name, report.pdf_sha256, report.public_pdf.name, report.public_pdf_sha256)

    def must_not_render(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(rendering, "report_pdf", must_not_render)
    again = request_render(report=report, kind="issued", by=staff)
    assert again.state == "done"
    report.refresh_from_db()
    assert (
        report.pdf.name,
        report.pdf_sha256,
        report.public_pdf.name,
        report.public_pdf_sha256,
    ) == frozen


def test_retry_after_a_failed_issue_render_fills_in_what_is_missing(report, staff, monkeypatch):
    report = issue(report)
    real = rendering.report_pdf
    monkeypatch.setattr(
        rendering, "report_pdf", lambda *a, **k: (_ for _ in ()).throw(OSError("disk full"))
    )
    failed = request_render(report=report, kind="issued", by=staff)
    assert failed.state == "failed"
    report.refresh_from_db()
    assert not report.pdf
    assert not report.pdf_sha256
    monkeypatch.setattr(rendering, "report_pdf", real)
    done = request_render(report=report, kind="issued", by=staff)
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
