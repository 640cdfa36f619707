"""Render jobs of report PDFs: `request_render` queues one (the one entry point for a rendering),
`render_report` is the Celery task that runs it. `prune_draft_previews` is the periodic task
(Celery beat) that expires draft previews (`visits.pdf.pruning`).

A job never runs inside the transaction that asks for it, and, unless the runner is "inline",
never inside the web request either: issuing a long report renders for tens of seconds, more
than a web worker may take. Who runs it is the runner (`render_runner`):

- "celery": a Celery task, sent once the transaction commits (the default with a broker);
- "thread": a background thread of this process, started once the transaction commits (the
  default without a broker, e.g. `make run`). A job whose process stops before it finishes
  stays queued or running until `ReportRender.is_stalled` says so, and is tried again from its
  page;
- "inline": run once the transaction commits, synchronously, in the process and thread that
  asked (the request waits): for the test suite, which runs the commit callbacks itself.

settings.py is at its size limit, so NPM_RENDER_RUNNER is read here: a Django setting of that
name wins, then the environment variable; empty means the default."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connections, transaction
from django.utils.translation import gettext as _

from ..models import RenderKind, Report, ReportRender
from .pruning import prune_previews
from .rendering import run_render

logger = logging.getLogger(__name__)

# One job at a time per process: a rendering takes a CPU core and a few hundred MB, and the web
# workers must keep answering. Jobs queue here in the order they were asked for.
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="render")


# The name predates the pdf package; kept so jobs already queued still find their task.
@shared_task(name="visits.tasks.render_report")
def render_report(render_pk: int) -> None:
    """Render one report PDF job (a draft preview or the issued report's frozen PDFs).

    Failures are recorded on the job (state "failed" with the error), never raised."""
    run_render(render_pk)


def _in_thread(render_pk: int) -> None:
    """The thread runner's job. The thread's database connections are closed afterwards: no
    connection stays open (or in a broken transaction) in an idle thread."""
    try:
        run_render(render_pk)
    except Exception:  # noqa: BLE001 - nobody waits on the future: say it here
        # The job stays running; its page shows it as stalled and offers to try again.
        logger.exception("Render job %s stopped", render_pk)
    finally:
        connections.close_all()


def _start_thread(render_pk: int) -> None:
    _executor.submit(_in_thread, render_pk)


def _send_task(render_pk: int) -> None:
    render_report.delay(render_pk)


RUNNERS: dict[str, Callable[[int], None]] = {
    "celery": _send_task,
    "thread": _start_thread,
    "inline": run_render,
}


def render_runner() -> str:
    """The name of the runner of render jobs: NPM_RENDER_RUNNER, or by default Celery with a
    broker and a background thread without one."""
    name = getattr(settings, "NPM_RENDER_RUNNER", "") or os.environ.get("NPM_RENDER_RUNNER", "")
    if not name:
        return "thread" if settings.CELERY_TASK_ALWAYS_EAGER else "celery"
    if name not in RUNNERS:
        raise ImproperlyConfigured(
            f"NPM_RENDER_RUNNER={name!r}: use one of {', '.join(RUNNERS)}, or leave it empty."
        )
    return name


def request_render(*, report: Report, kind: str, by) -> ReportRender:
    """Queue a rendering of `report`: a draft preview, or the issued report's frozen PDFs.

    The job is created queued and handed to the runner once the surrounding transaction
    commits (at once outside a transaction): the caller gets it back before it has run."""
    if kind not in RenderKind.values:
        raise ValidationError(_("Unknown kind of rendering."))
    if kind == RenderKind.ISSUED and not report.is_issued:
        raise ValidationError(_("Only an issued report has a frozen PDF."))
    if report.imported:
        # Issued before this system: the signed report is on paper; nothing is rendered for it.
        raise ValidationError(_("This report was imported from a file: it has no PDF here."))
    run = RUNNERS[render_runner()]
    render = ReportRender.objects.create(
        report=report,
        kind=kind,
        requested_by=by if by is not None and by.is_authenticated else None,
    )
    transaction.on_commit(lambda: run(render.pk))
    return render


def wait_for_renders(timeout: float | None = None) -> None:
    """Block until every job handed to the thread runner so far has finished (the runner takes
    them in order): for a management command that must not exit before, and for tests."""
    _executor.submit(lambda: None).result(timeout=timeout)


@shared_task(name="visits.tasks.prune_previews")
def prune_draft_previews() -> int:
    """Delete expired and replaced draft previews (rows and files); the number deleted. For
    Celery beat, e.g. hourly; `manage.py prune_previews` does the same from cron."""
    return prune_previews()
