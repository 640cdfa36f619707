"""The PDF's changes to a section's sanitised HTML (`core.richtext.render_markdown`): numbered
paragraphs ("3.4."), footnote anchors unique in the document, link addresses printed after the
link text, recommendations in bold.

They work on nh3's output, which is regular: tags written one way, attribute values in double
quotes (a `"` inside one is `&quot;`), `<` escaped in text. Everything added here is fixed
markup or an attribute value the sanitiser has already allowed; nothing is read as Markdown
again, and the result is never sanitised a second time (it is the PDF's own HTML).
"""

from __future__ import annotations

import html as html_lib
import re

# A tag (attribute values may hold ">"), or a run of text.
_TOKEN = re.compile(r'<(?:[^>"]|"[^"]*")*>|[^<]+|<')
_TAG_NAME = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
VOID = frozenset({"br", "hr", "img", "wbr", "col", "area", "source", "track", "input"})
# The top-level blocks of a section's text that get a paragraph number. Tables and code blocks
# belong to the paragraph before them (as in CPT reports) and are only indented like the text;
# headings, rules and the footnotes' block are left as they are.
NUMBERED = frozenset({"p", "ul", "ol", "blockquote"})
INDENTED = frozenset({"table", "pre"})


def top_level_blocks(html: str) -> list[tuple[str | None, str]]:
    """`html` cut into its top-level elements: (tag name, markup), (None, text between)."""
    blocks: list[tuple[str | None, str]] = []
    depth = 0
    name: str | None = None
    current: list[str] = []
    for match in _TOKEN.finditer(html):
        token = match.group(0)
        tag = _TAG_NAME.match(token)
        if depth == 0:
            if tag and not tag.group(1) and tag.group(2).lower() not in VOID:
                name, current, depth = tag.group(2).lower(), [token], 1
            else:
                blocks.append((None, token))
            continue
        current.append(token)
        if tag and tag.group(2).lower() not in VOID and not token.endswith("/>"):
            depth += -1 if tag.group(1) else 1
        if depth == 0:
            blocks.append((name, "".join(current)))
            name, current = None, []
    if current:  # unclosed at the end: kept as it is
        blocks.append((name, "".join(current)))
    return blocks


def number_paragraphs(html: str, section: int) -> str:
    """Each top-level paragraph, list or quotation of section `section` numbered
    "section.n." before it (CPT style: cited as "para. 3.4").

    The number is a block of its own, before the text in the page's content (so text
    extraction reads "3.4." first), of no height (it prints beside the first line) and kept on
    the page of the block it numbers (report.css)."""
    out = []
    count = 0
    for name, markup in top_level_blocks(html):
        if name in NUMBERED:
            count += 1
            out.append(
                f'<div class="para" id="para-{section}-{count}">'
                f'<div class="para-number">{section}.{count}.</div>{markup}</div>'
            )
        elif name in INDENTED:
            out.append(f'<div class="para">{markup}</div>')
        else:
            out.append(markup)
    return "".join(out)


_TABLE = re.compile(r"<table>((?:(?!<table\b).)*?)</table>", re.DOTALL)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.DOTALL)
_CELL = re.compile(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", re.DOTALL)


def table_columns(html: str) -> str:
    """Column widths for each table, from the length of its columns' text (a short number
    column narrow, a remarks column wide): the PDF lays tables out with `table-layout: fixed`
    so that no table runs past the margin, and fixed widths would otherwise be equal."""

    def widths(match: re.Match) -> str:
        lengths: list[int] = []
        for row in _ROW.findall(match.group(1)):
            for index, cell in enumerate(_CELL.findall(row)):
                length = min(len(_plain(cell)), 40) + 3  # + the padding
                if index < len(lengths):
                    lengths[index] = max(lengths[index], length)
                else:
                    lengths.append(length)
        if not lengths:
            return match.group(0)
        total = sum(lengths)
        columns = "".join(f'<col style="width: {100 * n / total:.1f}%">' for n in lengths)
        return f"<table><colgroup>{columns}</colgroup>{match.group(1)}</table>"

    return _TABLE.sub(widths, html)


_OL_START = re.compile(r'<ol start="([0-9]{1,6})">')


def list_starts(html: str) -> str:
    """`<ol start="3">` counted from 3 (WeasyPrint ignores the attribute)."""
    return _OL_START.sub(
        lambda m: (
            f'<ol start="{m.group(1)}" style="counter-reset: list-item {int(m.group(1)) - 1}">'
        ),
        html,
    )


# Footnote anchors made by Python-Markdown ("fn:1", "fnref:1", "fnref2:1"), as ids and links.
_FOOTNOTE_ANCHOR = re.compile(r'(\bid="|\bhref="#)(fn(?:ref\d*)?:)')


def prefix_footnotes(html: str, prefix: str) -> str:
    """Footnote ids and links of one section made unique in the document ("s3-fn:1"): every
    section numbers its notes from 1."""
    return _FOOTNOTE_ANCHOR.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", html)


_LINK = re.compile(r'<a\b((?:[^>"]|"[^"]*")*)>(.*?)</a>', re.DOTALL)
_HREF = re.compile(r'\bhref="([^"]*)"')
_TAGS = re.compile(r"<[^>]*>")


def _plain(markup: str) -> str:
    return " ".join(html_lib.unescape(_TAGS.sub("", markup)).split())


def mark_link_addresses(html: str) -> str:
    """Links whose address the PDF prints after the text (report.css): an https link gets
    class "bare" when its text is its address already; a mailto link with other text gets its
    address in `data-address` (printed without "mailto:")."""

    def mark(match: re.Match) -> str:
        attributes, text = match.group(1), match.group(2)
        href = _HREF.search(attributes)
        if href is None or "class=" in attributes:
            return match.group(0)
        address = html_lib.unescape(href.group(1))
        shown = _plain(text)
        if address.lower().startswith("https:"):
            if shown.rstrip("/") in (address.rstrip("/"), address[len("https://") :].rstrip("/")):
                return f'<a{attributes} class="bare">{text}</a>'
        elif address.lower().startswith("mailto:"):
            mailbox = address[len("mailto:") :]
            if shown != mailbox:
                value = html_lib.escape(mailbox, quote=True)
                return f'<a{attributes} data-address="{value}">{text}</a>'
        return match.group(0)

    return _LINK.sub(mark, html)


# Tags that end a run of inline content.
_BLOCK_TAGS = frozenset(
    {
        "p", "li", "ul", "ol", "blockquote", "table", "thead", "tbody", "tr", "td", "th",
        "pre", "div", "hr", "br", "h3", "h4", "h5", "h6",
    }
)  # fmt: skip


def embolden(html: str) -> str:
    """Every run of text (with its inline markup) of `html` in <strong>: a recommendation where
    it arises in the report, whatever blocks its text has."""
    out = []
    bold = False
    for match in _TOKEN.finditer(html):
        token = match.group(0)
        tag = _TAG_NAME.match(token)
        if tag and tag.group(2).lower() in _BLOCK_TAGS:
            if bold:
                out.append("</strong>")
                bold = False
        elif not bold and (tag or token.strip()):
            out.append("<strong>")
            bold = True
        out.append(token)
    if bold:
        out.append("</strong>")
    return "".join(out)


def section_html(html: str, section: int) -> str:
    """A section's sanitised text as the PDF prints it."""
    html = table_columns(list_starts(number_paragraphs(html, section)))
    return mark_link_addresses(prefix_footnotes(html, f"s{section}"))
