"""Uploads that would cost the server its memory are refused before they are decoded, and a
stored file is named by the type its content shows, never by the name the user gave it."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.uploads import validate_attachment
from tests.factories.visits import VisitFactory
from visits import services


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG")
    return out.getvalue()


def _docx(document_bytes: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"0" * document_bytes)
    return out.getvalue()


def test_a_picture_over_80_megapixels_is_refused_before_decoding():
    upload = SimpleUploadedFile("plan.png", _png(9000, 9000))
    assert upload.size < 1024 * 1024  # small on disk, 81 megapixels once opened
    with pytest.raises(ValidationError, match="too large \\(81 megapixels\\)"):
        validate_attachment(upload)


def test_a_picture_under_the_limit_is_accepted():
    assert validate_attachment(SimpleUploadedFile("plan.png", _png(2000, 1000))) == "image/png"


def test_a_document_that_inflates_a_hundredfold_is_refused():
    upload = SimpleUploadedFile("letter.docx", _docx(30 * 1024 * 1024))
    with pytest.raises(ValidationError, match="unpacks to far more"):
        validate_attachment(upload)


def test_an_ordinary_document_is_accepted():
    upload = SimpleUploadedFile("letter.docx", _docx(2000))
    assert validate_attachment(upload).endswith("wordprocessingml.document")


def test_a_pdf_named_html_is_stored_as_pdf(staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    content = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n"
    attachment = services.attachment_add(
        visit=VisitFactory(),
        upload=SimpleUploadedFile("report.html", content),
        title="Scan",
        confidential=False,
        by=staff,
    )
    assert attachment.file.name.endswith(".pdf")
    assert attachment.original_name == "report.html"
