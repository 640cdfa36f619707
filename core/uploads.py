"""Every uploaded file goes through `validate_upload`: the type is decided by the file's content,
never by its name; pictures must decode (their metadata is stripped when stored); one size limit
per kind of upload, from settings."""

from __future__ import annotations

import uuid
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Plain text is recognised only where CSV is allowed (`validate_upload`): it has no signature.
CSV = "text/csv"

# What a visit attachment or an authority letter may be, and what a partner document may be.
ATTACHMENT_TYPES = (PDF, JPEG, PNG, DOCX, ODT)
DOCUMENT_TYPES = (PDF, JPEG, PNG)
ALLOWED_LABEL = "PDF, JPEG, PNG, DOCX, ODT"
DOCUMENT_LABEL = gettext_lazy("PDF, JPEG or PNG")
# A name's extension → the type it claims (partner documents must say what they are).
EXTENSIONS = {"pdf": PDF, "jpg": JPEG, "jpeg": JPEG, "png": PNG, "docx": DOCX, "odt": ODT}
# The extension a stored file gets: the one of the type its content shows, never the user's.
STORED_EXTENSIONS = {
    PDF: "pdf",
    JPEG: "jpg",
    PNG: "png",
    DOCX: "docx",
    ODT: "odt",
    XLSX: "xlsx",
    CSV: "csv",
}
# Pictures larger than this are refused before they are decoded (80 megapixels: a 375 KB PNG
# can otherwise take gigabytes of memory to open).
MAX_IMAGE_PIXELS = 80_000_000
# A DOCX or ODT is a zip: refuse one that inflates to more than this, or by more than this ratio.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100


def _extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def _zip_document_type(upload) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
                return ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
            if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
                return XLSX
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    finally:
        upload.seek(0)
    return None


def detect_content_type(upload) -> str | None:
    """The content type the file's bytes show, or None when it is not a known type."""
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


def validate_image_decodes(upload) -> None:
    """A JPEG or PNG must be a real picture: one that does not decode may hide anything, and its
    metadata (GPS position, camera, time) could not be stripped when it is stored."""
    if detect_content_type(upload) not in (JPEG, PNG):
        return
    try:
        with Image.open(upload) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("This image is too large (%(mp)d megapixels): at most %(max)d are accepted.")
                    % {"mp": width * height // 1_000_000, "max": MAX_IMAGE_PIXELS // 1_000_000},
                    code="too_many_pixels",
                )
            image.verify()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("This image cannot be read; it may be damaged. Scan or export it again."),
            code="bad_image",
        ) from error
    finally:
        upload.seek(0)


def validate_upload(
    upload, *, allowed: tuple[str, ...], label: str, max_mb: int, name_must_match: bool = False
) -> str:
    """Check size, type (by content) and, for pictures, that they decode; return the type found.
    With `name_must_match` the file's name must also claim an allowed type, and the right one."""
    if upload.size > max_mb * 1024 * 1024:
        raise ValidationError(
            _("The file is too large (%(size).1f MB): at most %(limit)d MB is accepted.")
            % {"size": upload.size / (1024 * 1024), "limit": max_mb},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    claimed = EXTENSIONS.get(_extension(upload.name or ""))
    if name_must_match and claimed not in allowed:
        raise ValidationError(
            _("Only %(types)s files can be uploaded.") % {"types": label}, code="bad_name"
        )
    content_type = detect_content_type(upload)
    if content_type is None and CSV in allowed and looks_like_text(upload):
        content_type = CSV
    if name_must_match and content_type != claimed:
        raise ValidationError(
            _("The file's content is not a %(types)s document as its name says.")
            % {"types": label},
            code="bad_type",
        )
    if content_type not in allowed:
        raise ValidationError(
            _("This file's content is not an accepted type (%(types)s), whatever its name says.")
            % {"types": label},
            code="bad_type",
        )
    if content_type in (DOCX, ODT, XLSX):
        validate_unzipped_size(upload)
    validate_image_decodes(upload)
    return content_type


def looks_like_text(upload, sample: int = 64 * 1024) -> bool:
    """Text (a CSV): no NUL byte, and UTF-8 or Windows-1250 (Excel's Serbian Latin) throughout
    the first `sample` bytes (a character cut at the end of the sample is allowed)."""
    upload.seek(0)
    head = upload.read(sample)
    upload.seek(0)
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 3:
            try:
                head.decode("cp1250")
            except UnicodeDecodeError:
                return False
    return True


def validate_unzipped_size(upload) -> None:
    """A document that inflates far beyond its size is a zip bomb, not a letter."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        unzipped = 0
    finally:
        upload.seek(0)
    if unzipped > MAX_UNZIPPED_BYTES or unzipped > MAX_ZIP_RATIO * max(upload.size, 1):
        raise ValidationError(
            _("This document unpacks to far more than its size; it cannot be accepted."),
            code="zip_bomb",
        )


def stored_name(name: str, content) -> str:
    """`name` with the extension of the type the content shows (a PDF named .html is stored as
    .pdf); unchanged when the content is of no known type."""
    content_type = detect_content_type(content)
    if content_type is None:
        return name
    path = PurePath(name)
    return str(path.with_suffix("." + STORED_EXTENSIONS[content_type]))


def validate_attachment(upload) -> str:
    """A visit attachment or an authority letter."""
    return validate_upload(
        upload, allowed=ATTACHMENT_TYPES, label=ALLOWED_LABEL, max_mb=settings.NPM_MAX_UPLOAD_MB
    )


def validate_document(upload) -> None:
    """A partner document (signed agreement, scanned pledge): a model field validator."""
    if getattr(upload, "_committed", False):
        return  # already stored (and checked when it was uploaded)
    validate_upload(
        upload,
        allowed=DOCUMENT_TYPES,
        label=DOCUMENT_LABEL,
        max_mb=settings.NPM_PARTNER_UPLOAD_MAX_MB,
        name_must_match=True,
    )


def document_upload_to(instance, filename: str) -> str:
    """A random stored name, so no user-chosen name reaches the disk."""
    folder = instance._meta.model_name
    return f"{instance._meta.app_label}/{folder}/{uuid.uuid4().hex}.{_extension(filename)}"
