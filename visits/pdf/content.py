"""What a report PDF says, apart from its template: numbered sections, the recommendations (in
bold where they arise and in the annex), the signatory, the dates. Called inside the report's
language (`rendering.report_html`).

Where a recommendation arises: a recommendation names no section, only a theme (as sections
do), so it is printed at the end of the first section of its theme that is in this version
of the report; one with no such section (no theme, its theme's section confidential in the
public version, …) at the end of the report's "Recommendations" section, or else of the last
section. Sections keep their numbers in every version (the public version leaves gaps where
confidential sections were), so "para. 3.4" is the same text in the full and the public PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.names import document_name
from core.richtext import render_markdown
from core.roles import Role, user_roles

from ..models import Report, ReportSection, SectionKind
from .dates import format_date, format_date_range
from .layout import embolden, mark_link_addresses, section_html


@dataclass(frozen=True)
class Sheet:
    """One entry of the table of contents / one section of the PDF."""

    anchor: str
    title: str
    body: str = ""
    number: int | None = None
    confidential: bool = False
    recommendations: list = field(default_factory=list)


def recommendations_of(report: Report) -> list:
    # Reverse relation only: `visits` never imports `recommendations`.
    return list(
        report.visit.recommendations.all()
        .select_related("theme")
        .prefetch_related("addressees")
        .order_by("number", "pk")
    )


def deadline(recommendation, language: str) -> str:
    if recommendation.due_date:
        return format_date(recommendation.due_date, language)
    days = getattr(recommendation, "term_days", None) or settings.NPM_RESPONSE_TERM_DAYS
    return _("within %(days)s days of receipt") % {"days": days}


def recommendation_row(recommendation, language: str) -> dict:
    # Safe: sanitised by render_markdown; `visits.pdf.layout` adds only fixed markup.
    text = mark_safe(mark_link_addresses(render_markdown(recommendation.text)))  # noqa: S308  # nosec: B308, B703
    return {
        "number": recommendation.number,
        "anchor": f"recommendation-{recommendation.number}",
        "text": text,
        "bold": mark_safe(embolden(text)),  # noqa: S308  # nosec: B308, B703
        "priority": recommendation.get_priority_display(),
        "urgent": recommendation.priority == "urgent",
        # Safe: escaped by `document_name`, which adds only its own lang="en" span.
        "addressees": [document_name(a.name, a.name_sr) for a in recommendation.addressees.all()],
        "deadline": deadline(recommendation, language),
    }


def place_recommendations(sections: list[ReportSection], recommendations: list) -> dict:
    """Section pk → the recommendations printed at its end (the rule in the module text)."""
    if not sections:
        return {}
    by_theme: dict[int, ReportSection] = {}
    for section in sections:
        if section.theme_id is not None:
            by_theme.setdefault(section.theme_id, section)
    closing = next(
        (s for s in reversed(sections) if s.kind == SectionKind.RECOMMENDATIONS), sections[-1]
    )
    placed: dict[int, list] = {}
    for recommendation in recommendations:
        section = by_theme.get(recommendation.theme_id, closing)
        placed.setdefault(section.pk, []).append(recommendation)
    return placed


def section_sheets(report: Report, *, public: bool, recommendations: list, language: str):
    """The sections of this version, numbered as in the full report, each with the
    recommendations that arise in it; and whether a confidential section was left out."""
    numbered = list(enumerate(report.sections.all().order_by("order", "pk"), start=1))
    shown = [(n, s) for n, s in numbered if not (public and s.confidential)]
    placed = place_recommendations([s for _n, s in shown], recommendations)
    sheets = [
        Sheet(
            anchor=f"section-{section.pk}",
            title=section.title,
            # Safe: sanitised by render_markdown; `visits.pdf.layout` adds only fixed markup.
            body=mark_safe(section_html(render_markdown(section.body), number)),  # noqa: S308  # nosec: B308, B703
            number=number,
            confidential=section.confidential,
            recommendations=[recommendation_row(r, language) for r in placed.get(section.pk, [])],
        )
        for number, section in shown
    ]
    return sheets, len(shown) < len(numbered)


def signatory_function(user) -> str:
    """The signatory's function, from their role (the NPM head issues reports)."""
    roles = user_roles(user) if user is not None else []
    if Role.HEAD in roles:
        return _("Head of the National Preventive Mechanism")
    return str(roles[0].label) if roles else ""


def signatory(report: Report, language: str) -> dict | None:
    """Who issued the report, when, under which reference; None before it is issued."""
    if not report.is_issued:
        return None
    user = report.issued_by
    issued_on = report.issued_on or timezone.localdate(report.issued_at)
    return {
        "name": str(user) if user is not None else "",
        "function": signatory_function(user),
        "date": format_date(issued_on, language),
        "reference": report.reference,
    }


def visit_dates(visit, language: str) -> str:
    start = timezone.localtime(visit.start)
    end = timezone.localtime(visit.end) if visit.end else None
    return format_date_range(start, end, language)
