"""Every stored file is encrypted at rest (issue #17): attachments, partner documents, report
PDFs, letters. On disk: a header and Fernet tokens of 64 KiB chunks; read back decrypted chunk by
chunk through the permission-checked views, with the clear size, the issued PDF's checksum over
the clear bytes; older clear files still read; chunks cannot be swapped or cut off."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from core import crypto
from core.crypto import FILE_CHUNK, FILE_MAGIC, EncryptedFileError
from tests.factories.visits import TeamMemberFactory, VisitFactory, local
from visits import services
from visits.models import Attachment, VisitStatus

PDF_HEAD = b"%PDF-1.4\n"


def pdf(size: int, fill: bytes = b"x") -> bytes:
    body = (fill * size)[: max(size - len(PDF_HEAD) - 6, 0)]
    return PDF_HEAD + body + b"\n%%EOF"


def on_disk(name: str) -> bytes:
    return Path(default_storage.path(name)).read_bytes()


@pytest.fixture
def media(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def visit(staff):
    visit = VisitFactory()
    TeamMemberFactory(visit=visit, user=staff, role="head")
    return visit


def _attach(visit, staff, content: bytes, **extra) -> Attachment:
    return services.attachment_add(
        visit=visit,
        upload=SimpleUploadedFile("record.pdf", content),
        title=extra.get("title", "Record"),
        confidential=extra.get("confidential", True),
        by=staff,
    )


def issued_report(staff, head):
    start = local(2026, 3, 10, 9, 0)
    visit = VisitFactory(
        status=VisitStatus.CONDUCTED,
        planned_start=start,
        actual_start=start,
        actual_end=start + dt.timedelta(hours=5),
    )
    TeamMemberFactory(visit=visit, user=staff, role="head")
    report = services.report_create(visit=visit, by=staff)
    for section in report.sections.all():
        section = services.section_save(section=section, body="Text.", base_version=1, by=staff)
        services.section_submit(section=section, by=staff)
        services.section_accept(section=section, by=staff)
    services.report_submit_for_review(report=report, by=staff)
    services.report_approve(report=report, by=head)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the PDFs' render job, at the commit
        services.report_issue(report=report, by=head)
    report.refresh_from_db()
    return report


class TestStorage:
    @pytest.mark.parametrize("size", [0, 10, FILE_CHUNK, FILE_CHUNK + 1, 3 * FILE_CHUNK + 17])
    def test_round_trip_of_every_size(self, media, size):
        clear = os.urandom(size)
        name = default_storage.save("t/blob.bin", ContentFile(clear))
        stored = on_disk(name)
        assert stored.startswith(FILE_MAGIC)
        assert clear not in stored or size == 0
        with default_storage.open(name) as handle:
            assert handle.read() == clear
            assert handle.size == size
        assert default_storage.size(name) == size

    def test_reading_decrypts_one_chunk_at_a_time(self, media, monkeypatch):
        name = default_storage.save("t/big.bin", ContentFile(b"a" * (5 * FILE_CHUNK)))
        calls = []
        keys = crypto.fernet()

        class Counting:
            def decrypt(self, token):
                calls.append(len(token))
                return keys.decrypt(token)

        monkeypatch.setattr(crypto, "fernet", lambda: Counting())
        with default_storage.open(name) as handle:
            assert handle.read(10) == b"a" * 10
            assert len(calls) == 1
            handle.seek(4 * FILE_CHUNK + 5)
            assert handle.read(3) == b"aaa"
            assert len(calls) == 2

    def test_seek_tell_and_zip_archives_work_on_the_clear_text(self, media):
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", "x" * 200_000)
        name = default_storage.save("t/doc.zip", ContentFile(buffer.getvalue()))
        with default_storage.open(name) as handle:
            assert zipfile.ZipFile(handle).read("word/document.xml") == b"x" * 200_000
            handle.seek(-5, io.SEEK_END)
            assert handle.tell() == len(buffer.getvalue()) - 5

    def test_a_file_reopened_after_closing_is_still_decrypted(self, media, visit, staff):
        attachment = _attach(visit, staff, pdf(500))
        field = Attachment.objects.get(pk=attachment.pk).file
        with field.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"
        with field.open("rb") as handle:  # File.open would reopen the encrypted bytes by path
            assert handle.read(5) == b"%PDF-"

    def test_an_older_clear_file_is_read_as_it_is(self, media):
        path = Path(media) / "legacy" / "old.pdf"
        path.parent.mkdir(parents=True)
        path.write_bytes(pdf(300))
        with default_storage.open("legacy/old.pdf") as handle:
            assert handle.read() == pdf(300)
        assert default_storage.size("legacy/old.pdf") == 300

    def test_swapped_or_cut_chunks_are_refused(self, media):
        name = default_storage.save("t/three.bin", ContentFile(os.urandom(3 * FILE_CHUNK)))
        stored = on_disk(name)
        records, offset = [], len(FILE_MAGIC)
        while offset < len(stored):
            length = int.from_bytes(stored[offset : offset + 4], "big")
            records.append(stored[offset : offset + 4 + length])
            offset += 4 + length
        assert len(records) == 3
        for broken in (
            FILE_MAGIC + records[1] + records[0] + records[2],  # reordered
            FILE_MAGIC + records[0] + records[1],  # the last chunk dropped
            FILE_MAGIC + records[0] + records[1] + records[2][:-10],  # cut off
        ):
            Path(default_storage.path(name)).write_bytes(broken)
            with pytest.raises(EncryptedFileError), default_storage.open(name) as handle:
                handle.read()

    def test_writing_through_open_is_refused(self, media):
        name = default_storage.save("t/x.bin", ContentFile(b"abc"))
        with pytest.raises(ValueError, match="written only through save"):
            default_storage.open(name, "wb")


class TestViews:
    def test_attachment_download_is_the_clear_file_with_its_clear_size(
        self, media, visit, staff, staff_client
    ):
        content = pdf(3 * FILE_CHUNK + 1234, b"secret ")
        attachment = _attach(visit, staff, content)
        assert b"secret" not in on_disk(attachment.file.name)
        response = staff_client.get(
            reverse("visits:attachment_download", args=[visit.pk, attachment.pk])
        )
        assert response.status_code == 200
        assert int(response["Content-Length"]) == len(content)
        assert b"".join(response.streaming_content) == content

    def test_the_issued_pdf_checksum_is_over_the_clear_bytes(
        self, media, staff, head, staff_client
    ):
        report = issued_report(staff, head)
        assert report.pdf_sha256
        assert on_disk(report.pdf.name).startswith(FILE_MAGIC)
        response = staff_client.get(reverse("visits:report_pdf", args=[report.visit.pk]))
        data = b"".join(response.streaming_content)
        assert data.startswith(b"%PDF-")
        assert hashlib.sha256(data).hexdigest() == report.pdf_sha256 == response["X-Content-SHA256"]
        public = staff_client.get(reverse("portal:report_pdf", args=[report.pk]))
        assert hashlib.sha256(b"".join(public.streaming_content)).hexdigest() == (
            report.public_pdf_sha256
        )


class TestRotation:
    def test_rotation_rewrites_files_with_the_new_key_and_encrypts_clear_ones(
        self, media, settings
    ):
        name = default_storage.save("t/a.bin", ContentFile(b"A" * (FILE_CHUNK + 5)))
        legacy = Path(media) / "legacy.pdf"
        legacy.write_bytes(pdf(100))
        old_key = settings.FIELD_ENCRYPTION_KEY[0]
        new_key = Fernet.generate_key().decode()
        settings.FIELD_ENCRYPTION_KEY = [new_key, old_key]
        out = io.StringIO()
        call_command("rotate_field_encryption", stdout=out)
        assert "1 re-encrypted, 1 encrypted (were in clear), 0 already" in out.getvalue()
        assert legacy.read_bytes().startswith(FILE_MAGIC)
        settings.FIELD_ENCRYPTION_KEY = [new_key]
        with default_storage.open(name) as handle:
            assert handle.read() == b"A" * (FILE_CHUNK + 5)
        with default_storage.open("legacy.pdf") as handle:
            assert handle.read() == pdf(100)
        # Again: nothing left to do.
        out = io.StringIO()
        call_command("rotate_field_encryption", stdout=out)
        assert "0 re-encrypted, 0 encrypted (were in clear), 2 already" in out.getvalue()
        assert not [p for p in Path(media).rglob("*") if p.name.startswith(".rotating-")]
