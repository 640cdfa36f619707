"""Document metadata stripped before a file is stored: who wrote a PDF, DOCX or ODT, on which
machine and when is not the NPM's to keep (an author name can be an interviewee's, a company
name the institution's). Pictures are cleaned in `storage.strip_image_metadata`.

- PDF: the document information dictionary (/Author, /Creator, /Producer, /Title, /Subject,
  /Keywords, the dates) and every XMP metadata stream (/Metadata of the catalogue, pages,
  images, …) and /PieceInfo are removed; the pages stay as they are.
- DOCX: docProps/core.xml and docProps/custom.xml are emptied; docProps/app.xml loses company,
  manager, template, hyperlink base, editing time and the titles of parts.
- ODT: meta.xml loses creators, dates, editing cycles and time, printer, title, subject,
  description, keywords, template and user-defined fields.

A zip is rewritten with the same parts in the same order and compression (an ODT's `mimetype`
stays first and uncompressed), its comment and entry dates dropped. Anything that cannot be
cleaned is stored as it is and a warning is logged: validators have already refused broken files,
so this must not fail the request.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from xml.etree import ElementTree

from django.core.files.base import ContentFile
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from core.uploads import DOCX, ODT, PDF, detect_content_type

logger = logging.getLogger(__name__)

# Zip entries get this date (the earliest a zip can hold), as Word itself writes.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)

EMPTY_CORE_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)
EMPTY_CUSTOM_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>'
)
EMPTY_APP_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
    b' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>'
)
EMPTY_ODT_META = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    b'office:version="1.2"><office:meta/></office:document-meta>'
)
# Elements removed from docProps/app.xml and from an ODT's meta.xml (local names).
APP_XML_PERSONAL = (
    "Company",
    "Manager",
    "Template",
    "HyperlinkBase",
    "TotalTime",
    "TitlesOfParts",
    "HeadingPairs",
)
ODT_META_PERSONAL = (
    "initial-creator",
    "creator",
    "creation-date",
    "date",
    "editing-cycles",
    "editing-duration",
    "printed-by",
    "print-date",
    "title",
    "subject",
    "description",
    "keyword",
    "template",
    "user-defined",
    "auto-reload",
    "hyperlink-behaviour",
)
# Dictionary keys that hold metadata wherever they are in a PDF.
PDF_METADATA_KEYS = ("/Metadata", "/PieceInfo")


def strip_document_metadata(content) -> ContentFile | None:
    """A copy of a PDF, DOCX or ODT without its metadata, or None when the content is of
    another type or cannot be cleaned (then it is stored as it is). The app's own PDFs (report
    renders) say `keep_metadata = True`: they name no author, and are stored byte for byte
    because their SHA-256 is shown."""
    if getattr(content, "keep_metadata", False):
        return None
    content_type = detect_content_type(content)
    strip = {PDF: _strip_pdf, DOCX: _strip_docx, ODT: _strip_odt}.get(content_type)
    if strip is None:
        return None
    try:
        content.seek(0)
        clean = strip(content)
    except Exception as error:  # pypdf and zipfile raise many kinds; none may fail the upload
        logger.warning(
            "The metadata of an uploaded %s could not be removed (%s); stored as it is.",
            content_type,
            type(error).__name__,
        )
        clean = None
    finally:
        content.seek(0)
    return ContentFile(clean) if clean is not None else None


# PDF.


def _strip_pdf(content) -> bytes | None:
    reader = PdfReader(content)
    if reader.is_encrypted:
        # Rewriting would remove its protection; a password-protected PDF is kept as it is.
        logger.warning("An uploaded PDF is encrypted; its metadata was left in place.")
        return None
    writer = PdfWriter(clone_from=reader)
    writer.metadata = None  # the /Info dictionary (and pypdf's own /Producer)
    # XMP streams and application data, wherever they hang: catalogue, pages, images, fonts.
    stack: list = [writer.root_object]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            if node.idnum in seen:
                continue
            seen.add(node.idnum)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            for key in PDF_METADATA_KEYS:
                if key in node:
                    del node[key]
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    # What only the removed entries pointed at is not written.
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# DOCX and ODT.


def _without_elements(xml: bytes, local_names: tuple[str, ...]) -> bytes | None:
    """`xml` without the elements of these local names (any prefix), the rest byte for byte;
    None when the result is not well-formed XML (the caller then empties the part)."""
    if b"<!DOCTYPE" in xml:
        return None  # no part of these needs one; entities could hide what is removed here
    names = "|".join(re.escape(name) for name in local_names)
    pattern = re.compile(
        rb"<(?P<q>(?:[\w.-]+:)?(?:" + names.encode() + rb"))(?=[\s/>])"
        rb"(?:[^>]*?/>|[^>]*>.*?</(?P=q)\s*>)",
        re.DOTALL,
    )
    cleaned = pattern.sub(b"", xml)
    try:
        # No DTD, hence no entities (checked above): only well-formedness is at stake.
        ElementTree.fromstring(cleaned)  # nosec B314
    except ElementTree.ParseError:
        return None
    return cleaned


def _docx_part(name: str, data: bytes) -> bytes:
    if name == "docProps/core.xml":
        return EMPTY_CORE_XML
    if name == "docProps/custom.xml":
        return EMPTY_CUSTOM_XML
    if name == "docProps/app.xml":
        return _without_elements(data, APP_XML_PERSONAL) or EMPTY_APP_XML
    return data


def _odt_part(name: str, data: bytes) -> bytes:
    if name == "meta.xml":
        return _without_elements(data, ODT_META_PERSONAL) or EMPTY_ODT_META
    return data


def _rewrite_zip(content, clean_part) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(content) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for info in source.infolist():
            data = clean_part(info.filename, source.read(info))
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH)
            entry.compress_type = info.compress_type
            entry.external_attr = info.external_attr
            target.writestr(entry, data)
    return out.getvalue()


def _strip_docx(content) -> bytes:
    return _rewrite_zip(content, _docx_part)


def _strip_odt(content) -> bytes:
    return _rewrite_zip(content, _odt_part)
