"""Draft previews (confidential sections of unfinished reports) do not pile up in media: a new
preview replaces the requester's older ones of the same report, and `prune_previews` expires them
after NPM_PREVIEW_TTL_HOURS; the issued report's PDFs are never touched (issue #17, finding 6)."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from tests.factories.visits import ReportFactory, ReportSectionFactory
from visits.models import RenderKind, RenderState, Report, ReportRender
from visits.pdf import rendering, tasks
from visits.pdf.pruning import prune_previews
from visits.pdf.tasks import request_render

FAKE_PDF = b"%PDF-1.4\n% a draft with confidential sections\n%%EOF\n"
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _inline_and_fast(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    # WeasyPrint is not what is tested here (one test below renders for real).
    monkeypatch.setattr(rendering, "report_pdf", lambda report, **kwargs: (FAKE_PDF, 1))


@pytest.fixture
def report(db):
    report = ReportFactory(reference="NPM-2026-031")
    ReportSectionFactory(report=report, title="Names", body="Secret.", confidential=True)
    return report


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what waits for the commit (files are deleted once the rows' deletion commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _storage():
    return ReportRender._meta.get_field("file").storage


def _committed():
    """What waits for the commit runs at the end of the block: the render job (the test
    settings' "inline" runner) and the deletion of the files it replaced."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def _preview(report, user, at: dt.datetime = T0) -> ReportRender:
    with time_machine.travel(at, tick=False), _committed():
        render = request_render(report=report, kind="preview", by=user)
    render.refresh_from_db()
    return render


def _issued(report, by) -> Report:
    now = timezone.now()
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.ISSUED, issued_at=now, issued_on=timezone.localdate(now)
    )
    report.refresh_from_db()
    with _committed():
        request_render(report=report, kind="issued", by=by)
    report.refresh_from_db()
    assert report.pdf
    assert report.public_pdf
    return report


class TestANewPreviewReplacesTheOlderOnes:
    def test_only_the_latest_per_report_and_user_is_kept(self, report, staff, head):
        other_report = ReportFactory()
        first = _preview(report, staff)
        heads = _preview(report, head)
        elsewhere = _preview(other_report, staff)
        second = _preview(report, staff, T0 + dt.timedelta(minutes=5))
        latest = _preview(report, staff, T0 + dt.timedelta(minutes=9))
        kept = set(ReportRender.objects.values_list("pk", flat=True))
        assert kept == {heads.pk, elsewhere.pk, latest.pk}
        for gone in (first, second):
            assert not _storage().exists(gone.file.name)
        for render in (heads, elsewhere, latest):
            assert _storage().exists(render.file.name)

    def test_a_failed_preview_keeps_the_older_good_one(self, report, staff, monkeypatch):
        good = _preview(report, staff)

        def broken(report, **kwargs):
            raise RuntimeError("WeasyPrint died")

        monkeypatch.setattr(rendering, "report_pdf", broken)
        failed = _preview(report, staff, T0 + dt.timedelta(minutes=1))
        assert failed.state == RenderState.FAILED
        assert set(ReportRender.objects.values_list("pk", flat=True)) == {good.pk, failed.pk}
        assert _storage().exists(good.file.name)

    def test_the_next_good_one_replaces_a_failed_one(self, report, staff, monkeypatch):
        monkeypatch.setattr(
            rendering, "report_pdf", lambda report, **kwargs: (_ for _ in ()).throw(OSError())
        )
        failed = _preview(report, staff)
        monkeypatch.setattr(rendering, "report_pdf", lambda report, **kwargs: (FAKE_PDF, 1))
        done = _preview(report, staff, T0 + dt.timedelta(minutes=1))
        assert list(ReportRender.objects.values_list("pk", flat=True)) == [done.pk]
        assert failed.state == RenderState.FAILED

    def test_an_older_job_still_running_is_kept_unless_stalled(self, report, staff):
        with time_machine.travel(T0, tick=False):
            queued = ReportRender.objects.create(report=report, kind="preview", requested_by=staff)
        _preview(report, staff, T0 + dt.timedelta(minutes=2))
        assert ReportRender.objects.filter(pk=queued.pk).exists()
        # Queued for longer than any worker takes to start it: stalled, and replaced.
        _preview(report, staff, T0 + dt.timedelta(minutes=15))
        assert not ReportRender.objects.filter(pk=queued.pk).exists()

    def test_through_the_page(self, staff_client, report, staff, commit):
        # The world of the view: staff heads the visit's team.
        from tests.factories.visits import TeamMemberFactory

        TeamMemberFactory(visit=report.visit, user=staff, role="head")
        url = reverse("visits:report_preview", args=[report.visit_id])
        with commit():
            assert staff_client.post(url).status_code == 302
        first = ReportRender.objects.get()
        with commit():
            assert staff_client.post(url).status_code == 302
        second = ReportRender.objects.get()
        assert second.pk != first.pk
        old_page = reverse("visits:report_render", args=[report.visit_id, first.pk])
        assert staff_client.get(old_page).status_code == 404
        assert not _storage().exists(first.file.name)

    def test_a_job_whose_row_is_gone_does_nothing(self, report, staff):
        render = ReportRender.objects.create(report=report, kind="preview", requested_by=staff)
        ReportRender.objects.filter(pk=render.pk).delete()
        rendering.run_render(render.pk)  # a queued Celery task after pruning: no error
        assert not ReportRender.objects.exists()


