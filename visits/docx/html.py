"""The HTML of a report, as the PDF prints it, written into a Word document: paragraphs,
headings, lists, quotations, code, tables, bold, italic, struck-through and superscript text,
links (clickable, with their address printed after the text where the PDF prints it) and
footnotes.

The input is what `visits.pdf.content` makes for the PDF: nh3's sanitised output with the PDF
layout's own markup (`visits.pdf.layout`): paragraph numbers as `<div class="para-number">`,
link addresses as class "bare" (none printed) or `data-address`, column widths as `<col>`
percentages. A tag not known here keeps its text, so nothing written is ever lost.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt, RGBColor
from docx.table import Table, _Cell

# The section title is Heading 1; an author's headings (h3–h6, `core.richtext`) come below it.
HEADING_LEVELS = {"h3": 2, "h4": 3, "h5": 4, "h6": 5}
# Inline tags → the run property they switch on.
INLINE = {
    "strong": "bold",
    "b": "bold",
    "em": "italic",
    "i": "italic",
    "del": "strike",
    "s": "strike",
    "code": "code",
    "sup": "superscript",
    "sub": "subscript",
}
VOID = frozenset({"br", "hr", "img", "wbr", "col", "area", "source", "track", "input"})
INDENT = Cm(0.75)  # each list level and quotation
HANGING = Cm(1.25)  # the column of a paragraph number or list marker
MONOSPACE = "Courier New"
LINK_COLOUR = RGBColor(0x05, 0x63, 0xC1)
FOOTNOTE_SIZE = Pt(9)
_SPACES = re.compile(r"\s+")
_COL_WIDTH = re.compile(r"width:\s*([0-9.]+)%")


@dataclass
class _List:
    ordered: bool
    next: int = 1


@dataclass
class _Table:
    table: Table
    width: Length
    row: object | None = None
    column: int = 0
    shares: list[float] = field(default_factory=list)  # the <col> widths, in per cent


class DocxWriter(HTMLParser):
    """Writes HTML into `container` (the document or a table cell), `width` wide.

    Block tags end the paragraph being written; a paragraph is opened by the first text after
    them, with what is pending then (a paragraph number, a list marker), so markup between
    blocks never makes empty paragraphs."""

    def __init__(self, container, *, width: Length):
        super().__init__(convert_charrefs=True)
        self._containers: list = [container]
        self._width = width
        # A table cell starts with one empty paragraph: the first text goes into it.
        self._unused = container.paragraphs[0] if _is_empty_cell(container) else None
        self._paragraph = None
        self._hyperlink = None
        self._link: str | None = None
        self._format: Counter[str] = Counter()
        self._lists: list[_List] = []
        self._tables: list[_Table] = []
        self._quotes = 0
        self._small = 0
        self._skip = 0
        self._pre = False
        self._heading: int | None = None
        self._number: str | None = None
        self._marker: str | None = None
        self._capture: list[str] | None = None
        # Open elements, each with what its end tag does.
        self._open: list[tuple[str, Callable[[], None] | None]] = []

    # --- The parser's events ------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag in VOID:
            self._void(tag, attributes)
            return
        if self._skip:
            self._open.append((tag, None))
            return
        self._open.append((tag, self._start(tag, attributes)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        names = [name for name, _close in self._open]
        if tag not in VOID and tag in names:
            self._close_from(len(names) - 1 - names[::-1].index(tag))

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._capture is not None:
            self._capture.append(data)
            return
        if self._pre:
            self._write_lines(data)
            return
        text = _SPACES.sub(" ", data)
        if self._paragraph is None:
            text = text.lstrip()
        if text:
            self._run(text)

    def close(self) -> None:
        super().close()
        self._close_from(0)
        self._end_paragraph()

    def _close_from(self, index: int) -> None:
        """Close the open element at `index` and those left open inside it."""
        for _name, close in reversed(self._open[index:]):
            if close is not None:
                close()
        del self._open[index:]

    # --- Tags ---------------------------------------------------------------------------------

    def _void(self, tag: str, attributes: dict[str, str]) -> None:
        if tag == "br" and not self._skip:
            self._ensure_paragraph().add_run().add_break()
        elif tag == "hr":
            self._end_paragraph()
        elif tag == "col" and self._tables:
            share = _COL_WIDTH.search(attributes.get("style", ""))
            if share:
                self._tables[-1].shares.append(float(share.group(1)))

    def _start(self, tag: str, attributes: dict[str, str]) -> Callable[[], None] | None:
        """Open `tag`; what its end tag does."""
        if tag in INLINE:
            return self._inline(INLINE[tag])
        if tag == "a":
            return self._start_link(attributes)
        starts = {
            "p": self._start_block,
            "blockquote": self._start_quote,
            "pre": self._start_pre,
            "ul": self._start_list,
            "ol": self._start_list,
            "li": self._start_item,
            "div": self._start_div,
            "table": self._start_table,
            "tr": self._start_row,
            "td": self._start_cell,
            "th": self._start_cell,
        }
        if tag in HEADING_LEVELS:
            return self._start_heading(HEADING_LEVELS[tag])
        start = starts.get(tag)
        return start(tag, attributes) if start else None

    def _inline(self, name: str) -> Callable[[], None]:
        self._format[name] += 1

        def close() -> None:
            self._format[name] -= 1

        return close

    def _start_block(self, tag: str, attributes: dict[str, str]) -> Callable[[], None]:
        self._end_paragraph()
        return self._end_paragraph

    def _start_heading(self, level: int) -> Callable[[], None]:
        self._end_paragraph()
        self._heading = level

        def close() -> None:
            self._end_paragraph()
            self._heading = None

        return close

    def _start_quote(self, tag: str, attributes: dict[str, str]) -> Callable[[], None]:
        self._end_paragraph()
        self._quotes += 1

        def close() -> None:
            self._end_paragraph()
            self._quotes -= 1

        return close

    def _start_pre(self, tag: str, attributes: dict[str, str]) -> Callable[[], None]:
        self._end_paragraph()
        self._pre = True

        def close() -> None:
            self._end_paragraph()
            self._pre = False

        return close

    def _start_list(self, tag: str, attributes: dict[str, str]) -> Callable[[], None]:
        self._end_paragraph()
        start = attributes.get("start", "1")
        self._lists.append(_List(ordered=tag == "ol", next=int(start) if start.isdigit() else 1))

        def close() -> None:
            self._end_paragraph()
            self._lists.pop()

        return close

    def _start_item(self, tag: str, attributes: dict[str, str]) -> Callable[[], None]:
        self._end_paragraph()
        current = self._lists[-1] if self._lists else _List(ordered=False)
        self._marker = f"{current.next}." if current.ordered else "•"
        current.next += 1

        def close() -> None:
            self._end_paragraph()
            self._marker = None

        return close

    def _start_div(self, tag: str, attributes: dict[str, str]) -> Callable[[], None]:
        classes = attributes.get("class", "").split()
        if "para-number" in classes:
            # "3.4.": printed before the paragraph it numbers (the next text), not on its own.
            self._capture = []

            def number() -> None:
                self._number = "".join(self._capture or []).strip() or None
                self._capture = None

            return number
        self._end_paragraph()
        footnotes = "footnote" in classes
        self._small += int(footnotes)

        def close() -> None:
            self._end_paragraph()
            self._small -= int(footnotes)

        return close

    def _start_link(self, attributes: dict[str, str]) -> Callable[[], None] | None:
        href = attributes.get("href", "")
        classes = attributes.get("class", "").split()
        if "footnote-backref" in classes:  # "↩": the PDF does not print it either
            self._skip += 1

            def unskip() -> None:
                self._skip -= 1

            return unskip
        if not href.lower().startswith(("https:", "mailto:")):
            return None  # a footnote reference or an address the sanitiser dropped: text only
        after = ""
        if "data-address" in attributes:
            after = attributes["data-address"]
        elif href.lower().startswith("https:") and "bare" not in classes:
            after = href
        self._link = href

        def close() -> None:
            self._link = None
            self._hyperlink = None
            if after:
                self._run(f" ({after})")

        return close

    def _start_table(self, tag: str, attributes: dict[str, str]) -> Callable[[], None]:
        self._end_paragraph()
        container = self._containers[-1]
        table = container.add_table(0, 1)
        table.style = "Table Grid"
        width = self._width if len(self._containers) == 1 else (container.width or self._width)
        self._tables.append(_Table(table=table, width=width))

        def close() -> None:
            self._end_paragraph()
            _fit(self._tables.pop())

        return close

    def _start_row(self, tag: str, attributes: dict[str, str]) -> None:
        if self._tables:
            state = self._tables[-1]
            state.row, state.column = state.table.add_row(), 0

    def _start_cell(self, tag: str, attributes: dict[str, str]) -> Callable[[], None] | None:
        if not self._tables:
            return None
        state = self._tables[-1]
        if state.row is None:
            state.row, state.column = state.table.add_row(), 0
        while state.column >= len(state.table.columns):
            state.table.add_column(Cm(1))
        cell = state.row.cells[state.column]
        state.column += 1
        self._end_paragraph()
        self._containers.append(cell)
        self._unused = cell.paragraphs[0]
        header = tag == "th"
        self._format["bold"] += int(header)

        def close() -> None:
            self._end_paragraph()
            self._containers.pop()
            self._unused = None
            self._format["bold"] -= int(header)

        return close

    # --- Paragraphs and runs ------------------------------------------------------------------

    def _ensure_paragraph(self):
        if self._paragraph is not None:
            return self._paragraph
        if self._unused is not None:
            paragraph, self._unused = self._unused, None
        else:
            paragraph = self._containers[-1].add_paragraph()
        if self._heading is not None:
            paragraph.style = f"Heading {self._heading}"
        indent = INDENT * (self._quotes + max(len(self._lists) - 1, 0))
        prefix = [mark for mark in (self._number, self._marker) if mark]
        if prefix:
            indent += HANGING
            paragraph.paragraph_format.first_line_indent = -HANGING
        if indent:
            paragraph.paragraph_format.left_indent = indent
        self._paragraph = paragraph
        self._number = self._marker = None
        for mark in prefix:
            self._plain_run(f"{mark}\t")
        return paragraph

    def _end_paragraph(self) -> None:
        # The space (often a no-break space) before a dropped footnote backlink.
        runs = self._paragraph.runs if self._paragraph is not None else []
        if runs and runs[-1].text != runs[-1].text.rstrip(" \u00a0"):
            runs[-1].text = runs[-1].text.rstrip(" \u00a0")
        self._paragraph = None
        self._hyperlink = None

    def _plain_run(self, text: str) -> None:
        run = self._paragraph.add_run(text)
        if self._small:
            run.font.size = FOOTNOTE_SIZE

    def _run(self, text: str) -> None:
        paragraph = self._ensure_paragraph()
        run = paragraph.add_run(text)
        font = run.font
        font.bold = True if self._format["bold"] else None
        font.italic = True if self._format["italic"] else None
        font.strike = True if self._format["strike"] else None
        font.superscript = True if self._format["superscript"] else None
        font.subscript = True if self._format["subscript"] else None
        if self._format["code"] or self._pre:
            font.name = MONOSPACE
        if self._small:
            font.size = FOOTNOTE_SIZE
        if self._link:
            font.color.rgb = LINK_COLOUR
            font.underline = True
            self._link_element(paragraph).append(run._r)

    def _write_lines(self, data: str) -> None:
        lines = data.split("\n")
        if len(lines) > 1 and lines[-1] == "":
            lines.pop()  # the newline that ends a code block
        for index, line in enumerate(lines):
            if index:
                self._ensure_paragraph().add_run().add_break()
            if line:
                self._run(line)

    def _link_element(self, paragraph):
        """The `w:hyperlink` of the open link in this paragraph (one per paragraph it spans)."""
        if self._hyperlink is None:
            target = paragraph.part.relate_to(
                self._link, RELATIONSHIP_TYPE.HYPERLINK, is_external=True
            )
            self._hyperlink = OxmlElement("w:hyperlink")
            self._hyperlink.set(qn("r:id"), target)
            paragraph._p.append(self._hyperlink)
        return self._hyperlink


def _is_empty_cell(container) -> bool:
    return (
        isinstance(container, _Cell)
        and container.paragraphs[0].text == ""
        and (len(container.paragraphs) == 1)
    )


def _fit(state: _Table) -> None:
    """Column widths from the table's `<col>` percentages (the PDF's), else equal."""
    columns = state.table.columns
    shares = state.shares if len(state.shares) == len(columns) else [1.0] * len(columns)
    total = sum(shares) or 1.0
    for column, share in zip(columns, shares, strict=True):
        width = Length(int(state.width * share / total))
        column.width = width
        for cell in column.cells:
            cell.width = width


def write_html(container, html: str, *, width: Length) -> None:
    """Write `html` (sanitised, as the PDF prints it) at the end of `container`."""
    writer = DocxWriter(container, width=width)
    writer.feed(html)
    writer.close()
