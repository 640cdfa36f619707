"""Media in an S3 bucket (NPM_S3_BUCKET): PrivateS3Storage keeps what the disk storage does,
the metadata stripping, names by content and encryption at rest, over django-storages'
S3Storage. Run against moto's in-process fake of S3 (no network); the same mixins also round
trip over Django's in-memory storage."""

from __future__ import annotations

import io
import os

import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage, default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from core.crypto import FILE_CHUNK, FILE_MAGIC
from npm_portal.security.storage import (
    EncryptingStorageMixin,
    MetadataStrippingMixin,
    PrivateS3Storage,
)
from tests.factories.visits import TeamMemberFactory, VisitFactory
from tests.scaleout.conftest import BUCKET
from visits import services

SIZES = [0, 10, FILE_CHUNK, FILE_CHUNK + 1, 3 * FILE_CHUNK + 17, 2 * 1024 * 1024 + 5]


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (16, 16), "red")
    exif = Image.Exif()
    exif[0x010F] = "SpyCam 3000"  # camera maker
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def _stored(client, name: str) -> bytes:
    return client.get_object(Bucket=BUCKET, Key=name)["Body"].read()


class TestS3:
    def test_the_default_storage_is_the_encrypting_s3_one(self, s3):
        storage = storages["default"]
        assert isinstance(storage, PrivateS3Storage)
        assert (storage.bucket_name, storage.file_overwrite) == (BUCKET, True)
        assert storage.client_config.connect_timeout == 5

    @pytest.mark.parametrize("size", SIZES)
    def test_a_file_is_stored_encrypted_and_read_back_clear(self, s3, size):
        clear = os.urandom(size)
        name = default_storage.save("t/blob.bin", ContentFile(clear))
        stored = _stored(s3, name)
        assert stored.startswith(FILE_MAGIC)
        assert clear not in stored or size == 0
        head = s3.head_object(Bucket=BUCKET, Key=name)
        assert head["ContentType"] == "application/octet-stream"
        with default_storage.open(name) as handle:
            assert handle.read() == clear
            handle.seek(size // 2)
            assert handle.read() == clear[size // 2 :]
        assert default_storage.size(name) == size

    def test_photos_lose_their_metadata_and_are_named_by_their_content(self, s3):
        photo = _jpeg_with_exif()
        assert b"SpyCam" in photo
        name = default_storage.save("visits/2026/photo.png", ContentFile(photo))
        assert name == "visits/2026/photo.jpg"
        with default_storage.open(name) as handle:
            clean = handle.read()
        assert clean.startswith(b"\xff\xd8\xff")
        assert b"SpyCam" not in clean

    def test_a_missing_object_is_file_not_found(self, s3):
        with pytest.raises(FileNotFoundError):
            default_storage.open("visits/2026/none.pdf")

    def test_key_rotation_rewrites_objects_under_their_names(self, s3, settings, db):
        name = default_storage.save("t/a.bin", ContentFile(b"A" * (FILE_CHUNK + 5)))
        s3.put_object(Bucket=BUCKET, Key="legacy/old.pdf", Body=b"%PDF-1.4 clear")
        old_key = settings.FIELD_ENCRYPTION_KEY[0]
        new_key = Fernet.generate_key().decode()
        settings.FIELD_ENCRYPTION_KEY = [new_key, old_key]
        out = io.StringIO()
        call_command("rotate_field_encryption", stdout=out)
        assert "1 re-encrypted, 1 encrypted (were in clear), 0 already" in out.getvalue()
        assert _stored(s3, "legacy/old.pdf").startswith(FILE_MAGIC)
        settings.FIELD_ENCRYPTION_KEY = [new_key]  # the old key is gone
        with default_storage.open(name) as handle:
            assert handle.read() == b"A" * (FILE_CHUNK + 5)
        with default_storage.open("legacy/old.pdf") as handle:
            assert handle.read() == b"%PDF-1.4 clear"
        keys = {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
        assert keys == {name, "legacy/old.pdf"}

    def test_an_attachment_is_downloaded_clear_through_the_view(self, s3, staff, staff_client):
        visit = VisitFactory()
        TeamMemberFactory(visit=visit, user=staff, role="head")
        content = b"%PDF-1.4\n" + b"secret " * 30_000 + b"\n%%EOF"
        attachment = services.attachment_add(
            visit=visit,
            upload=SimpleUploadedFile("record.pdf", content),
            title="Record",
            confidential=True,
            by=staff,
        )
        assert b"secret" not in _stored(s3, attachment.file.name)
        response = staff_client.get(
            reverse("visits:attachment_download", args=[visit.pk, attachment.pk])
        )
        assert response.status_code == 200
        assert int(response["Content-Length"]) == len(content)
        assert b"".join(response.streaming_content) == content


class EncryptedMemoryStorage(MetadataStrippingMixin, EncryptingStorageMixin, InMemoryStorage):
    """The mixins over a third storage, as over the disk and S3."""


class TestInMemory:
    @pytest.mark.parametrize("size", SIZES)
    def test_round_trip(self, size):
        storage = EncryptedMemoryStorage()
        clear = os.urandom(size)
        name = storage.save("t/blob.bin", ContentFile(clear))
        with InMemoryStorage._open(storage, name) as raw:
            stored = raw.read()
        assert stored.startswith(FILE_MAGIC)
        assert clear not in stored or size == 0
        with storage.open(name) as handle:
            assert handle.read() == clear
        assert storage.size(name) == size
        assert list(storage.stored_names()) == [name]

    def test_rotation_over_memory(self, settings):
        storage = EncryptedMemoryStorage()
        name = storage.save("t/a.bin", ContentFile(b"abc"))
        assert storage.rewrite_encrypted(name) == "current"
        settings.FIELD_ENCRYPTION_KEY = [Fernet.generate_key().decode()] + list(
            settings.FIELD_ENCRYPTION_KEY
        )
        assert storage.rewrite_encrypted(name) == "rotated"
        settings.FIELD_ENCRYPTION_KEY = settings.FIELD_ENCRYPTION_KEY[:1]
        with storage.open(name) as handle:
            assert handle.read() == b"abc"
