"""Report PDFs: draft previews (render jobs with a progress page) and the frozen issued PDF and
its public version, served straight from storage, never rendered on download; the Word (DOCX)
edition: a draft made on request, the issued one frozen with the PDFs; and the PDF panel of the
report page."""

from __future__ import annotations

import io

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
from ..docx import CONTENT_TYPE as DOCX_CONTENT_TYPE
from ..docx import report_docx as build_docx
from ..models import RenderKind, RenderState, Report, ReportRender
from ..pdf.tasks import request_render
from .tabs import render_tab


def frozen_files_stored(report: Report) -> bool:
    """Every frozen file of the issued report is stored: the PDF, its public version and the
    DOCX. A report issued before the DOCX existed lacks it; rendering the issued report again
    stores it (and keeps the PDFs as they are)."""
    return report.pdf_ready and bool(report.public_pdf) and bool(report.docx)


@require_POST
def report_preview(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_pdf_report_for_user(request.user, pk)
    deny_unless(can_preview(request.user))
    kind = RenderKind.PREVIEW
    if report.is_issued:
        if frozen_files_stored(report):
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


# --- Word (DOCX) ------------------------------------------------------------------------------


@require_GET
def report_draft_docx(request: HttpRequest, pk: int) -> FileResponse:
    """The report as it stands, as a DOCX marked DRAFT: made on request, never stored (it holds
    the confidential sections of an unfinished report), for those who may preview the PDF."""
    report = get_pdf_report_for_user(request.user, pk)
    deny_unless(can_preview(request.user))
    if report.is_issued:
        raise Http404  # the issued report has its frozen DOCX
    response = FileResponse(
        io.BytesIO(build_docx(report, draft=True)),
        as_attachment=True,
        filename=_("%(reference)s-draft.docx") % {"reference": report.reference},
        content_type=DOCX_CONTENT_TYPE,
    )
    # Written to the access log like every download (core.http.private_file_response).
    request.npm_access_log = {"action": "download", "object": report, "visit": report.visit}
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def report_docx(request: HttpRequest, pk: int) -> FileResponse:
    """The frozen DOCX of the issued report (full version): for whoever may download the full
    PDF."""
    report = get_pdf_report_for_user(request.user, pk)
    deny_unless(can_download_full(request.user))
    if not (report.is_issued and report.docx and report.docx_sha256):
        raise Http404
    return private_file_response(
        request,
        report.docx,
        logged_as=report,
        visit=report.visit,
        filename=f"{report.reference}.docx",
        content_type=DOCX_CONTENT_TYPE,
        sha256=report.docx_sha256,
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
    if report.is_issued and not frozen_files_stored(report) and preview:
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
            "show_docx": report.is_issued
            and bool(report.docx and report.docx_sha256)
            and can_download_full(user),
            "can_retry_issued": report.is_issued
            and not report.imported
            and not frozen_files_stored(report)
            and can_manage_renders(user),
        }
    }
