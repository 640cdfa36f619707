"""Background tasks of `visits` (Celery when configured, inline otherwise)."""

from celery import shared_task


@shared_task(name="visits.tasks.render_report")
def render_report(render_pk: int) -> None:
    """Render one report PDF job (a draft preview or the issued report's frozen PDFs).

    Failures are recorded on the job (state "failed" with the error), never raised."""
    from .rendering import run_render

    run_render(render_pk)
