"""What every partners page shares: breadcrumbs, paging, document downloads."""

from __future__ import annotations

import mimetypes
from pathlib import PurePath

from django.core.paginator import Paginator
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from core.http import private_file_response

PAGE_SIZE = 25


def crumbs(*items: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Partners"), reverse("partners:organisation_list")), *items]


def page_of(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def document_download(
    request: HttpRequest, field: FieldFile, filename_stem: str, *, logged_as
) -> FileResponse:
    """Send an uploaded document as an attachment (never inline, never through MEDIA_URL),
    named `<stem><extension of the stored file>`; logged as a download of `logged_as`."""
    extension = PurePath(field.name or "").suffix.lower()
    content_type = mimetypes.guess_type(f"x{extension}")[0] or "application/octet-stream"
    safe_stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in filename_stem)
    return private_file_response(
        request,
        field,
        logged_as=logged_as,
        filename=f"{safe_stem}{extension}",
        content_type=content_type,
    )
