"""Uploaded documents (signed agreements, scanned pledges): PDF, JPEG or PNG only, checked by
content, with a size limit; stored under a random name so no user-chosen name reaches the disk."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image

# Extension → the bytes a file of that type starts with.
SIGNATURES: dict[str, bytes] = {
    "pdf": b"%PDF-",
    "jpg": b"\xff\xd8\xff",
    "jpeg": b"\xff\xd8\xff",
    "png": b"\x89PNG\r\n\x1a\n",
}


def max_upload_bytes() -> int:
    return settings.NPM_PARTNER_UPLOAD_MAX_MB * 1024 * 1024


def _extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def validate_document(upload) -> None:
    if getattr(upload, "_committed", False):
        return  # already stored (and checked when it was uploaded)
    if upload.size > max_upload_bytes():
        raise ValidationError(
            _("The file is too large: at most %(mb)d MB.")
            % {"mb": max_upload_bytes() // (1024 * 1024)}
        )
    extension = _extension(upload.name)
    if extension not in SIGNATURES:
        raise ValidationError(_("Only PDF, JPEG or PNG files can be uploaded."))
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(SIGNATURES[extension]):
        raise ValidationError(
            _("The file's content is not a PDF, JPEG or PNG document as its name says.")
        )
    validate_image_decodes(upload)


def validate_image_decodes(upload) -> None:
    """A JPEG or PNG must be a real picture: one that does not decode may hide anything, and its
    metadata (GPS position, camera, time) could not be stripped when it is stored."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not (head.startswith(SIGNATURES["jpg"]) or head.startswith(SIGNATURES["png"])):
        return
    try:
        with Image.open(upload) as image:
            image.verify()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("This image cannot be read; it may be damaged. Scan or export it again."),
            code="bad_image",
        ) from error
    finally:
        upload.seek(0)


def document_upload_to(instance, filename: str) -> str:
    folder = instance._meta.model_name
    return f"partners/{folder}/{uuid.uuid4().hex}.{_extension(filename)}"
