"""Report PDFs: draft previews (render jobs with a progress page) and the frozen issued PDF and
its public version, served straight from storage, never rendered on download."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .access import get_visit_for_user
from .models import Report, ReportRender
from .models.report import RenderKind, RenderState
from .rendering import (
    can_download_full,
    can_manage_renders,
    can_preview,
    may_open_render,
    render_stalled,
    request_render,
)
from .visit_views import render_tab


def _report_for_user(request: HttpRequest, pk: int) -> Report:
    """The visit's report (404 if the user may not see the visit or there is no report)."""
    visit = get_visit_for_user(request.user, pk)
    try:
        report = Report.objects.select_related("visit__place").get(visit=visit)
    except Report.DoesNotExist as error:
        raise Http404 from error
    return report


def _require_preview(request: HttpRequest) -> None:
    # A partner on the team sees the report but never its confidential PDFs.
    if not can_preview(request.user):
        raise PermissionDenied


@require_POST
def report_preview(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for_user(request, pk)
    _require_preview(request)
    kind = RenderKind.PREVIEW
    if report.is_issued:
        if report.pdf_ready and report.public_pdf:
            messages.info(request, _("The issued PDF is frozen; it is never rendered again."))
            return redirect("visits:report_detail", pk)
        # The issued PDF failed to render: head and staff may try again (write-once, so a
        # PDF already stored is kept).
        if not can_manage_renders(request.user):
            raise PermissionDenied
        kind = RenderKind.ISSUED
    try:
        render = request_render(report=report, kind=kind, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("visits:report_detail", pk)
    return redirect("visits:report_render", pk, render.pk)


def _render_for_user(request: HttpRequest, pk: int, render_pk: int) -> tuple[Report, ReportRender]:
    report = _report_for_user(request, pk)
    _require_preview(request)
    render = get_object_or_404(ReportRender.objects.filter(report=report), pk=render_pk)
    if not may_open_render(request.user, render):
        raise Http404  # someone else's preview
    return report, render


@require_GET
def report_render(request: HttpRequest, pk: int, render_pk: int) -> HttpResponse:
    report, render = _render_for_user(request, pk, render_pk)
    template = "visits/report_render.html"
    if request.htmx:
        template += "#render-progress"
    # A job nobody picked up (or that died with its worker) is not polled for ever.
    stalled = render_stalled(render)
    return render_tab(
        request,
        report.visit,
        "report",
        template,
        {
            "report": report,
            "render": render,
            "polling": render.state in (RenderState.QUEUED, RenderState.RUNNING) and not stalled,
            "stalled": stalled,
            "can_retry": can_manage_renders(request.user)
            if render.kind == RenderKind.ISSUED
            else can_preview(request.user),
        },
    )


def _pdf_response(request, field, *, filename: str, sha256: str, obj, visit) -> FileResponse:
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type="application/pdf"
    )
    if sha256:
        response["X-Content-SHA256"] = sha256
    response["Cache-Control"] = "private, no-store"
    request.npm_access_log = {"action": "download", "object": obj, "visit": visit}
    return response


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
    report = _report_for_user(request, pk)
    if not can_download_full(request.user):
        raise PermissionDenied
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
    report = _report_for_user(request, pk)
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