class TestExpiry:
    def test_previews_older_than_the_ttl_are_deleted_with_their_files(
        self, report, staff, head, commit
    ):
        other = ReportFactory()
        old = _preview(report, staff)
        young = _preview(other, head, T0 + dt.timedelta(hours=20))
        with time_machine.travel(T0 + dt.timedelta(hours=23, minutes=59), tick=False):
            assert prune_previews() == 0
        with commit(), time_machine.travel(T0 + dt.timedelta(hours=24, minutes=1), tick=False):
            assert prune_previews() == 1
        assert list(ReportRender.objects.values_list("pk", flat=True)) == [young.pk]
        assert not _storage().exists(old.file.name)
        assert _storage().exists(young.file.name)

    def test_the_ttl_is_a_setting(self, report, staff, settings):
        settings.NPM_PREVIEW_TTL_HOURS = 2
        _preview(report, staff)
        with time_machine.travel(T0 + dt.timedelta(hours=2, minutes=1), tick=False):
            assert prune_previews() == 1

    def test_no_ttl_keeps_them_by_age_but_not_replaced_ones(self, report, staff, settings):
        settings.NPM_PREVIEW_TTL_HOURS = 0
        # Still rendering when the newer one finished, so the job kept it.
        with time_machine.travel(T0, tick=False):
            older = ReportRender.objects.create(
                report=report, kind="preview", requested_by=staff, state=RenderState.RUNNING
            )
        latest = _preview(report, staff, T0 + dt.timedelta(minutes=1))
        assert ReportRender.objects.filter(pk=older.pk).exists()
        with time_machine.travel(T0 + dt.timedelta(days=400), tick=False):
            assert prune_previews() == 1
        assert list(ReportRender.objects.values_list("pk", flat=True)) == [latest.pk]

    def test_the_issued_report_and_its_render_jobs_are_never_touched(
        self, report, staff, head, commit
    ):
        preview = _preview(report, staff)
        with time_machine.travel(T0 + dt.timedelta(hours=1), tick=False):
            issued = _issued(report, head)
        frozen = (issued.pdf.name, issued.public_pdf.name)
        with commit(), time_machine.travel(T0 + dt.timedelta(days=30), tick=False):
            assert prune_previews() == 1  # the draft preview of what is now issued
        issued.refresh_from_db()
        assert (issued.pdf.name, issued.public_pdf.name) == frozen
        assert all(_storage().exists(name) for name in frozen)
        kinds = list(ReportRender.objects.values_list("kind", flat=True))
        assert kinds == [RenderKind.ISSUED]
        assert not _storage().exists(preview.file.name)

    def test_a_running_preview_past_the_ttl_is_stalled_and_goes(self, report, staff, settings):
        settings.NPM_PREVIEW_TTL_HOURS = 0.1  # six minutes, shorter than a stalled job's limit
        with time_machine.travel(T0, tick=False):
            running = ReportRender.objects.create(
                report=report, kind="preview", requested_by=staff, state=RenderState.RUNNING
            )
        with time_machine.travel(T0 + dt.timedelta(minutes=7), tick=False):
            assert prune_previews() == 0  # still rendering
        with time_machine.travel(T0 + dt.timedelta(minutes=31), tick=False):
            assert prune_previews() == 1
        assert not ReportRender.objects.filter(pk=running.pk).exists()


class TestCommandAndTask:
    def test_dry_run_counts_and_deletes_nothing(self, report, staff, capsys):
        render = _preview(report, staff)
        with time_machine.travel(T0 + dt.timedelta(days=2), tick=False):
            call_command("prune_previews", "--dry-run")
        assert "Would delete 1 draft previews older than 24 hours" in capsys.readouterr().out
        assert ReportRender.objects.filter(pk=render.pk).exists()

    def test_the_command_deletes(self, report, staff, capsys, commit):
        render = _preview(report, staff)
        with commit(), time_machine.travel(T0 + dt.timedelta(days=2), tick=False):
            call_command("prune_previews")
        assert "Deleted 1 draft previews" in capsys.readouterr().out
        assert not ReportRender.objects.exists()
        assert not _storage().exists(render.file.name)

    def test_the_celery_task(self, report, staff):
        _preview(report, staff)
        assert tasks.prune_draft_previews.name == "visits.tasks.prune_previews"
        with time_machine.travel(T0 + dt.timedelta(days=2), tick=False):
            assert tasks.prune_draft_previews.apply().get() == 1
        assert not ReportRender.objects.exists()


def test_a_real_preview_is_replaced_too(report, staff, commit, monkeypatch):
    monkeypatch.undo()  # WeasyPrint for real, once
    with commit():
        first = request_render(report=report, kind="preview", by=staff)
    first.refresh_from_db()
    with commit():
        second = request_render(report=report, kind="preview", by=staff)
    second.refresh_from_db()
    assert first.file.name != second.file.name
    assert list(ReportRender.objects.values_list("pk", flat=True)) == [second.pk]
    with second.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
