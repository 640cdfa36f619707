"""Import uploads are checked like every upload (core.uploads): XLSX by its content, CSV as
text; anything else refused whatever its name."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core.uploads import CSV, XLSX, validate_attachment, validate_upload
from recommendations.imports.template import template_csv, template_xlsx


def check(data: bytes, name: str) -> str:
    return validate_upload(
        SimpleUploadedFile(name, data), allowed=(XLSX, CSV), label="XLSX, CSV", max_mb=1
    )


def test_the_templates_pass_as_what_they_are_whatever_their_name():
    assert check(template_xlsx(), "x.csv") == XLSX
    assert check(template_csv(), "x.xlsx") == CSV
    assert check("Mesto;Tekst\nKruševac;Obnoviti\n".encode("cp1250"), "x.csv") == CSV


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 32,  # a picture
        b"%PDF-1.4\n%%EOF\n",  # a PDF
        b"MZ\x90\x00\x03\x00\x00\x00",  # a program
    ],
)
def test_other_content_is_refused_even_named_csv(data):
    with pytest.raises(ValidationError):
        check(data, "past.csv")


def test_a_word_document_is_not_a_spreadsheet():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ValidationError):
        check(buffer.getvalue(), "past.xlsx")


def test_a_file_over_the_limit_is_refused():
    with pytest.raises(ValidationError, match="too large"):
        check(b"a,b\n" * 300_000, "big.csv")


def test_spreadsheets_are_still_refused_as_attachments(settings):
    workbook = Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    for data in (buffer.getvalue(), b"a,b\n1,2\n"):
        with pytest.raises(ValidationError):
            validate_attachment(SimpleUploadedFile("letter.pdf", data))
