"""File storage that strips metadata (EXIF: GPS position, camera, time; PNG text chunks) from
photos before they are written, names every file by the type its content shows, whichever app
uploads them, and encrypts every file at rest (`EncryptingStorageMixin`): on the local disk
(`MetadataStrippingStorage`) or in an S3 bucket (`PrivateS3Storage`, when NPM_S3_BUCKET is set)."""

from __future__ import annotations

import base64
import contextlib
import io
import logging
import os
import tempfile

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage
from PIL import Image, ImageOps

from core.crypto import FILE_MAGIC, DecryptingReader, encrypt_stream, is_encrypted
from core.uploads import MAX_IMAGE_PIXELS, stored_name

from .metadata import strip_document_metadata

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


class DecryptedFile(File):
    """A stored encrypted file, read decrypted. Reopening goes through the storage again (a
    plain File would reopen the encrypted bytes by path)."""

    def __init__(self, reader: DecryptingReader, name: str, storage: EncryptingStorageMixin):
        super().__init__(reader, name)
        self._storage = storage

    def open(self, mode=None, *args, **kwargs):
        if not self.closed:
            self.seek(0)
        else:
            self.file = self._storage.open(self.name).file
        return self


class EncryptingStorageMixin:
    """Every file is written encrypted (core.crypto's chunked format, with the first key of
    FIELD_ENCRYPTION_KEY) and read back decrypted, one chunk at a time; a file without the
    header is an older clear one and is read as it is (`rotate_field_encryption` encrypts it).

    It relies only on `_open`, `_save`, `listdir` of the storage below, so it works over
    FileSystemStorage and django-storages' S3Storage the same way (`PrivateS3Storage`, with
    `file_overwrite = True`, which key rotation needs to write a file back under its name).
    Stored files can no longer be opened by path: read them through `storage.open`
    (FieldFile.open)."""

    # Encrypted output waits here before it is handed to the storage below (memory up to 1 MB,
    # then a temporary file): never the whole file in memory.
    SPOOL_BYTES = 1024 * 1024

    def _save(self, name, content):
        with contextlib.suppress(AttributeError, OSError, io.UnsupportedOperation):
            content.seek(0)
        with tempfile.SpooledTemporaryFile(max_size=self.SPOOL_BYTES) as spool:
            encrypt_stream(content, spool)
            spool.seek(0)
            return super()._save(name, File(spool, name))

    def _open(self, name, mode="rb"):
        if any(flag in mode for flag in "wax+"):
            raise ValueError("Encrypted files are written only through save().")
        stored = super()._open(name, "rb")
        if not is_encrypted(stored.read(len(FILE_MAGIC))):
            stored.seek(0)
            return stored
        return DecryptedFile(DecryptingReader(stored, name), name, self)

    def size(self, name) -> int:
        """The clear size (the stored file is larger)."""
        with self.open(name) as handle:
            return handle.size

    def stored_names(self, path: str = ""):
        """Every file in the storage, in every folder."""
        try:
            folders, files = self.listdir(path)
        except FileNotFoundError:
            return
        for file in files:
            yield f"{path}/{file}" if path else file
        for folder in folders:
            yield from self.stored_names(f"{path}/{folder}" if path else folder)

    def rewrite_encrypted(self, name: str) -> str:
        """Write one stored file again with the first key: "current" when it already is,
        "rotated" when an older key was used, "encrypted" when it was in clear."""
        with super()._open(name, "rb") as stored:
            head = stored.read(len(FILE_MAGIC))
            if is_encrypted(head):
                if _first_chunk_uses_first_key(stored):
                    return "current"
                outcome = "rotated"
            else:
                outcome = "encrypted"
        with self.open(name) as source:
            self._replace(name, source)
        return outcome

    def _replace(self, name: str, source) -> None:
        if isinstance(self, FileSystemStorage):
            # Atomically: a reader sees the old file or the new one, never half of one.
            path = self.path(name)
            fd, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".rotating-")
            try:
                with os.fdopen(fd, "wb") as target:
                    encrypt_stream(source, target)
                    target.flush()
                    os.fsync(target.fileno())
                if self.file_permissions_mode is not None:
                    os.chmod(temporary, self.file_permissions_mode)
                os.replace(temporary, path)
            except BaseException:
                if os.path.exists(temporary):
                    os.unlink(temporary)
                raise
            return
        with tempfile.SpooledTemporaryFile(max_size=self.SPOOL_BYTES) as spool:
            encrypt_stream(source, spool)
            spool.seek(0)
            saved = super()._save(name, File(spool, name))
        if saved != name:
            raise RuntimeError(f"The storage wrote {name} as {saved}: set file_overwrite.")


def _first_chunk_uses_first_key(stored) -> bool:
    head = stored.read(4)
    token = stored.read(int.from_bytes(head, "big")) if len(head) == 4 else b""
    try:
        Fernet(settings.FIELD_ENCRYPTION_KEY[0]).decrypt(base64.urlsafe_b64encode(token))
    except (InvalidToken, ValueError):
        return False
    return True


class MetadataStrippingMixin:
    """Before a file is stored (encrypted, by the mixin after this one): its name gets the
    extension its content shows, and photos and PDFs lose their metadata."""

    def _save(self, name, content):
        name = stored_name(name, content)
        clean = strip_image_metadata(content) or strip_document_metadata(content)
        return super()._save(name, clean if clean is not None else content)


class MetadataStrippingStorage(MetadataStrippingMixin, EncryptingStorageMixin, FileSystemStorage):
    """The default storage: files under MEDIA_ROOT."""


def _private_s3_storage() -> type:
    from botocore.config import Config
    from storages.backends.s3 import S3Storage

    class PrivateS3Storage(MetadataStrippingMixin, EncryptingStorageMixin, S3Storage):
        """The same storage in an S3 bucket (NPM_S3_BUCKET; credentials from the standard
        AWS_* environment variables or the machine's role). Objects are private (the bucket's
        own policy, no ACL set) and hold only encrypted bytes; nothing is served by URL."""

        # Key rotation writes a file back under its name; every stored name is random anyway
        # (a uuid4), so no upload can overwrite another.
        file_overwrite = True
        # What is stored is ciphertext, whatever the name's extension says.
        object_parameters = {"ContentType": "application/octet-stream"}
        # A download is spooled to a temporary file past 1 MB, not held in memory whole.
        max_memory_size = EncryptingStorageMixin.SPOOL_BYTES

        def __init__(self, **options):
            super().__init__(**options)
            if "client_config" not in options:
                # botocore waits 60 s to connect by default; a request (and /healthz) should
                # not hang that long on an unreachable store.
                self.client_config = self.client_config.merge(
                    Config(
                        connect_timeout=5,
                        read_timeout=60,
                        retries={"max_attempts": 3, "mode": "standard"},
                    )
                )

    PrivateS3Storage.__qualname__ = "PrivateS3Storage"
    return PrivateS3Storage


def __getattr__(name: str):
    # PrivateS3Storage is made on first use (STORAGES names it only when NPM_S3_BUCKET is set):
    # importing boto3 costs every process a quarter of a second and some 30 MB otherwise.
    if name == "PrivateS3Storage":
        cls = globals()["PrivateS3Storage"] = _private_s3_storage()
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
