"""The issued report's PDF standards: tagged (a structure tree for screen readers), PDF/A-3u for
archiving and PDF/UA-1 for accessibility, in one file.

WeasyPrint writes one variant per call (`pdf_variant`), so the PDF is made as PDF/A-3u with
tags switched on (`pdf_tags`: the structure tree, /MarkInfo, /ViewerPreferences
/DisplayDocTitle, /Lang), and `declare_pdf_ua`, a finisher run just before the file is written,
adds the PDF/UA-1 identification (pdfuaid:part 1) to the XMP packet WeasyPrint made. PDF/A
accepts a property of another schema only when the packet describes that schema, so the
pdfuaid schema's description (a PDF/A extension schema) goes in with it.

Title, author (the NPM, never a person), language and creation date come from the HTML:
`<title>`, `<meta name="author">`, `<html lang>`, `<meta name="dcterms.created">`.
"""

from __future__ import annotations

ARCHIVAL_OPTIONS = {"pdf_variant": "pdf/a-3u", "pdf_tags": True}

PDF_UA_XMP = b"""<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#"><pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource"><pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema><pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI><pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix><pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource"><pdfaProperty:name>part</pdfaProperty:name><pdfaProperty:valueType>Integer</pdfaProperty:valueType><pdfaProperty:category>internal</pdfaProperty:category><pdfaProperty:description>Part of ISO 14289 to which the file conforms</pdfaProperty:description></rdf:li></rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description><rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" pdfuaid:part="1"/>"""  # noqa: E501
RDF_END = b"</rdf:RDF>"


def declare_pdf_ua(document, pdf) -> None:
    """WeasyPrint finisher: PDF/UA-1 identification in the (single) XMP packet's RDF."""
    reference = pdf.catalog.get("Metadata")
    if reference is None:
        raise ValueError("The PDF has no XMP metadata to declare PDF/UA in.")
    if isinstance(reference, bytes):  # pydyf's references are b"12 0 R"
        reference = reference.decode()
    stream = pdf.objects[int(str(reference).split()[0])]
    content = b"".join(
        part if isinstance(part, bytes) else str(part).encode() for part in stream.stream
    )
    if RDF_END not in content:
        raise ValueError("The PDF's XMP metadata has no RDF to declare PDF/UA in.")
    stream.stream = [content.replace(RDF_END, PDF_UA_XMP + RDF_END, 1)]
