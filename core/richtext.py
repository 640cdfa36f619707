"""Report section text: Markdown rendered to HTML, then sanitised with nh3 against an explicit
allowlist. The same output goes into the report page and into the PDF, so nothing a section
author writes can run script, load an image or reach a URL other than https/mailto links."""

from __future__ import annotations

import re

import markdown
import nh3
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from markdown.extensions import Extension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.tables import TableExtension
from markdown.inlinepatterns import SimpleTagInlineProcessor

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "h3", "h4", "h5", "h6", "strong", "em", "del", "sup", "ul", "ol", "li",
        "blockquote", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td", "a",
        "div",
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
}
URL_SCHEMES = frozenset({"https", "mailto"})
# Bounds on what is rendered as Markdown. Python-Markdown's link and image patterns take time
# quadratic in runs of "[" (20,000 of them: 49 s), so a text with more is shown as plain text
# and refused when saved; a report section needs neither.
MAX_MARKDOWN_CHARS = 200_000
MAX_LINK_BRACKETS = 1_000
LINK_REL = "noopener noreferrer"

# --- Footnotes, strikethrough and headings below the section title ---------------------------
# A relative URL is kept only as a link between a footnote and its reference ("#fn:2",
# "#fnref:2", "#fnref2:2" for a second reference); every other relative URL is dropped.
FOOTNOTE_HREF = re.compile(r"#fn(?:ref\d*)?:[\w.-]{1,64}")
FOOTNOTE_ID = re.compile(r"fn(?:ref\d*)?:[\w.-]{1,64}")
LIST_START = re.compile(r"[0-9]{1,6}")
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
