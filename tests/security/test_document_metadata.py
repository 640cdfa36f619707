"""PDF, DOCX and ODT metadata (author, company, dates, XMP) is removed before a file is stored,
the content kept (issue #17, finding 6). Files are read back through the storage, never from
disk: they are encrypted at rest."""

from __future__ import annotations

import io
import logging
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from npm_portal.security.metadata import strip_document_metadata
from partners.models import Agreement
from tests.factories.partners import OrganisationFactory
from tests.factories.visits import VisitFactory
from visits.models import Attachment

AUTHOR = "Jovana Zqxauthor Petrović"
COMPANY = "Zqxcompany Prison Administration"
PAGE_TEXT = b"BT /F1 12 Tf 72 712 Td (Findings of the visit) Tj ET"
XMP = f"""<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:creator><rdf:Seq><rdf:li>{AUTHOR}</rdf:li></rdf:Seq></dc:creator>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>""".encode()


def _pdf(pages: int = 2) -> bytes:
    writer = PdfWriter()
    for number in range(pages):
        page = writer.add_blank_page(595 + number, 842)
        contents = DecodedStreamObject()
        contents.set_data(PAGE_TEXT)
        page[NameObject("/Contents")] = writer._add_object(contents)
        # An XMP stream on a page too, not only on the document.
        page_xmp = DecodedStreamObject()
        page_xmp.set_data(XMP)
        page[NameObject("/Metadata")] = writer._add_object(page_xmp)
    writer.add_metadata(
        {
            "/Author": AUTHOR,
            "/Creator": "Zqxcreator Scanner of cell 12",
            "/Producer": "Zqxproducer 1.0",
            "/Title": "Zqxtitle Medical record",
            "/Subject": "Zqxsubject",
            "/Keywords": "Zqxkeywords",
            "/CreationDate": "D:20260302090000+01'00'",
            "/ModDate": "D:20260302100000+01'00'",
        }
    )
    writer.xmp_metadata = XMP
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdf_with_an_older_revision() -> bytes:
    """A PDF saved twice: the author is only in the first revision, still in the file."""
    first = _pdf(pages=1)
    writer = PdfWriter(io.BytesIO(first), incremental=True)
    writer.add_metadata({"/Author": "Someone else"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


CORE_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Zqxtitle</dc:title>
<dc:creator>{AUTHOR}</dc:creator><cp:lastModifiedBy>Zqxlastmodified</cp:lastModifiedBy>
<cp:revision>7</cp:revision>
<dcterms:created xsi:type="dcterms:W3CDTF">2026-03-02T09:00:00Z</dcterms:created>
</cp:coreProperties>""".encode()
APP_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
 xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">
<Template>C:\\Users\\Zqxuser\\Normal.dotm</Template><TotalTime>42</TotalTime><Pages>1</Pages>
<Application>Microsoft Office Word</Application><Company>{COMPANY}</Company>
<Manager>Zqxmanager</Manager><TitlesOfParts><vt:vector size="1" baseType="lpstr">
<vt:lpstr>Zqxtitle</vt:lpstr></vt:vector></TitlesOfParts><Company/></Properties>""".encode()
CUSTOM_XML = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
 xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">
<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Interviewee">
<vt:lpwstr>Zqxcustom</vt:lpwstr></property></Properties>"""
DOCUMENT_XML = (
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>Findings of the visit</w:t></w:r></w:p></w:body></w:document>"
)
DOCX_PARTS = {
    "[Content_Types].xml": b"<Types/>",
    "_rels/.rels": b"<Relationships/>",
    "word/document.xml": DOCUMENT_XML,
    "docProps/core.xml": CORE_XML,
    "docProps/app.xml": APP_XML,
    "docProps/custom.xml": CUSTOM_XML,
}

ODT_META = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xlink="http://www.w3.org/1999/xlink"
 office:version="1.3"><office:meta>
<meta:initial-creator>{AUTHOR}</meta:initial-creator><dc:creator>Zqxcreator</dc:creator>
<meta:creation-date>2026-03-02T09:00:00</meta:creation-date><dc:date>2026-03-02T10:00:00</dc:date>
<meta:editing-cycles>3</meta:editing-cycles><meta:editing-duration>PT1H</meta:editing-duration>
<meta:printed-by>Zqxprinter</meta:printed-by>
<meta:template xlink:href="file:///home/zqxuser/t.ott" xlink:title="Zqxtemplate"/>
<meta:user-defined meta:name="Interviewee">Zqxuserdefined</meta:user-defined>
<meta:generator>LibreOffice/7.4</meta:generator>
<meta:document-statistic meta:page-count="1"/>
</office:meta></office:document-meta>""".encode()
ODT_CONTENT = b"<office:document-content>Findings of the visit</office:document-content>"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def _zip(parts: dict[str, bytes], *, stored_first: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.comment = b"Zqxcomment"
        for index, (name, data) in enumerate(parts.items()):
            method = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name, (2026, 3, 2, 9, 0, 0)), data, method)
    return out.getvalue()


def _docx() -> bytes:
    return _zip(DOCX_PARTS)


def _odt() -> bytes:
    return _zip(
        {"mimetype": ODT_MIMETYPE, "content.xml": ODT_CONTENT, "meta.xml": ODT_META},
        stored_first=True,
    )


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _attach(client, name: str, content: bytes) -> Attachment:
    visit = VisitFactory()
    response = client.post(
        reverse("visits:visit_attachments", args=[visit.pk]),
        {"title": name, "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return Attachment.objects.get(visit=visit)


def _read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def _assert_clean_pdf(stored: bytes, *, pages: int) -> None:
    assert b"Zqx" not in stored
    reader = PdfReader(io.BytesIO(stored))
    assert reader.metadata is None
    assert reader.xmp_metadata is None
    assert "/Metadata" not in reader.trailer["/Root"]
    assert len(reader.pages) == pages
    for number, page in enumerate(reader.pages):
        assert "/Metadata" not in page
        assert page.get_contents().get_data() == PAGE_TEXT
        assert float(page.mediabox.width) == 595 + number


class TestPdf:
    def test_uploaded_attachment_loses_info_and_xmp_and_keeps_its_pages(self, staff_client):
        raw = _pdf()
        assert AUTHOR.encode() in raw
        assert b"Zqxproducer" in raw
        attachment = _attach(staff_client, "medical.pdf", raw)
        _assert_clean_pdf(_read(attachment.file), pages=2)
        # The download is the cleaned file too.
        response = staff_client.get(
            reverse("visits:attachment_download", args=[attachment.visit_id, attachment.pk])
        )
        assert b"Zqx" not in b"".join(response.streaming_content)

    def test_partner_agreement_upload_is_cleaned(self, staff_client):
        organisation = OrganisationFactory()
        response = staff_client.post(
            reverse("partners:agreement_create"),
            {
                "organisation": organisation.pk,
                "reference_number": "NPM-2026/1",
                "signed_on": "2026-01-10",
                "valid_from": "2026-02-01",
                "valid_until": "2028-01-31",
                "scope_visits": "on",
                "termination_reason": "",
                "notes": "",
                "document": SimpleUploadedFile("Signed.pdf", _pdf(), "application/pdf"),
            },
        )
        assert response.status_code == 302
        _assert_clean_pdf(_read(Agreement.objects.get().document), pages=2)

    def test_an_older_revision_does_not_keep_the_author(self, db):
        raw = _pdf_with_an_older_revision()
        assert AUTHOR.encode() in raw
        name = default_storage.save("x/doc.pdf", ContentFile(raw))
        stored = _read(default_storage.open(name))
        assert AUTHOR.encode() not in stored
        assert b"Someone else" not in stored
        assert len(PdfReader(io.BytesIO(stored)).pages) == 1

    def test_an_encrypted_pdf_is_stored_as_it_is(self, db, caplog):
        writer = PdfWriter(clone_from=io.BytesIO(_pdf(pages=1)))
        writer.encrypt(user_password="", owner_password="owner")
        out = io.BytesIO()
        writer.write(out)
        with caplog.at_level(logging.WARNING, logger="npm_portal.security.metadata"):
            assert strip_document_metadata(ContentFile(out.getvalue())) is None
        assert "encrypted" in caplog.text

    def test_a_pdf_that_does_not_parse_is_stored_as_it_is_with_a_warning(self, db, caplog):
        raw = b"%PDF-1.4\n% Zqx not a real PDF\n%%EOF\n"
        with caplog.at_level(logging.WARNING, logger="npm_portal.security.metadata"):
            name = default_storage.save("x/broken.pdf", ContentFile(raw))
        assert _read(default_storage.open(name)) == raw
        assert "could not be removed" in caplog.text


class TestDocx:
    def test_uploaded_docx_loses_its_properties_and_keeps_its_text(self, staff_client):
        attachment = _attach(staff_client, "letter.docx", _docx())
        stored = _read(attachment.file)
        assert b"Zqxcomment" not in stored
        with zipfile.ZipFile(io.BytesIO(stored)) as archive:
            assert archive.namelist() == list(DOCX_PARTS)
            assert archive.read("word/document.xml") == DOCUMENT_XML
            assert archive.read("[Content_Types].xml") == b"<Types/>"
            core = archive.read("docProps/core.xml")
            app = archive.read("docProps/app.xml")
            custom = archive.read("docProps/custom.xml")
            dates = {info.date_time for info in archive.infolist()}
        assert b"coreProperties" in core
        for text in (core, app, custom):
            assert b"Zqx" not in text
        assert AUTHOR.encode() not in core
        assert b"<Application>Microsoft Office Word</Application>" in app
        assert b"<Pages>1</Pages>" in app
        assert b"Company" not in app
        assert dates == {(1980, 1, 1, 0, 0, 0)}
        assert attachment.content_type.endswith("wordprocessingml.document")


class TestOdt:
    def test_uploaded_odt_loses_its_personal_meta_and_stays_an_odt(self, staff_client):
        attachment = _attach(staff_client, "letter.odt", _odt())
        stored = _read(attachment.file)
        with zipfile.ZipFile(io.BytesIO(stored)) as archive:
            first = archive.infolist()[0]
            assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
            assert archive.read("mimetype") == ODT_MIMETYPE
            assert archive.read("content.xml") == ODT_CONTENT
            meta = archive.read("meta.xml")
        assert b"Zqx" not in meta
        assert AUTHOR.encode() not in meta
        assert b"<meta:generator>LibreOffice/7.4</meta:generator>" in meta
        assert b'<meta:document-statistic meta:page-count="1"/>' in meta
        assert attachment.content_type == ODT_MIMETYPE.decode()

    def test_a_meta_xml_with_a_doctype_is_emptied(self):
        meta = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "Zqx">]><x>&a;</x>'
        parts = {"mimetype": ODT_MIMETYPE, "content.xml": ODT_CONTENT, "meta.xml": meta}
        clean = strip_document_metadata(ContentFile(_zip(parts, stored_first=True)))
        with zipfile.ZipFile(clean) as archive:
            assert b"Zqx" not in archive.read("meta.xml")
            assert b"<office:meta/>" in archive.read("meta.xml")


def test_other_types_are_not_touched():
    assert strip_document_metadata(ContentFile(b"plain text by Zqx")) is None
    assert strip_document_metadata(ContentFile(_zip({"a.txt": b"Zqx"}))) is None
