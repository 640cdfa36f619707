"""File storage that strips metadata (EXIF: GPS position, camera, time; PNG text chunks) from
photos before they are written, and names every file by the type its content shows, whichever app
uploads them."""

from __future__ import annotations

import io
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from PIL import Image, ImageOps

from core.uploads import MAX_IMAGE_PIXELS, stored_name

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
logger = logging.getLogger(__name__)
# Refuse decompression bombs rather than spend the server's memory on them.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS


def strip_image_metadata(content) -> ContentFile | None:
    """A clean copy of a JPEG or PNG (pixels only, the orientation applied), or None when the
    content is not one of those."""
    content.seek(0)
    head = content.read(8)
    content.seek(0)
    if head.startswith(JPEG_MAGIC):
        kind = "JPEG"
    elif head.startswith(PNG_MAGIC):
        kind = "PNG"
    else:
        return None
    try:
        with Image.open(content) as image:
            image.load()
            clean = ImageOps.exif_transpose(image).copy()
    except (OSError, ValueError, Image.DecompressionBombError):
        # Upload validators refuse images that do not decode (core.uploads
        # .validate_image_decodes); this is the last line, so it must not fail the request.
        logger.warning("An upload with an image signature could not be decoded; stored as is.")
        content.seek(0)
        return None
    # Keep only what draws the pixels; drop EXIF, XMP, ICC, comments, text chunks.
    clean.info = {k: v for k, v in clean.info.items() if k == "transparency"}
    out = io.BytesIO()
    if kind == "JPEG":
        clean.save(out, "JPEG", quality=90)
    else:
        clean.save(out, "PNG")
    content.seek(0)
    return ContentFile(out.getvalue())


class MetadataStrippingStorage(FileSystemStorage):
    def _save(self, name, content):
        name = stored_name(name, content)
        clean = strip_image_metadata(content)
        return super()._save(name, clean if clean is not None else content)
