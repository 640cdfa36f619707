"""Who runs a render job (visits.pdf.tasks): the issue request never renders the PDFs itself.
With the thread runner (no broker, `make run`) the request returns with the job still queued,
a background thread renders and stores the frozen PDFs, and the progress page follows it; a job
whose thread died is shown as stalled and is started again from its page."""

import datetime as dt
import hashlib
import threading

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from npm_portal.celery import app
from tests.factories.visits import ReportFactory
from tests.webhooks.test_real_worker import broker  # noqa: F401 - Redis for a real worker
from visits import services as rs
from visits.models import RenderState, Report, ReportRender
from visits.pdf import tasks
from visits.pdf.tasks import render_runner, wait_for_renders

# Bounded waits: a 90-page report renders in about 22 s; these are a few pages.
WAIT_SECONDS = 60


def url(name, report, *args):
    return reverse(f"visits:{name}", args=[report.visit_id, *args])


@pytest.fixture
def approved(report, staff, head):
    for section in report.sections.all():
        section.refresh_from_db()
        if not section.body:
            section = rs.section_save(section=section, body="Text.", base_version=1, by=staff)
        rs.section_submit(section=section, by=staff)
        rs.section_accept(section=section, by=staff)
    rs.report_submit_for_review(report=report, by=staff)
    rs.report_approve(report=report, by=head)
    return report


@pytest.fixture
def gate(monkeypatch):
    """The thread runner's jobs wait until the test opens the gate: what the request did is seen
    before anything is rendered, whatever the machine's speed."""
    opened = threading.Event()
    real = tasks.run_render

    def gated(render_pk: int) -> None:
        opened.wait(WAIT_SECONDS)
        real(render_pk)

    monkeypatch.setattr(tasks, "run_render", gated)
    yield opened
    opened.set()  # a failed test leaves no job waiting in the thread
    wait_for_renders(timeout=WAIT_SECONDS)


def _stored_checksums_match(report: Report) -> bool:
    with report.pdf.open("rb") as full, report.public_pdf.open("rb") as public:
        return (
            hashlib.sha256(full.read()).hexdigest() == report.pdf_sha256
            and hashlib.sha256(public.read()).hexdigest() == report.public_pdf_sha256
        )


