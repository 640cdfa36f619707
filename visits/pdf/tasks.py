"""Render jobs of report PDFs: `request_render` queues one (the one entry point for a rendering),
`render_report` is the Celery task that runs it. Without Celery (CELERY_TASK_ALWAYS_EAGER) the job
runs inline and is done when `request_render` returns. `prune_draft_previews` is the periodic
task (Celery beat) that expires draft previews (`visits.pdf.pruning`)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import RenderKind, Report, ReportRender
from .pruning import prune_previews
from .rendering import run_render


# The name predates the pdf package; kept so jobs already queued still find their task.
@shared_task(name="visits.tasks.render_report")
def render_report(render_pk: int) -> None:
    """Render one report PDF job (a draft preview or the issued report's frozen PDFs).

    Failures are recorded on the job (state "failed" with the error), never raised."""
    run_render(render_pk)


def request_render(*, report: Report, kind: str, by) -> ReportRender:
    """Queue a rendering of `report`: a draft preview, or the issued report's frozen PDFs.

    Inline when Celery is not configured (the render is done when this returns), otherwise a
    Celery task started once the surrounding transaction commits."""
    if kind not in RenderKind.values:
        raise ValidationError(_("Unknown kind of rendering."))
    if kind == RenderKind.ISSUED and not report.is_issued:
        raise ValidationError(_("Only an issued report has a frozen PDF."))
    if report.imported:
        # Issued before this system: the signed report is on paper; nothing is rendered for it.
        raise ValidationError(_("This report was imported from a file: it has no PDF here."))
    render = ReportRender.objects.create(
        report=report,
        kind=kind,
        requested_by=by if by is not None and by.is_authenticated else None,
    )
    if settings.CELERY_TASK_ALWAYS_EAGER:
        run_render(render.pk)
        render.refresh_from_db()
    else:
        transaction.on_commit(lambda: render_report.delay(render.pk))
    return render


@shared_task(name="visits.tasks.prune_previews")
def prune_draft_previews() -> int:
    """Delete expired and replaced draft previews (rows and files); the number deleted. For
    Celery beat, e.g. hourly; `manage.py prune_previews` does the same from cron."""
    return prune_previews()
