"""The Word (DOCX) edition of a visit report, for the NPM's translators and for ministries that
reply in Word: the PDF's content (`visits.pdf.rendering.report_context`) in the PDF's order —
cover, contents, numbered sections with numbered paragraphs and the recommendations in bold
where they arise, the signatory, the annexes — in the report's language and script.

Serbian Cyrillic: every piece goes through the PDF's own transliteration of its final HTML
(`transliterate_html`), so what it leaves in Latin (addresses, references, code, English names)
stays Latin here too.

A draft says DRAFT on its cover and in the header of every page. An issued report's DOCX is
stored once, with the PDFs (`visits.pdf.rendering._store_issued`): its metadata names the NPM,
never a person, and its dates are the issue's, so the same frozen content gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import zipfile
from dataclasses import dataclass

from django.utils import translation
from django.utils.html import conditional_escape, strip_tags
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt

from core.names import document_name

from ..models import Report, ReportLanguage
from ..pdf.rendering import PDF_LANGUAGE, report_context, transliterate_html
from .html import write_html

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Zip entries dated as Word dates them: the bytes depend on the content only.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
# The language Word checks the spelling in, and the document's language property.
WORD_LANGUAGE = {
    ReportLanguage.ENGLISH: "en-GB",
    ReportLanguage.SERBIAN_LATIN: "sr-Latn-RS",
    ReportLanguage.SERBIAN_CYRILLIC: "sr-Cyrl-RS",
}
# A4 with the PDF's margins (pdf/base.css).
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Cm(21), Cm(29.7), Cm(2.5)
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
# The annex of recommendations: No., Recommendation, Priority, Addressees, Deadline.
ANNEX_SHARES = (8, 46, 12, 20, 14)


@dataclass(frozen=True)
class Script:
    """The report's script: text and HTML as the Cyrillic PDF transliterates them."""

    cyrillic: bool

    def html(self, value) -> str:
        """`value` as HTML (plain text escaped; HTML made safe upstream kept as it is)."""
        markup = str(conditional_escape(value))
        return transliterate_html(markup) if self.cyrillic else markup

    def text(self, value) -> str:
        return html.unescape(strip_tags(self.html(value)))


def report_docx(report: Report, *, draft: bool, public: bool = False) -> bytes:
    """The DOCX of `report`: a draft (marked DRAFT), or the issued full or public version."""
    with translation.override(PDF_LANGUAGE.get(report.language, "en")):
        context = report_context(report, public=public, draft=draft)
        script = Script(cyrillic=report.language == ReportLanguage.SERBIAN_CYRILLIC)
        document = _ReportDocument(report, context, script).build()
    return _pack(document)


