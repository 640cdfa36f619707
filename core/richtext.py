"""Report section text: Markdown rendered to HTML, then sanitised with nh3 against an explicit
allowlist. The same output goes into the report page and into the PDF, so nothing a section
author writes can run script, load an image or reach a URL other than https/mailto links."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
import nh3
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from markdown.extensions import Extension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.tables import TableExtension
from markdown.inlinepatterns import (
    IMAGE_LINK_RE,
    IMAGE_REFERENCE_RE,
    LINK_RE,
    REFERENCE_RE,
    ImageInlineProcessor,
    ImageReferenceInlineProcessor,
    InlineProcessor,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
    ShortImageReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
    SimpleTagInlineProcessor,
)

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "h3", "h4", "h5", "h6", "strong", "em", "del", "sup", "ul", "ol", "li",
        "blockquote", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td", "a",
        "div", "span",
    }
)  # fmt: skip
# Removed together with their content (everything else not allowed keeps its text).
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template"})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    # List start numbers ("3. …" starts at 3), digits only (`_attribute_filter`).
    "ol": {"start"},
    # Footnote anchors only: "fn:…" / "fnref:…" (`_attribute_filter`).
    "li": {"id"},
    "sup": {"id"},
}
# Table cell alignment from Markdown tables, as an attribute with a fixed set of values (an
# inline style would need the style attribute, which is never allowed).
ALLOWED_ATTRIBUTE_VALUES = {
    "th": {"align": {"left", "center", "right"}},
    "td": {"align": {"left", "center", "right"}},
    # The footnotes extension's markup, by its fixed class names.
    "div": {"class": {"footnote"}},
    "a": {"class": {"footnote-ref", "footnote-backref"}},
    # A span an author keeps in Latin in the Cyrillic edition (`LatinSpanExtension`).
    "span": {"class": {"latin"}},
}
URL_SCHEMES = frozenset({"https", "mailto"})
# Bounds on what is rendered as Markdown. Python-Markdown's link and image patterns take time
# quadratic in runs of "[" (20,000 of them: 49 s), so a text with more is shown as plain text
# and refused when saved; a report section needs neither.
MAX_MARKDOWN_CHARS = 200_000
MAX_LINK_BRACKETS = 1_000
# Within those bounds the link patterns still scan from each "[" to the end of its paragraph
# when nothing closes it (1,000 brackets before 190,000 letters: a minute). A link's text and
# its address are looked for this far only, so every "[" costs a bounded scan: linear in all.
MAX_LINK_TEXT = 1_000
MAX_LINK_TARGET = 2_000
LINK_REL = "noopener noreferrer"

# --- Footnotes, strikethrough and headings below the section title ---------------------------
# A relative URL is kept only as a link between a footnote and its reference ("#fn:2",
# "#fnref:2", "#fnref2:2" for a second reference); every other relative URL is dropped.
FOOTNOTE_HREF = re.compile(r"#fn(?:ref\d*)?:[\w.-]{1,64}")
FOOTNOTE_ID = re.compile(r"fn(?:ref\d*)?:[\w.-]{1,64}")
LIST_START = re.compile(r"[0-9]{1,6}")
# A language tag ("en", "sr-Latn"): the only value of lang kept, on any element (nh3 allows lang
# everywhere); the Cyrillic edition leaves text in any language but Serbian Cyrillic in Latin.
LANG_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}")
# The section title is the page's h2 (and the PDF's): an author's "#" is an h3, "##" an h4,
# "###" an h5, anything deeper an h6, so no heading in a text looks like a section title.
HEADING_OFFSET = 2
_HEADING_TAG = re.compile(r"<(/?)h([1-6])(?=[\s/>])", re.IGNORECASE)


def _footnote_link(url: str) -> str | None:
    return url if FOOTNOTE_HREF.fullmatch(url) else None


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "id":
        return value if FOOTNOTE_ID.fullmatch(value) else None
    if attribute == "start":
        return value if LIST_START.fullmatch(value) else None
    if attribute == "lang":
        return value if LANG_TAG.fullmatch(value) else None
    return value


def _demote_headings(html: str) -> str:
    def demote(match: re.Match) -> str:
        level = min(int(match.group(2)) + HEADING_OFFSET, 6)
        return f"<{match.group(1)}h{level}"

    return _HEADING_TAG.sub(demote, html)


class StrikethroughExtension(Extension):
    """`~~struck out~~` → `<del>struck out</del>` (Python-Markdown has no built-in)."""

    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        # After code spans and escapes (higher priorities), before emphasis.
        md.inlinePatterns.register(
            SimpleTagInlineProcessor(r"(~~)(?!~)(.+?)(?<!~)~~", "del"), "strikethrough", 65
        )


# --- Links found in bounded windows --------------------------------------------------------------


class BoundedLinkMixin:
    """Python-Markdown's link and image processors, reading a link's text and address within a
    window after the "[" instead of the rest of the paragraph (the same result for any link that
    fits in it)."""

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:  # noqa: N802
        depth = 1
        stop = min(len(data), index + MAX_LINK_TEXT)
        for pos in range(index, stop):
            if data[pos] == "]":
                depth -= 1
                if depth == 0:
                    return data[index:pos], pos + 1, True
            elif data[pos] == "[":
                depth += 1
        return "", index, False

    def getLink(self, data: str, index: int):  # noqa: N802
        href, title, end, handled = super().getLink(data[index : index + MAX_LINK_TARGET], 0)
        return href, title, index + end, handled

    def evalId(self, data: str, index: int, text: str):  # noqa: N802
        link_id, end, handled = super().evalId(data[index : index + MAX_LINK_TEXT], 0, text)
        return link_id, index + end, handled


def _bounded(base: type) -> type:
    return type(f"Bounded{base.__name__}", (BoundedLinkMixin, base), {})


# The default registrations (name, pattern, priority), replaced one for one.
BOUNDED_LINK_PROCESSORS = [
    ("reference", ReferenceInlineProcessor, REFERENCE_RE, 170),
    ("link", LinkInlineProcessor, LINK_RE, 160),
    ("image_link", ImageInlineProcessor, IMAGE_LINK_RE, 150),
    ("image_reference", ImageReferenceInlineProcessor, IMAGE_REFERENCE_RE, 140),
    ("short_reference", ShortReferenceInlineProcessor, REFERENCE_RE, 130),
    ("short_image_ref", ShortImageReferenceInlineProcessor, IMAGE_REFERENCE_RE, 125),
]
BOUNDED_CLASSES = {name: _bounded(base) for name, base, _re, _priority in BOUNDED_LINK_PROCESSORS}


class BoundedLinksExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        for name, _base, pattern, priority in BOUNDED_LINK_PROCESSORS:
            md.inlinePatterns.register(BOUNDED_CLASSES[name](pattern, md), name, priority)


# --- Spans kept in Latin ------------------------------------------------------------------------
# Pandoc's bracketed span with a language or the class "latin": "[CPT/Inf (2019) 12]{lang=en}",
# "[Poglavlje IV]{.latin}". The text of the span is Markdown; it may hold no square brackets.
LATIN_SPAN = r"\[([^\[\]]{1,1000})\]\{([^{}\n]{1,100})\}"
LATIN_SPAN_PRIORITY = 175  # after escapes and code spans, before links and emphasis


def _span_attributes(attribute_text: str) -> dict[str, str] | None:
    """The span's attributes from "{lang=en}", "{.latin}" or both, or None for anything else
    (left as the author typed it)."""
    lang, latin = None, False
    for item in attribute_text.split():
        name, _sep, value = item.partition("=")
        if item == ".latin":
            latin = True
        elif name == "lang" and LANG_TAG.fullmatch(value.strip("\"'")):
            lang = value.strip("\"'")
        else:
            return None
    if latin:
        return {"lang": lang or "sr-Latn", "class": "latin"}
    return {"lang": lang} if lang else None


class LatinSpanProcessor(InlineProcessor):
    def handleMatch(self, m, data):  # noqa: N802 - Python-Markdown's name
        attributes = _span_attributes(m.group(2))
        if attributes is None:
            return None, None, None
        span = etree.Element("span", attributes)
        span.text = m.group(1)
        return span, m.start(0), m.end(0)


class LatinSpanExtension(Extension):
    """`[text]{lang=en}` → `<span lang="en">`, `[text]{.latin}` → `<span lang="sr-Latn"
    class="latin">`: text the Cyrillic edition leaves in Latin (`core.translit`)."""

    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        md.inlinePatterns.register(
            LatinSpanProcessor(LATIN_SPAN, md), "latin_span", LATIN_SPAN_PRIORITY
        )


def _footnotes() -> FootnoteExtension:
    return FootnoteExtension(BACKLINK_TITLE=_("Back to the text"))


def sanitize_html(html: str) -> str:
    """HTML reduced to the allowlist: no img, style, link, script, iframe, event attributes,
    comments or relative URLs (a footnote link "#fn:1" excepted); links only https and mailto."""

    def clean(markup: str) -> str:
        return nh3.clean(
            markup,
            tags=set(ALLOWED_TAGS),
            clean_content_tags=set(DROPPED_WITH_CONTENT),
            attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
            tag_attribute_values=ALLOWED_ATTRIBUTE_VALUES,
            url_schemes=set(URL_SCHEMES),
            url_relative=_footnote_link,
            attribute_filter=_attribute_filter,
            link_rel=LINK_REL,
            strip_comments=True,
        )

    # Twice: when `_footnote_link` drops a relative address, nh3 writes the link's added rel
    # before its title, and after it on the next pass. The second pass drops nothing, so the
    # result is stable (sanitising sanitised HTML changes nothing).
    return clean(clean(html))


def _markdown_to_html(text: str) -> str:
    html = markdown.markdown(
        text or "",
        extensions=[
            TableExtension(use_align_attribute=True),
            "sane_lists",
            "fenced_code",
            _footnotes(),
            StrikethroughExtension(),
            LatinSpanExtension(),
            BoundedLinksExtension(),
        ],
        output_format="html",
    )
    return _demote_headings(html)


def markdown_bounds_error(text: str) -> str | None:
    """Why `text` is too big to render as Markdown, or None."""
    text = text or ""
    if len(text) > MAX_MARKDOWN_CHARS:
        return _("The text is too long: at most %(max)s characters.") % {
            "max": f"{MAX_MARKDOWN_CHARS:,}"
        }
    if text.count("[") > MAX_LINK_BRACKETS:
        return _("The text has too many square brackets “[”: at most %(max)s.") % {
            "max": f"{MAX_LINK_BRACKETS:,}"
        }
    return None


def render_markdown(text: str) -> SafeString:
    """A section body (Markdown) as sanitised HTML, safe to put into a template as is; a text
    beyond the bounds above as escaped plain text (rendering it would take minutes)."""
    if markdown_bounds_error(text):
        return linebreaks(escape(text))
    # Safe: nh3 has just reduced it to the allowlist above.
    return mark_safe(sanitize_html(_markdown_to_html(text)))  # noqa: S308  # nosec: B308, B703
