"""Report PDFs: draft previews (render jobs with a progress page) and the frozen issued PDF and
its public version, served straight from storage, never rendered on download; and the PDF panel
of the report page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.http import private_file_response

from ..access import (
    can_download_full,
    can_manage_renders,
    can_preview,
    deny_unless,
    get_pdf_report_for_user,
    get_render_for_user,
    may_open_render,
    may_retry_render,
)
from ..models import RenderKind, RenderState, Report, ReportRender
from ..pdf.tasks import request_render
from .tabs import render_tab


@require_POST
def report_preview(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_pdf_report_for_user(request.user, pk)
    deny_unless(can_preview(request.user))
    kind = RenderKind.PREVIEW
    if report.is_issued:
        if report.pdf_ready and report.public_pdf:
            messages.info(request, _("The issued PDF is frozen; it is never rendered again."))
            return redirect("visits:report_detail", pk)
        # The issued PDF failed to render: head and staff may try again (write-once, so a
        # PDF already stored is kept).
        deny_unless(can_manage_renders(request.user))
        kind = RenderKind.ISSUED
    try:
        render = request_render(report=report, kind=kind, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("visits:report_detail", pk)
    return redirect("visits:report_render", pk, render.pk)


def _render_for_user(request: HttpRequest, pk: int, render_pk: int) -> tuple[Report, ReportRender]:
    report = get_pdf_report_for_user(request.user, pk)
    return report, get_render_for_user(request.user, report, render_pk)


@require_GET
def report_render(request: HttpRequest, pk: int, render_pk: int) -> HttpResponse:
    report, render = _render_for_user(request, pk, render_pk)
    template = "visits/report_render.html"
    if request.htmx:
        template += "#render-progress"
    # A job nobody picked up (or that died with its worker) is not polled for ever.
    stalled = render.is_stalled()
    return render_tab(
        request,
        report.visit,
        "report",
        template,
        {
            "report": report,
            "render": render,
            "polling": render.is_active and not stalled,
            "stalled": stalled,
            "can_retry": may_retry_render(request.user, render),
        },
    )


def _pdf_response(request, field, *, filename: str, sha256: str, obj, visit) -> FileResponse:
    # Logged as a download of `obj` by private_file_response.
    return private_file_response(
        request,
        field,
        logged_as=obj,
        visit=visit,
        filename=filename,
        content_type="application/pdf",
        sha256=sha256,
    )


@require_GET
def report_render_download(request: HttpRequest, pk: int, render_pk: int) -> FileResponse:
    report, render = _render_for_user(request, pk, render_pk)
    if render.state != RenderState.DONE or not render.file:
        raise Http404
    return _pdf_response(
        request,
        render.file,
        filename=_("%(reference)s-draft.pdf") % {"reference": report.reference},
        sha256="",
        obj=render,
        visit=report.visit,
    )


@require_GET
def report_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """The frozen issued PDF, as stored when the report was issued."""
    report = get_pdf_report_for_user(request.user, pk)
    deny_unless(can_download_full(request.user))
    if not (report.is_issued and report.pdf_ready):
        raise Http404
    return _pdf_response(
        request,
        report.pdf,
        filename=f"{report.reference}.pdf",
        sha256=report.pdf_sha256,
        obj=report,
        visit=report.visit,
    )


@require_GET
def report_public_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """The redacted public version of an issued report (no confidential sections, no annexes)."""
    report = get_pdf_report_for_user(request.user, pk)
    if not (report.is_issued and report.public_pdf):
        raise Http404
    return _pdf_response(
        request,
        report.public_pdf,
        filename=f"{report.reference}-public.pdf",
        sha256=report.public_pdf_sha256,
        obj=report,
        visit=report.visit,
    )


# --- The PDF panel on the report page ----------------------------------------------------------


def pdf_panel_context(request: HttpRequest, report: Report) -> dict:
    """Context for `visits/_report_pdf_panel.html`: `{"pdf_panel": {...}}`."""
    user = request.user
    preview = can_preview(user)
    latest = None
    if preview and not report.is_issued:
        latest = (
            ReportRender.objects.filter(report=report, kind=RenderKind.PREVIEW, requested_by=user)
            .order_by("-created_at", "-pk")
            .first()
        )
    issued_render = None
    if report.is_issued and not (report.pdf_ready and report.public_pdf) and preview:
        issued_render = (
            ReportRender.objects.filter(report=report, kind=RenderKind.ISSUED)
            .order_by("-created_at", "-pk")
            .first()
        )
        # Only a link the user may open (compliance: not somebody else's job).
        if issued_render is not None and not may_open_render(user, issued_render):
            issued_render = None
    now = timezone.now()
    for render in (latest, issued_render):
        if render is not None:
            render.stalled = render.is_stalled(now)
    return {
        "pdf_panel": {
            "report": report,
            "visit_pk": report.visit_id,
            "can_preview": preview and not report.is_issued,
            "latest_render": latest,
            "issued_render": issued_render,
            "show_full": report.is_issued and report.pdf_ready and can_download_full(user),
            "show_public": report.is_issued and bool(report.public_pdf),
            "can_retry_issued": report.is_issued
            and not report.imported
            and not (report.pdf_ready and report.public_pdf)
            and can_manage_renders(user),
        }
    }
