"""Uploads: allowlisted types by content, size limit, metadata stripped from photos, random
names on disk, downloads only as attachments through permission checks."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve, reverse
from PIL import Image

from core.uploads import validate_document
from npm_portal.security.storage import strip_image_metadata
from tests.factories.partners import AgreementFactory

GPS_TAG = 0x8825
MAKE_TAG = 0x010F


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (16, 12), "red")
    exif = Image.Exif()
    exif[MAKE_TAG] = "SpyCam 3000"
    exif[GPS_TAG] = {1: "N", 2: (44.0, 49.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=b"taken in cell 12")
    return out.getvalue()


def _png_with_text() -> bytes:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Prisoner in cell 12")
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, "PNG", pnginfo=info)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class TestMetadata:
    def test_jpeg_exif_gps_and_comment_are_removed_when_stored(self):
        raw = _jpeg_with_exif()
        assert b"SpyCam" in raw
        name = default_storage.save("x/photo.jpg", ContentFile(raw))
        stored = default_storage.open(name).read()
        assert b"SpyCam" not in stored
        assert b"cell 12" not in stored
        with Image.open(io.BytesIO(stored)) as image:
            assert not image.getexif()
            assert image.size == (16, 12)

    def test_png_text_chunks_are_removed(self):
        clean = strip_image_metadata(ContentFile(_png_with_text()))
        assert b"Prisoner" not in clean.read()

    def test_other_files_are_stored_untouched(self):
        pdf = b"%PDF-1.4\n% SpyCam metadata stays in PDFs we did not parse\n%%EOF\n"
        name = default_storage.save("x/doc.pdf", ContentFile(pdf))
        assert default_storage.open(name).read() == pdf

    def test_partner_upload_is_stripped_and_stored_under_a_random_name(self, db):
        agreement = AgreementFactory(
            document=SimpleUploadedFile("Jovanović agreement.jpg", _jpeg_with_exif())
        )
        assert "Jovanovi" not in agreement.document.name
        assert agreement.document.name.startswith("partners/agreement/")
        assert b"SpyCam" not in agreement.document.open("rb").read()


def test_visit_photo_is_stripped_and_stored_under_a_random_name(db, staff):
    from tests.factories.visits import VisitFactory
    from visits import services

    attachment = services.attachment_add(
        visit=VisitFactory(),
        upload=SimpleUploadedFile("Petrović in cell 12.jpg", _jpeg_with_exif()),
        title="Cell",
        confidential=True,
        by=staff,
    )
    assert "Petrovi" not in attachment.file.name
    stored = attachment.file.open("rb").read()
    assert b"SpyCam" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()


class TestValidation:
    @pytest.mark.parametrize(
        ("name", "content"),
        [
            ("evil.pdf", b"MZ\x90\x00 a windows program"),
            ("page.html", b"<html><script>alert(1)</script>"),
            ("photo.jpg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16),  # the signature alone
        ],
    )
    def test_refused(self, name, content):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            validate_document(SimpleUploadedFile(name, content))

    def test_size_limit(self, settings):
        from django.core.exceptions import ValidationError

        settings.NPM_PARTNER_UPLOAD_MAX_MB = 1
        with pytest.raises(ValidationError, match="too large"):
            validate_document(SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * (1024 * 1024)))


class TestServing:
    def test_media_has_no_public_url(self, settings, head_client):
        name = default_storage.save("partners/agreement/secret.pdf", ContentFile(b"%PDF-1.4"))
        for prefix in ("/media/", "/var/media/", "/"):
            try:
                match = resolve(prefix + name)
            except Resolver404:
                continue
            assert "serve" not in match.func.__name__
        assert head_client.get("/media/" + name).status_code == 404

    def test_download_is_an_attachment_and_not_cached(self, staff_client):
        agreement = AgreementFactory(document=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"))
        response = staff_client.get(reverse("partners:agreement_document", args=[agreement.pk]))
        assert response["Content-Disposition"].startswith("attachment;")
        assert "no-store" in response["Cache-Control"]
        assert response["X-Content-Type-Options"] == "nosniff"


def test_visit_image_that_does_not_decode_is_refused(db, staff):
    from django.core.exceptions import ValidationError

    from tests.factories.visits import VisitFactory
    from visits import services

    with pytest.raises(ValidationError, match="cannot be read"):
        services.attachment_add(
            visit=VisitFactory(),
            upload=SimpleUploadedFile("x.jpg", b"\xff\xd8\xff\xe1" + b"Exif SpyCam" * 4),
            title="x",
            confidential=False,
            by=staff,
        )
