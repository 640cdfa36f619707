"""Dates as a report prints them, in the report's language and script, one style throughout
(cover, visit dates, deadlines, signatory, footer):

- English: "12 June 2014", "12–13 June 2014", "30 June – 2 July 2014",
  "30 December 2014 – 2 January 2015";
- Serbian (Latin / Cyrillic): "12. jun 2014.", "12–13. jun 2014.", "30. jun – 2. jul 2014.",
  "30. decembar 2014. – 2. januar 2015." (Cyrillic: "12. јун 2014.").

Written out here rather than taken from Django's DATE_FORMAT: the formats differ between
Django's locales (and "sr" is Cyrillic only), and a range needs rules no format string has.
"""

from __future__ import annotations

import datetime as dt

ENGLISH = "en"
SERBIAN_LATIN = "sr-latn"
SERBIAN_CYRILLIC = "sr-cyrl"

MONTHS = {
    ENGLISH: (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
    SERBIAN_LATIN: (
        "januar", "februar", "mart", "april", "maj", "jun",
        "jul", "avgust", "septembar", "oktobar", "novembar", "decembar",
    ),
    SERBIAN_CYRILLIC: (
        "јануар", "фебруар", "март", "април", "мај", "јун",
        "јул", "август", "септембар", "октобар", "новембар", "децембар",
    ),
}  # fmt: skip
EN_DASH = "\u2013"


def _language(language: str) -> str:
    return language if language in MONTHS else ENGLISH


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def format_date(value: dt.date | dt.datetime, language: str = ENGLISH) -> str:
    """One day: "12 June 2014" / "12. jun 2014." (an aware datetime: pass it in local time)."""
    language = _language(language)
    day = _as_date(value)
    month = MONTHS[language][day.month - 1]
    if language == ENGLISH:
        return f"{day.day} {month} {day.year}"
    return f"{day.day}. {month} {day.year}."


def format_date_range(
    start: dt.date | dt.datetime, end: dt.date | dt.datetime | None, language: str = ENGLISH
) -> str:
    """From `start` to `end` with the shared parts said once; one day when they are the same
    day (or `end` is missing)."""
    language = _language(language)
    first = _as_date(start)
    last = _as_date(end) if end is not None else first
    if last < first:
        first, last = last, first
    if first == last:
        return format_date(first, language)
    months = MONTHS[language]
    english = language == ENGLISH
    if (first.year, first.month) == (last.year, last.month):
        # A range of days in one month: no spaces around the dash.
        if english:
            return f"{first.day}{EN_DASH}{last.day} {months[last.month - 1]} {last.year}"
        return f"{first.day}{EN_DASH}{last.day}. {months[last.month - 1]} {last.year}."
    if first.year == last.year:
        if english:
            head = f"{first.day} {months[first.month - 1]}"
        else:
            head = f"{first.day}. {months[first.month - 1]}"
        return f"{head} {EN_DASH} {format_date(last, language)}"
    return f"{format_date(first, language)} {EN_DASH} {format_date(last, language)}"


def format_datetime(value: dt.datetime, language: str = ENGLISH) -> str:
    """A moment (in the time zone it carries): "12 June 2014, 14:05" / "12. jun 2014. 14:05"."""
    separator = ", " if _language(language) == ENGLISH else " "
    return f"{format_date(value, language)}{separator}{value:%H:%M}"
