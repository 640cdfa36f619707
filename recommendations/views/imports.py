"""The import of past years, for staff and the head: upload → dry-run report → "Import N rows"
→ the batch's page; the list of imports, each with its undo (asked first). Compliance officers
get 403, partner-only users 404, like the tracker's other write pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.roles import is_partner_only

from ..forms.imports import ImportConfirmForm, ImportUploadForm, UndoConfirmForm
from ..imports import staging
from ..imports.service import ImportResult, can_import, records_import
from ..imports.template import template_csv as build_csv
from ..imports.template import template_xlsx as build_xlsx
from ..imports.undo import import_dependents, import_undo
from ..models import ImportBatch

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BATCHES_PER_PAGE = 25
# The dry-run page lists this many errors; the count says how many there are in all.
ERRORS_SHOWN = 500


def _require_importer(user) -> None:
    if is_partner_only(user):
        raise Http404
    if not can_import(user):
        raise PermissionDenied


def _batches(request: HttpRequest):
    paginator = Paginator(
        ImportBatch.objects.select_related("imported_by", "undone_by").order_by("-pk"),
        BATCHES_PER_PAGE,
    )
    return paginator.get_page(request.GET.get("page"))


def _report(request: HttpRequest, result: ImportResult, token: str = "", status: int = 200):
    return render(
        request,
        "recommendations/imports/dry_run.html",
        {
            "result": result,
            "plan": result.plan,
            "counts": result.plan.counts(),
            "errors": result.plan.errors[:ERRORS_SHOWN],
            "error_count": len(result.plan.errors),
            "confirm": ImportConfirmForm(initial={"token": token}) if token else None,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    _require_importer(request.user)
    bound = request.method == "POST"
    form = ImportUploadForm(request.POST, request.FILES) if bound else ImportUploadForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        upload.seek(0)
        data = upload.read()
        result = records_import(
            data=data,
            file_name=upload.name,
            create_places=form.cleaned_data["create_places"],
            dry_run=True,
            by=request.user,
        )
        token = ""
        if result.ok:
            token = staging.stage(
                data=data,
                file_name=upload.name,
                create_places=form.cleaned_data["create_places"],
                user=request.user,
            )
        return _report(request, result, token)
    return render(
        request,
        "recommendations/imports/start.html",
        {"form": form, "batches": _batches(request)},
        status=400 if form.errors else 200,
    )


@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    _require_importer(request.user)
    form = ImportConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This check has expired: upload the file again."))
        return redirect("recommendations:import")
    try:
        data, meta = staging.load(form.cleaned_data["token"], user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("recommendations:import")
    result = records_import(
        data=data,
        file_name=meta["file_name"],
        create_places=meta["create_places"],
        expected_sha256=meta["sha256"],
        by=request.user,
    )
    if not result.ok:
        # The registry changed since the dry run (a report with the same reference…).
        return _report(request, result, status=400)
    staging.discard(meta["name"])
    messages.success(
        request,
        _("Imported %(rows)d rows from %(file)s.")
        % {"rows": result.plan.rows, "file": meta["file_name"]},
    )
    return redirect("recommendations:import_batch", result.batch.pk)


@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_importer(request.user)
    batch = get_object_or_404(ImportBatch.objects.select_related("imported_by", "undone_by"), pk=pk)
    return render(
        request,
        "recommendations/imports/batch.html",
        {"batch": batch, "counts": batch.summary.get("counts", {}), "summary": batch.summary},
    )


@require_http_methods(["GET", "POST"])
def batch_undo(request: HttpRequest, pk: int) -> HttpResponse:
    _require_importer(request.user)
    batch = get_object_or_404(ImportBatch, pk=pk)
    if batch.is_undone:
        messages.info(request, _("This import was already undone."))
        return redirect("recommendations:import_batch", batch.pk)
    form = UndoConfirmForm(request.POST) if request.method == "POST" else UndoConfirmForm()
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            removed = import_undo(batch=batch, by=request.user)
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                _("Import #%(pk)d undone: %(count)d rows removed.")
                % {"pk": batch.pk, "count": sum(removed.values())},
            )
            return redirect("recommendations:import_batch", batch.pk)
    elif request.method == "GET":
        problems = import_dependents(batch)
    return render(
        request,
        "recommendations/imports/undo.html",
        {
            "batch": batch,
            "form": form,
            "problems": problems,
            "counts": batch.summary.get("counts", {}),
        },
        status=400 if request.method == "POST" else 200,
    )


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def template_xlsx(request: HttpRequest) -> HttpResponse:
    _require_importer(request.user)
    return _download(build_xlsx(), XLSX_TYPE, "import-template.xlsx")


@require_GET
def template_csv(request: HttpRequest) -> HttpResponse:
    _require_importer(request.user)
    return _download(build_csv(), "text/csv; charset=utf-8", "import-template.csv")
