"""Draft previews do not pile up: they hold the confidential sections of unfinished reports.

- A new preview that rendered replaces the requester's older previews of the same report
  (`drop_older_previews`, called by the render job).
- `prune_previews` (the `prune_previews` command and the Celery task of the same name) deletes
  previews older than `NPM_PREVIEW_TTL_HOURS` (24 by default; 0 or less: no expiry by age), and
  any preview with a newer finished one by the same user for the same report.

Only draft previews are ever deleted: the issued report's frozen PDF and its public version are
stored on the report and are never touched here, and issued-kind render jobs are kept. A job still
queued or rendering is kept unless it is stalled. Rows go at once; their files once the deletion
is committed (a rolled-back deletion keeps its files)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from ..models import RenderKind, RenderState, Report, ReportRender

logger = logging.getLogger(__name__)


def preview_ttl() -> dt.timedelta | None:
    """How long a preview is kept; None: no expiry by age."""
    hours = float(getattr(settings, "NPM_PREVIEW_TTL_HOURS", 24))
    return dt.timedelta(hours=hours) if hours > 0 else None


def _deletable(renders, now: dt.datetime) -> list[ReportRender]:
    return [
        render
        for render in renders
        if render.kind == RenderKind.PREVIEW
        and not (render.is_active and not render.is_stalled(now))
    ]


def delete_previews(renders: list[ReportRender]) -> int:
    """Delete these draft previews: the rows now, their files after the commit."""
    renders = [render for render in renders if render.kind == RenderKind.PREVIEW]
    if not renders:
        return 0
    names = {render.file.name for render in renders if render.file}
    # Never a file an issued report points at (names are random, so this is only a safeguard).
    frozen = Report.objects.filter(Q(pdf__in=names) | Q(public_pdf__in=names))
    names -= {name for pair in frozen.values_list("pdf", "public_pdf") for name in pair}
    storage = ReportRender._meta.get_field("file").storage
    ReportRender.objects.filter(
        pk__in=[render.pk for render in renders], kind=RenderKind.PREVIEW
    ).delete()

    def remove_files() -> None:
        for name in sorted(names):
            try:
                storage.delete(name)
            except OSError:
                logger.warning("The file of a deleted draft preview could not be removed.")

    transaction.on_commit(remove_files)
    return len(renders)


def drop_older_previews(render: ReportRender) -> int:
    """After `render` (a preview) rendered: delete its requester's older previews of the same
    report. Never fails the render job: an error is logged."""
    if render.kind != RenderKind.PREVIEW or render.state != RenderState.DONE:
        return 0
    older = ReportRender.objects.filter(
        report_id=render.report_id,
        kind=RenderKind.PREVIEW,
        requested_by_id=render.requested_by_id,
        pk__lt=render.pk,
    )
    try:
        with transaction.atomic():
            return delete_previews(_deletable(older, timezone.now()))
    except DatabaseError:
        logger.exception("Older previews of report %s could not be deleted", render.report_id)
        return 0


def previews_to_prune(now: dt.datetime | None = None) -> list[ReportRender]:
    """Expired previews, and previews with a newer finished one by the same user and report."""
    now = now or timezone.now()
    newer_done = ReportRender.objects.filter(
        report=OuterRef("report"),
        requested_by=OuterRef("requested_by"),
        kind=RenderKind.PREVIEW,
        state=RenderState.DONE,
        pk__gt=OuterRef("pk"),
    )
    condition = Q(Exists(newer_done))
    ttl = preview_ttl()
    if ttl is not None:
        condition |= Q(created_at__lt=now - ttl)
    candidates = ReportRender.objects.filter(condition, kind=RenderKind.PREVIEW).order_by("pk")
    return _deletable(candidates, now)


def prune_previews(*, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """Delete the previews `previews_to_prune` lists; the number deleted (or that would be)."""
    with transaction.atomic():
        renders = previews_to_prune(now)
        if dry_run:
            return len(renders)
        return delete_previews(renders)
