"""Reading one cell: names folded for matching, dates, yes/no, and the allowed values of a
choice by code or by label in every language of the interface (both scripts)."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

from django.conf import settings
from django.utils import translation

from core.translit import to_latin

# Spreadsheets run a cell starting with one of these as a formula; the export puts an apostrophe
# before them (`exports.neutralise`), which the import takes off again.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_SPACES = re.compile(r"\s+")
# Letters that do not decompose into a base letter and a mark.
_EXTRA = str.maketrans({"đ": "dj", "Đ": "dj", "ß": "ss", "ø": "o", "ł": "l", "æ": "ae"})


@functools.lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    text = to_latin(text).translate(_EXTRA)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return _SPACES.sub(" ", text).strip().casefold()


def fold(text) -> str:
    """The form names are compared in: Latin script, no diacritics, lower case, single spaces
    (Kruševac = Krusevac = Крушевац = " KRUŠEVAC ")."""
    return _fold(str(text or ""))


def clean_text(value) -> str:
    """A cell as text: stripped, and without the apostrophe the export adds before formulas."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        text = text[1:]
    return text


class BadValue(ValueError):
    """The cell's value cannot be read; the message says why (shown with row and column)."""


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%Y.", "%d/%m/%Y", "%d. %m. %Y.", "%d. %m. %Y")
_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y. %H:%M",
)


def parse_date(value) -> dt.date | None:
    """A date cell, or text as 2019-03-31, 31.03.2019(.), 31/03/2019; None when empty."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = clean_text(value)
    if not text:
        return None
    if _ISO_DATE.match(text):  # the common case, without trying every format
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a day, no time zone
        except ValueError:
            continue
    for pattern in _DATETIME_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a day, no time zone
        except ValueError:
            continue
    raise BadValue(translation.gettext("%(value)s is not a date") % {"value": text})


def parse_moment(value) -> tuple[dt.date, dt.time | None] | None:
    """A date, with its time of day when the cell has one (a visit's start or end)."""
    if isinstance(value, dt.datetime):
        moment = value.replace(tzinfo=None)
        return moment.date(), (moment.time() if moment.time() != dt.time(0, 0) else None)
    if isinstance(value, dt.date):
        return value, None
    text = clean_text(value)
    if not text:
        return None
    if _ISO_DATE.match(text) and len(text) == 10:
        return parse_date(text), None
    for pattern in _DATETIME_FORMATS:
        try:
            moment = dt.datetime.strptime(text, pattern)  # noqa: DTZ007 - local wall time
        except ValueError:
            continue
        return moment.date(), moment.time()
    return parse_date(text), None


YES = {"yes", "y", "true", "1", "x", "da", "д", "да"}
NO = {"no", "n", "false", "0", "ne", "не", ""}


@functools.cache
def _bool_words() -> tuple[frozenset[str], frozenset[str]]:
    yes, no = set(YES), set(NO)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            yes.add(translation.gettext("yes"))
            no.add(translation.gettext("no"))
    return frozenset(fold(v) for v in yes), frozenset(fold(v) for v in no)


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = clean_text(value)
    folded = fold(text)
    yes, no = _bool_words()
    if folded in yes:
        return True
    if folded in no:
        return False
    raise BadValue(translation.gettext("%(value)s is not yes or no") % {"value": text})


class Choices:
    """The allowed values of a choice field: its codes and its labels in every language."""

    def __init__(self, choices, *, extra: dict[str, str] | None = None):
        self.lookup: dict[str, str] = {}
        self.codes = [str(code) for code, _label in choices]
        for code in self.codes:
            self.lookup[fold(code)] = code
            self.lookup[fold(code.replace("_", " "))] = code
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for code, label in choices:
                    self.lookup.setdefault(fold(str(label)), str(code))
        for name, code in (extra or {}).items():
            self.lookup.setdefault(fold(name), code)

    def parse(self, value) -> str:
        """The code, or "" for an empty cell; BadValue when the value is not one of them."""
        text = clean_text(value)
        if not text:
            return ""
        code = self.lookup.get(fold(text))
        if code is None:
            raise BadValue(
                translation.gettext("%(value)s is not one of the allowed values (%(codes)s)")
                % {"value": text, "codes": ", ".join(self.codes)}
            )
        return code