class _ReportDocument:
    """One build of the document: the parts in the PDF's order."""

    def __init__(self, report: Report, context: dict, script: Script):
        self.report = report
        self.context = context
        self.script = script
        self.document = Document()
        place = context["place"]
        self.place = script.text(document_name(place.name, place.name_sr))

    def build(self):
        self._page_setup()
        self._properties()
        self._header_and_footer()
        self._cover()
        self._contents()
        for sheet in self.context["sheets"]:
            self._section(sheet)
        if self.context["signatory"]:
            self._signatory(self.context["signatory"])
        if self.context["recommendations"]:
            self._recommendations_annex(self.context["recommendations"])
        if self.context["team"]:
            self._team_annex(self.context["team"])
        return self.document

    # --- Helpers ------------------------------------------------------------------------------

    def text(self, value) -> str:
        return self.script.text(value)

    def paragraph(self, value="", *, bold=False, size=None, centred=False, style=None):
        paragraph = self.document.add_paragraph(style=style)
        if value:
            run = paragraph.add_run(self.text(value))
            run.bold = bold or None
            if size:
                run.font.size = Pt(size)
        if centred:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return paragraph

    def labelled(self, label: str, value) -> None:
        paragraph = self.document.add_paragraph()
        paragraph.add_run(self.text(label) + ": ").bold = True
        paragraph.add_run(self.text(value))

    def heading(self, title: str, *, number: int | None = None, confidential: bool = False):
        heading = self.document.add_heading(level=1)
        if number is not None:
            heading.add_run(f"{number}. ")
        heading.add_run(self.text(title))
        if confidential:
            heading.add_run(f" ({self.text(_('Confidential'))})").italic = True
        return heading

    def html(self, container, value, *, width=TEXT_WIDTH) -> None:
        write_html(container, self.script.html(value), width=width)

    # --- Document settings --------------------------------------------------------------------

    def _page_setup(self) -> None:
        section = self.document.sections[0]
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.start_type = WD_SECTION_START.NEW_PAGE
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, MARGIN)
        language = WORD_LANGUAGE.get(self.report.language, "en-GB")
        defaults = self.document.styles.element.find(qn("w:docDefaults"))
        defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}").set(
            qn("w:val"), language
        )
        for name in ("Header", "Footer"):
            stops = self.document.styles[name].paragraph_format.tab_stops
            stops.clear_all()
            stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
        # python-docx's template carries a picture of an empty page as the preview.
        package = self.document.part.package
        for key, relationship in list(package.rels.items()):
            if relationship.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
                package.rels.pop(key)

    def _properties(self) -> None:
        """Title, author (the NPM), language and dates; no trace of who or what generated it."""
        context, report = self.context, self.report
        properties = self.document.core_properties
        properties.title = self.text(f"{report.reference} · {report.title}")[:255]
        properties.subject = self.place[:255]
        properties.author = properties.last_modified_by = self.text(context["npm_name"])[:255]
        properties.comments = f"{self.place}, {self.text(context['visit_dates'])}"[:255]
        properties.language = WORD_LANGUAGE.get(report.language, "en-GB")
        properties.category = self.text(context["marking"])
        properties.revision = 1
        issued = report.issued_at and not context["draft"]
        created = report.issued_at if issued else context["generated_at"]
        properties.created = properties.modified = created.astimezone(dt.UTC)

    def _header_and_footer(self) -> None:
        context, section = self.context, self.document.sections[0]
        header = section.header.paragraphs[0]
        if context["draft"]:
            header.add_run(self.text(_("DRAFT")) + " · ").bold = True
        header.add_run(f"{self.report.reference} · {self.place}\t")
        header.add_run(self.text(context["marking"])).bold = True
        footer = section.footer.paragraphs[0]
        if context["draft"]:
            footer.add_run(self.text(context["draft_line"]))
        else:
            issued = f" · {context['issued_on']}" if context["issued_on"] else ""
            footer.add_run(self.text(f"{self.report.reference}{issued}"))
        footer.add_run("\t")
        footer._p.append(_page_number())

    # --- The parts ----------------------------------------------------------------------------

    def _cover(self) -> None:
        context, report, visit = self.context, self.report, self.context["visit"]
        self.paragraph(context["npm_name"], bold=True, size=14, centred=True)
        if context["draft"]:
            self.paragraph(_("DRAFT"), bold=True, size=28, centred=True)
            self.paragraph(context["draft_line"], centred=True)
        self.paragraph(report.title, style="Title")
        self.paragraph(self.place, bold=True, size=13, centred=True)
        self.paragraph(context["visit_dates"], centred=True)
        self.labelled(_("Reference number"), report.reference)
        self.labelled(_("Visit"), f"{visit.reference} · {visit.get_kind_display()}")
        if context["issued_on"]:
            self.labelled(_("Issued on"), context["issued_on"])
        self.paragraph(context["marking"], bold=True, size=13, centred=True)
        self.document.add_page_break()

    def _contents(self) -> None:
        self.paragraph(_("Contents"), style="TOC Heading")
        for sheet in self.context["sheets"]:
            label = f" ({_('Confidential')})" if sheet.confidential else ""
            self.paragraph(f"{sheet.number}.\t{sheet.title}{label}")
        for sheet in self.context["annexes"]:
            self.paragraph(sheet.title)
        notes = []
        if self.context["sections_left_out"]:
            notes.append(
                _(
                    "Confidential sections are left out of this public version; sections and "
                    "paragraphs keep the numbers they have in the full report."
                )
            )
        if self.context["recommendations_left_out"]:
            notes.append(_("Recommendations that are not public are left out of this version."))
        for note in notes:
            self.paragraph(note).runs[0].italic = True
        self.document.add_page_break()

    def _section(self, sheet) -> None:
        self.heading(sheet.title, number=sheet.number, confidential=sheet.confidential)
        self.html(self.document, sheet.body)
        for recommendation in sheet.recommendations:
            label = _("Recommendation %(number)s") % {"number": recommendation["number"]}
            self.paragraph(label, bold=True).paragraph_format.keep_with_next = True
            self.html(self.document, recommendation["bold"])

    def _signatory(self, signatory: dict) -> None:
        self.paragraph(self.context["npm_name"], bold=True).paragraph_format.space_before = Pt(24)
        self.labelled(_("Reference number"), signatory["reference"])
        self.labelled(_("Date"), signatory["date"])
        if signatory["name"]:
            self.paragraph(signatory["name"], bold=True).paragraph_format.space_before = Pt(36)
        if signatory["function"]:
            self.paragraph(signatory["function"])

    def _recommendations_annex(self, recommendations: list[dict]) -> None:
        self.document.add_page_break()
        self.heading(_("Annex: Recommendations"))
        headers = (_("No."), _("Recommendation"), _("Priority"), _("Addressees"), _("Deadline"))
        table = self._table(headers, ANNEX_SHARES)
        widths = [column.width for column in table.columns]
        for recommendation in recommendations:
            cells = table.add_row().cells
            cells[0].text = str(recommendation["number"])
            self.html(cells[1], recommendation["text"], width=widths[1])
            priority = cells[2].paragraphs[0].add_run(self.text(recommendation["priority"]))
            priority.bold = recommendation["urgent"] or None
            addressees = "; ".join(conditional_escape(a) for a in recommendation["addressees"])
            cells[3].text = self.text(addressees)
            cells[4].text = self.text(recommendation["deadline"])
            for cell, width in zip(cells, widths, strict=True):
                cell.width = width

    def _team_annex(self, team: list[dict]) -> None:
        self.heading(_("Annex: The visiting team"))
        table = self._table((_("Name"), _("Role")), (60, 40))
        for member in team:
            cells = table.add_row().cells
            cells[0].text = self.text(member["name"])
            cells[1].text = self.text(member["role"])

    def _table(self, headers: tuple[str, ...], shares: tuple[int, ...]):
        """A table with a header row repeated on every page, its columns `shares` wide."""
        table = self.document.add_table(rows=1, cols=len(headers), style="Table Grid")
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        row = table.rows[0]
        row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for cell, header, share, column in zip(
            row.cells, headers, shares, table.columns, strict=True
        ):
            column.width = cell.width = Emu(TEXT_WIDTH * share // sum(shares))
            cell.paragraphs[0].add_run(self.text(header)).bold = True
        return table


def _page_number():
    """A PAGE field: Word shows the number of the page it is on."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    return field


def _pack(document) -> bytes:
    """The document's zip with every entry dated ZIP_EPOCH (python-docx dates them now)."""
    saved = io.BytesIO()
    document.save(saved)
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, source.read(info))
    return out.getvalue()
