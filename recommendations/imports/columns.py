"""The columns of the import file: the one list the tracker's export, the template and the
import share, so that an export can be imported as it is.

A column is known on import by its key (`visit_start`) or by its header in any of the
interface's languages (English, Serbian Latin, Serbian Cyrillic), without regard to case,
spaces and diacritics. Columns marked `export_only` are derived (the reference, the year, the
overdue flag…): the import reads past them."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .values import fold


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    help: Promise = ""
    required: bool = False
    export_only: bool = False
    # Other headers accepted on import (English; matched folded like the labels).
    aliases: tuple[str, ...] = field(default_factory=tuple)


COLUMNS: list[Column] = [
    Column(
        "reference", _("Reference"), _("Report reference / number; not read."), export_only=True
    ),
    Column(
        "visit",
        _("Visit"),
        _("The visit's number (V-2019-004): kept when still free, else the next one of the year."),
    ),
    Column(
        "place", _("Place"), _("The place visited, by its name in either script."), required=True
    ),
    Column(
        "place_category", _("Place category"), _("Only to create a missing place: its category.")
    ),
    Column("district", _("District"), _("Only to create a missing place: its district.")),
    Column("year", _("Year"), _("The visit's year; not read."), export_only=True),
    Column("theme", _("Theme"), _("The theme, by code or name.")),
    Column("priority", _("Priority"), _("Urgent, high or normal (normal when empty).")),
    Column("addressees", _("Addressees"), _("Authorities, separated by “;”."), required=True),
    Column("status", _("Status"), _("The current status (awaiting response when empty).")),
    Column("reason", _("Reason"), _("Why partially or not implemented (a reason code).")),
    Column(
        "due_date",
        _("Due date"),
        _("The response deadline; from the dispatch and the legal term when empty."),
    ),
    Column(
        "dispatched_on", _("Dispatched on"), _("The date the report was sent to the addressees.")
    ),
    Column(
        "responded_on",
        _("First response on"),
        _("The date the authority's letter was received."),
        aliases=("response received on",),
    ),
    Column("overdue", _("Overdue"), _("Derived; not read."), export_only=True),
    Column("verified_on_site", _("Verified on site"), _("Yes or no.")),
    Column("public", _("Public"), _("Yes or no: shown on the public portal.")),
    Column("times_raised", _("Times raised"), _("Derived; not read."), export_only=True),
    Column(
        "visit_start",
        _("Visit start"),
        _("The first day of the visit (a date, or a date and time)."),
        required=True,
        aliases=("visit date",),
    ),
    Column("visit_end", _("Visit end"), _("The last day of the visit; the start day when empty.")),
    Column("visit_type", _("Visit type"), _("Regular, follow-up, ad hoc… (regular when empty).")),
    Column(
        "report_reference",
        _("Report reference"),
        _("The issued report's reference number; one report per visit."),
        required=True,
    ),
    Column(
        "report_issued_on",
        _("Report issued on"),
        _("The date on the signed report."),
        required=True,
    ),
    Column(
        "number",
        _("Number"),
        _("The recommendation's number in the report."),
        required=True,
        aliases=("recommendation number",),
    ),
    Column(
        "response_reference", _("Response reference"), _("The reference of the authority's letter.")
    ),
    Column(
        "stated_status", _("Stated status"), _("What the letter states (the status when empty).")
    ),
    Column(
        "operating_authority",
        _("Operating authority"),
        _(
            "Only to create a missing place: the authority running it (the first addressee "
            "when empty)."
        ),
    ),
    Column(
        "status_since",
        _("Status since"),
        _(
            "The date of the assessment giving the status (the letter's date, else the "
            "dispatch's, when empty)."
        ),
    ),
    Column("text", _("Text"), _("The recommendation's text."), required=True),
]

BY_KEY = {column.key: column for column in COLUMNS}
IMPORT_COLUMNS = [column for column in COLUMNS if not column.export_only]


def headers() -> list[str]:
    """The header row, in the current language."""
    return [str(column.label) for column in COLUMNS]


def header_lookup() -> dict[str, str]:
    """Folded header (in every language, plus the key and aliases) → column key."""
    lookup: dict[str, str] = {}
    for column in COLUMNS:
        lookup[fold(column.key)] = column.key
        lookup[fold(column.key.replace("_", " "))] = column.key
        for alias in column.aliases:
            lookup[fold(alias)] = column.key
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for column in COLUMNS:
                lookup.setdefault(fold(str(column.label)), column.key)
    return lookup
