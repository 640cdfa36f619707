"""Registry names in two languages: every place, authority and organisation has an English name and
may have a Serbian (Latin) one; Serbian Cyrillic is transliterated from the Latin.

Without a Serbian name the English one is used in every language: an English name transliterated
letter by letter ("Специал Присон Хоспитал") is no Serbian name at all.
"""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.translit import to_cyrillic

# The help text of the Serbian name fields.
SERBIAN_HELP = _(
    "In Latin script, with diacritics (č, ć, đ, š, ž); the Cyrillic is derived from it."
)


def is_serbian(language: str | None) -> bool:
    return (language or "").lower().startswith("sr")


def is_latin(language: str | None) -> bool:
    return (language or "").lower() == "sr-latn"


def localized(english: str, serbian_latin: str, language: str | None) -> str:
    """The name in `language` (a Django language code: "en", "sr-latn", "sr" for Cyrillic)."""
    if not is_serbian(language) or not serbian_latin:
        return english
    return serbian_latin if is_latin(language) else to_cyrillic(serbian_latin)


def current(english: str, serbian_latin: str) -> str:
    """The name in the active language (of the page, or of the document being rendered)."""
    return localized(english, serbian_latin, get_language())


def document_name(english: str, serbian_latin: str, language: str | None = None) -> SafeString:
    """The name as HTML for a report PDF in `language` (the active one by default).

    Both Serbian editions get the Latin name: the Cyrillic edition is rendered in Latin and
    transliterated afterwards. An English name in a Serbian edition is marked `lang="en"`, so
    the transliteration leaves it alone (and readers and screen readers know its language)."""
    language = get_language() if language is None else language
    if not is_serbian(language):
        return format_html("{}", english)
    if serbian_latin:
        return format_html("{}", serbian_latin)
    return format_html('<span lang="en">{}</span>', english)
