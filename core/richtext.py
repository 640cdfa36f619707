"""Report section text: Markdown rendered to HTML, then sanitised with nh3 against an explicit
allowlist. The same output goes into the report page and into the PDF, so nothing a section
author writes can run script, load an image or reach a URL other than https/mailto links."""

from __future__ import annotations

import markdown
import nh3
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from markdown.extensions.tables import TableExtension

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "h2", "h3", "h4", "strong", "em", "ul", "ol", "li", "blockquote", "code",
        "pre", "hr", "table", "thead", "tbody", "tr", "th", "td", "a",
    }
)  # fmt: skip
# Removed together with their content (everything else not allowed keeps its text).
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template"})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
# Table cell alignment from Markdown tables, as an attribute with a fixed set of values (an
# inline style would need the style attribute, which is never allowed).
ALLOWED_ATTRIBUTE_VALUES = {
    "th": {"align": {"left", "center", "right"}},
    "td": {"align": {"left", "center", "right"}},
}
URL_SCHEMES = frozenset({"https", "mailto"})
# Bounds on what is rendered as Markdown. Python-Markdown's link and image patterns take time
# quadratic in runs of "[" (20,000 of them: 49 s), so a text with more is shown as plain text
# and refused when saved; a report section needs neither.
MAX_MARKDOWN_CHARS = 200_000
MAX_LINK_BRACKETS = 1_000
LINK_REL = "noopener noreferrer"


def sanitize_html(html: str) -> str:
    """HTML reduced to the allowlist: no img, style, link, script, iframe, event attributes,
    comments or relative URLs; links only https and mailto."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        tag_attribute_values=ALLOWED_ATTRIBUTE_VALUES,
        url_schemes=set(URL_SCHEMES),
        url_relative="deny",
        link_rel=LINK_REL,
        strip_comments=True,
    )


def _markdown_to_html(text: str) -> str:
    return markdown.markdown(
        text or "",
        extensions=[TableExtension(use_align_attribute=True), "sane_lists"],
        output_format="html",
    )


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
