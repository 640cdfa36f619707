"""Visit attachments: the type is decided by the file's content, never by its name."""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from partners.validators import validate_image_decodes

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"

ALLOWED_LABEL = "PDF, JPEG, PNG, DOCX, ODT"


def max_upload_bytes() -> int:
    return settings.NPM_MAX_UPLOAD_MB * 1024 * 1024


def _zip_document_type(upload) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
                return ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    finally:
        upload.seek(0)
    return None


def detect_content_type(upload) -> str | None:
    """The content type the file's bytes show, or None when it is not an allowed type."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        return _zip_document_type(upload)
    return None


def validate_attachment(upload) -> str:
    """Check size and type; return the content type found in the file."""
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size).1f MB): at most %(limit)d MB is accepted.")
            % {"size": upload.size / (1024 * 1024), "limit": settings.NPM_MAX_UPLOAD_MB},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    content_type = detect_content_type(upload)
    if content_type is None:
        raise ValidationError(
            _("This file's content is not an accepted type (%(types)s), whatever its name says.")
            % {"types": ALLOWED_LABEL},
            code="bad_type",
        )
    if content_type in (JPEG, PNG):
        # A picture must decode: its metadata is stripped when it is stored (npm_portal).
        validate_image_decodes(upload)
    return content_type
