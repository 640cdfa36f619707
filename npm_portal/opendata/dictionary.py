"""The data dictionary: every field of every open-data record (the names as the CSV columns
spell them: nested fields with a dot, "place.category"), its type, what it means, and for
enumerations every allowed value with its labels in English, Serbian Latin and Cyrillic.

`GET /api/v1/open/dictionary/` serves it; docs/open-data.md carries the same tables
(`markdown_tables()`; a test keeps them in step)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.translit import to_cyrillic
from recommendations.models import Reason, Status
from visits.models import PlaceCategory, ReportLanguage, Theme, VisitKind

from . import vocabulary


def _labels(label) -> dict[str, str]:
    with translation.override("en"):
        english = str(label)
    with translation.override("sr-latn"):
        serbian = str(label)
    return {"en": english, "sr-latn": serbian, "sr-cyrl": to_cyrillic(serbian)}


def _choices(choices) -> Callable[[], list[dict]]:
    return lambda: [{"code": code, "labels": _labels(label)} for code, label in choices]


def _mapping(mapping: dict) -> Callable[[], list[dict]]:
    return lambda: [{"code": code, "labels": _labels(label)} for code, label in mapping.items()]


def theme_values() -> list[dict]:
    values = []
    for theme in Theme.objects.order_by("order", "name"):
        serbian = theme.name_sr or theme.name
        values.append(
            {
                "code": theme.code,
                "labels": {"en": theme.name, "sr-latn": serbian, "sr-cyrl": to_cyrillic(serbian)},
                "uhri_themes": vocabulary.uhri_themes(theme.code),
                "sdg_targets": vocabulary.sdg_targets(theme.code),
            }
        )
    return values


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: object
    nullable: bool = False
    values: Callable[[], list[dict]] | None = None

    def as_dict(self) -> dict:
        with translation.override("en"):
            description = str(self.description)
        with translation.override("sr-latn"):
            description_sr = str(self.description)
        entry = {
            "name": self.name,
            "type": self.type,
            "nullable": self.nullable,
            "description": description,
            "description_sr": description_sr,
        }
        if self.values is not None:
            entry["values"] = self.values()
        return entry


PLACE_FIELDS = [
    Field("place.name", "string", _("The place visited.")),
    Field(
        "place.category",
        "code",
        _("The kind of place of deprivation of liberty."),
        values=_choices(PlaceCategory.choices),
    ),
    Field("place.municipality", "string", _("The municipality of the place.")),
    Field("place.district", "string", _("The administrative district of the place.")),
]
VISIT_FIELDS = [
    Field("visit_year", "integer", _("The year of the visit.")),
    Field("visit_kind", "code", _("The type of visit."), values=_choices(VisitKind.choices)),
]

REPORT_FIELDS = [
    Field("id", "integer", _("The report's number in this data set (stable).")),
    Field("url", "url", _("This record in the open-data API.")),
    Field("reference", "string", _("The report's reference number.")),
    Field("title", "string", _("The report's title.")),
    Field(
        "language",
        "code",
        _("The language and script of the report."),
        values=_choices(ReportLanguage.choices),
    ),
    Field("issued_on", "date", _("The day the report was issued."), nullable=True),
    *VISIT_FIELDS,
    Field("visit_start", "date", _("The first day of the visit.")),
    Field("visit_end", "date", _("The last day of the visit.")),
    *PLACE_FIELDS,
    Field(
        "public_pdf_url",
        "url",
        _("The public version of the report (PDF) on the portal; null while it is prepared."),
        nullable=True,
    ),
    Field(
        "public_pdf_sha256",
        "string",
        _("SHA-256 of the public PDF, to check a copy; null while it is prepared."),
        nullable=True,
    ),
    Field("recommendations_url", "url", _("The report's public recommendations.")),
]

RECOMMENDATION_FIELDS = [
    Field("id", "integer", _("The recommendation's number in this data set (stable).")),
    Field("url", "url", _("This record in the open-data API.")),
    Field("portal_url", "url", _("The recommendation's page on the public portal.")),
    Field("reference", "string", _("The report's reference and the recommendation's number.")),
    Field("number", "integer", _("The recommendation's number in its report.")),
    Field("text", "text", _("The text of the recommendation.")),
    Field("report.id", "integer", _("The report that made it (its id in reports).")),
    Field("report.reference", "string", _("The report's reference number.")),
    Field("report.url", "url", _("The report in the open-data API.")),
    Field("issued_on", "date", _("The day the report was issued."), nullable=True),
    *VISIT_FIELDS,
    *PLACE_FIELDS,
    Field(
        "theme.code",
        "code",
        _("The theme of the recommendation; null (both theme fields) when it has none."),
        nullable=True,
        values=theme_values,
    ),
    Field("theme.name", "string", _("The theme's name in the language asked for."), True),
    Field(
        "addressees",
        "list of strings",
        _('The institutions and ministries it is addressed to (in CSV: joined with "; ").'),
    ),
    Field(
        "status",
        "code",
        _("How far it is implemented, as the NPM last assessed it."),
        values=_choices(Status.choices),
    ),
    Field(
        "reason",
        "code",
        _("Why it is not (fully) implemented, when known."),
        nullable=True,
        values=_choices(Reason.choices),
    ),
    Field("status_since", "date", _("The day the current status was set."), nullable=True),
    Field("verified_on_site", "boolean", _("The status was checked on a follow-up visit.")),
    Field(
        "dispatched_on",
        "date",
        _("The day the report was first sent to an addressee."),
        nullable=True,
    ),
    Field("due_date", "date", _("The day the authority's response is due."), nullable=True),
    Field("responded_on", "date", _("The date of the authority's first response."), nullable=True),
    Field(
        "uhri_themes",
        "list of codes",
        _('OHCHR Universal Human Rights Index themes of its theme (in CSV: joined with "; ").'),
        values=_mapping(vocabulary.UHRI_THEMES),
    ),
    Field(
        "sdg_targets",
        "list of codes",
        _('SDG 16 targets of its theme, where the theme serves one (in CSV: joined with "; ").'),
        values=_mapping(vocabulary.SDG_TARGETS),
    ),
    Field(
        "nrtd_status",
        "code",
        _("Its status in the implementation vocabulary of national recommendation trackers."),
        values=_mapping(vocabulary.NRTD_STATUSES),
    ),
]

RESOURCES: dict[str, tuple[object, list[Field]]] = {
    "reports": (_("Issued reports: their public metadata."), REPORT_FIELDS),
    "recommendations": (
        _("Public recommendations of issued reports, with their current status."),
        RECOMMENDATION_FIELDS,
    ),
}


def field_names(resource: str) -> list[str]:
    return [field.name for field in RESOURCES[resource][1]]


def vocabulary_mapping() -> dict:
    return {
        "mechanism": vocabulary.MECHANISM,
        "fields": [
            {"field": field, "uhri_nrtd": concept, "note": _labels(note)["en"]}
            for field, concept, note in vocabulary.FIELDS
        ],
        "themes": [
            {
                "code": code,
                "uhri_themes": list(uhri),
                "sdg_targets": list(sdg),
            }
            for code, (uhri, sdg) in vocabulary.THEMES.items()
        ],
        "statuses": [
            {"status": str(status), "nrtd_status": nrtd}
            for status, nrtd in vocabulary.STATUSES.items()
        ],
    }


def build(links: dict[str, dict[str, str]]) -> dict:
    """The whole dictionary; `links`: resource → {"list", "csv", "json"} absolute URLs."""
    resources = {}
    for name, (description, fields) in RESOURCES.items():
        resources[name] = {
            "description": _labels(description)["en"],
            **links.get(name, {}),
            "fields": [field.as_dict() for field in fields],
        }
    return {
        "licence": settings.NPM_OPEN_DATA_LICENCE or None,
        "rate_limits": {
            "pages": settings.NPM_OPEN_DATA_RATE or None,
            "bulk": settings.NPM_OPEN_DATA_BULK_RATE or None,
        },
        "resources": resources,
        "vocabulary_mapping": vocabulary_mapping(),
    }


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_tables() -> str:
    """The dictionary as Markdown tables in English, for docs/open-data.md: the fields of each
    resource, then the values of each fixed enumeration (the themes are data: see the mapping)."""
    out: list[str] = []
    enumerations: dict[str, Field] = {}
    for name, (_description, fields) in RESOURCES.items():
        out += [f"### `{name}`", "", "| field | type | null | description |", "|---|---|---|---|"]
        for field in fields:
            with translation.override("en"):
                description = str(field.description)
            null = "yes" if field.nullable else ""
            out.append(f"| `{field.name}` | {field.type} | {null} | {_cell(description)} |")
            if field.values is not None and field.values is not theme_values:
                enumerations.setdefault(field.name, field)
        out.append("")
    for name, field in enumerations.items():
        out += [f"#### Values of `{name}`", "", "| code | label |", "|---|---|"]
        out += [
            f"| `{value['code']}` | {_cell(value['labels']['en'])} |" for value in field.values()
        ]
        out.append("")
    return "\n".join(out)


def mapping_tables() -> str:
    """The OHCHR vocabulary mapping as Markdown tables, for docs/open-data.md."""
    out = ["| our field | UHRI / NRTD | note |", "|---|---|---|"]
    for field, concept, note in vocabulary.FIELDS:
        out.append(f"| `{field}` | {concept} | {_cell(_labels(note)['en'])} |")
    out += ["", "| theme code | UHRI themes | SDG targets |", "|---|---|---|"]
    for code, (uhri, sdg) in vocabulary.THEMES.items():
        out.append(f"| `{code}` | {'; '.join(uhri)} | {', '.join(sdg) or '–'} |")
    out += ["", "| status | NRTD status |", "|---|---|"]
    for status, nrtd in vocabulary.STATUSES.items():
        out.append(f"| `{status}` | {nrtd} |")
    return "\n".join(out) + "\n"