@pytest.mark.django_db(transaction=True)
def test_issue_returns_before_rendering_and_a_thread_stores_the_frozen_pdfs(
    approved, head_client, settings, gate
):
    settings.NPM_RENDER_RUNNER = "thread"
    issue = reverse("visits:report_transition", kwargs={"pk": approved.visit_id, "action": "issue"})
    response = head_client.post(issue, {"confirm": "yes"})  # from the confirmation page
    # The request is over, committed, and nothing is rendered yet.
    render = ReportRender.objects.get(report=approved, kind="issued")
    assert response.status_code == 302
    assert response.url == url("report_render", approved, render.pk)
    assert render.state == RenderState.QUEUED
    approved.refresh_from_db()
    assert approved.status == Report.Status.ISSUED
    assert not approved.pdf
    page = head_client.get(response.url).content.decode()
    assert "The report is issued; its PDFs are being rendered." in page
    assert 'hx-trigger="every 2s"' in page  # the page polls the job
    assert url("report_pdf", approved) not in page

    gate.set()
    wait_for_renders(timeout=WAIT_SECONDS)
    render.refresh_from_db()
    assert render.state == RenderState.DONE, render.error
    approved.refresh_from_db()
    assert approved.pdf_ready
    assert approved.public_pdf
    assert _stored_checksums_match(approved)
    page = head_client.get(response.url).content.decode()
    assert 'data-state="done"' in page
    assert "hx-trigger" not in page
    assert url("report_pdf", approved) in page
    download = head_client.get(url("report_pdf", approved))
    assert download.status_code == 200
    assert download["X-Content-SHA256"] == approved.pdf_sha256


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_thread_died_is_stalled_and_started_again_in_a_thread(
    head, head_client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.NPM_RENDER_RUNNER = "thread"
    now = timezone.now()
    report = ReportFactory(
        status=Report.Status.ISSUED, issued_at=now, issued_on=timezone.localdate(now)
    )
    # Running when its process stopped (a restart): nobody will finish it.
    with time_machine.travel(now - dt.timedelta(minutes=31)):
        dead = ReportRender.objects.create(
            report=report, kind="issued", state=RenderState.RUNNING, requested_by=head
        )
    page = head_client.get(url("report_render", report, dead.pk)).content.decode()
    assert 'id="render-stalled"' in page
    assert "hx-trigger" not in page  # no polling for ever
    assert 'data-action="retry"' in page
    retry = head_client.post(url("report_preview", report))
    again = ReportRender.objects.exclude(pk=dead.pk).get()
    assert retry.url == url("report_render", report, again.pk)
    wait_for_renders(timeout=WAIT_SECONDS)
    again.refresh_from_db()
    assert again.state == RenderState.DONE, again.error
    report.refresh_from_db()
    assert report.pdf_ready
    assert _stored_checksums_match(report)


@pytest.mark.django_db(transaction=True)
def test_with_a_broker_a_real_celery_worker_renders_the_issued_pdfs(
    broker,  # noqa: F811 - the fixture imported above
    approved,
    head_client,
    settings,
):
    settings.NPM_RENDER_RUNNER = ""  # the default: Celery, since there is a broker
    finished = threading.Event()

    def on_finished(sender=None, **kwargs):
        if sender is not None and sender.name == "visits.tasks.render_report":
            finished.set()

    task_postrun.connect(on_finished, weak=False)
    issue = reverse("visits:report_transition", kwargs={"pk": approved.visit_id, "action": "issue"})
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            response = head_client.post(issue, {"confirm": "yes"})
            assert finished.wait(WAIT_SECONDS), "the worker rendered nothing"
    finally:
        task_postrun.disconnect(on_finished)
    render = ReportRender.objects.get(report=approved, kind="issued")
    assert response.url == url("report_render", approved, render.pk)
    assert render.state == RenderState.DONE, render.error
    approved.refresh_from_db()
    assert approved.pdf_ready
    assert _stored_checksums_match(approved)


def test_a_crash_in_the_thread_is_logged_and_the_next_job_still_runs(monkeypatch, caplog):
    ran = []

    def crash_then_record(render_pk: int) -> None:
        if render_pk == 1:
            raise RuntimeError("the database went away")
        ran.append(render_pk)

    monkeypatch.setattr(tasks, "run_render", crash_then_record)
    tasks.RUNNERS["thread"](1)
    tasks.RUNNERS["thread"](2)
    wait_for_renders(timeout=WAIT_SECONDS)
    assert ran == [2]
    assert "Render job 1 stopped" in caplog.text


def test_the_runner_defaults_to_a_thread_without_a_broker_and_celery_with_one(
    settings, monkeypatch
):
    monkeypatch.delenv("NPM_RENDER_RUNNER", raising=False)
    settings.NPM_RENDER_RUNNER = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert render_runner() == "thread"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert render_runner() == "celery"


def test_the_runner_is_chosen_by_setting_then_environment(settings, monkeypatch):
    settings.NPM_RENDER_RUNNER = ""
    monkeypatch.setenv("NPM_RENDER_RUNNER", "inline")
    assert render_runner() == "inline"
    settings.NPM_RENDER_RUNNER = "celery"
    assert render_runner() == "celery"
    settings.NPM_RENDER_RUNNER = "later"
    with pytest.raises(ImproperlyConfigured, match="NPM_RENDER_RUNNER='later'"):
        render_runner()


def test_an_unknown_runner_creates_no_job(report, staff, settings):
    settings.NPM_RENDER_RUNNER = "threads"
    with pytest.raises(ImproperlyConfigured):
        tasks.request_render(report=report, kind="preview", by=staff)
    assert not ReportRender.objects.exists()
