"""Visits made and recommendations issued per year, by place category, as the NPM reports
them (the dashboard's and the annual report's "periods"). See `stats` for what is counted."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import ngettext

from visits.models import TOOK_PLACE_STATUSES, PlaceCategory, Visit

from ..models import Recommendation, report_issued

# Visits that took place: planned and cancelled ones are not counted.


@dataclass
class CategoryFigures:
    category: str
    label: str
    visits: int
    recommendations: int


@dataclass
class Period:
    """One year: visits made (by place category) and recommendations issued."""

    year: int
    visits: int = 0
    recommendations: int = 0
    categories: list[CategoryFigures] = field(default_factory=list)

    @property
    def sentence(self) -> str:
        """ "2026: 35 visits (Asylum centre: 20; Border crossing holding room: 15);
        52 recommendations." """
        visits = ngettext("%(n)d visit", "%(n)d visits", self.visits) % {"n": self.visits}
        parts = "; ".join(f"{c.label}: {c.visits}" for c in self.categories if c.visits)
        if parts:
            visits = f"{visits} ({parts})"
        recommendations = ngettext(
            "%(n)d recommendation", "%(n)d recommendations", self.recommendations
        ) % {"n": self.recommendations}
        return f"{self.year}: {visits}; {recommendations}."


def periods(year: int | None = None) -> list[Period]:
    """Per visit year (newest first): visits made by place category and the recommendations of
    issued reports, as the NPM reports them. Two queries."""
    visits = Visit.objects.took_place()
    if year is not None:
        visits = visits.filter(year=year)
    visit_counts = visits.values("year", "place__category").annotate(n=Count("pk")).order_by()
    rec_counts = (
        Recommendation.objects.issued()
        .of_visit_year(year)
        .values("visit__year", "visit__place__category")
        .annotate(n=Count("pk"))
        .order_by()
    )
    table: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for v in visit_counts:
        table[v["year"]][v["place__category"]][0] += v["n"]
    for r in rec_counts:
        table[r["visit__year"]][r["visit__place__category"]][1] += r["n"]
    labels = dict(PlaceCategory.choices)
    result = []
    for period_year in sorted(table, reverse=True):
        period = Period(year=period_year)
        for category, (n_visits, n_recs) in table[period_year].items():
            period.visits += n_visits
            period.recommendations += n_recs
            period.categories.append(
                CategoryFigures(category, str(labels.get(category, category)), n_visits, n_recs)
            )
        period.categories.sort(key=lambda c: (-c.visits, -c.recommendations, c.label))
        result.append(period)
    return result


def years() -> list[int]:
    """Visit years that have a visit made or an issued recommendation, newest first. One
    query."""
    return list(
        Visit.objects.filter(Q(status__in=TOOK_PLACE_STATUSES) | report_issued())
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
