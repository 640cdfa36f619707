"""Compliance statistics for the dashboard and the annual report.

Pure functions over querysets: each runs a small, fixed number of aggregate queries
(`values().annotate()`), never one per row, and takes an optional year (the year of the visit).

What is counted: recommendations of **issued** reports only (a draft recommendation has not been
made to anyone yet). A recommendation addressed to two authorities (the institution and its
ministry) counts once under each addressee in the "by authority" figures, and once everywhere
else.

The current statuses are grouped into four outcomes (see `OUTCOME_OF_STATUS`):

- implemented: "implemented";
- partially implemented: "partially implemented";
- not implemented: "not implemented" and "rejected";
- awaiting: "awaiting response", "response received" and "in progress" (the outcome is not
  known yet).

"No longer applicable" is left out of the denominator: percentages are of the recommendations
that still apply, and the excluded ones are counted separately.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from visits.models import PlaceCategory, Theme

from ..models import Recommendation, Status, report_issued

# The figures per year live in `periods` (re-exported: `stats.periods`, `stats.Period`).
from .periods import CategoryFigures as CategoryFigures
from .periods import Period as Period
from .periods import periods
from .periods import years as years


class Outcome:
    IMPLEMENTED = "implemented"
    PARTIAL = "partial"
    NOT_IMPLEMENTED = "not_implemented"
    AWAITING = "awaiting"


OUTCOMES: list[tuple[str, str]] = [
    (Outcome.IMPLEMENTED, _("Implemented")),
    (Outcome.PARTIAL, _("Partially implemented")),
    (Outcome.NOT_IMPLEMENTED, _("Not implemented or rejected")),
    (Outcome.AWAITING, _("Awaiting")),
]
OUTCOME_LABELS = dict(OUTCOMES)
# For narrow table headers (the annual report).
OUTCOME_SHORT_LABELS = {
    Outcome.IMPLEMENTED: _("Implemented"),
    Outcome.PARTIAL: _("Partially"),
    Outcome.NOT_IMPLEMENTED: _("Not implemented"),
    Outcome.AWAITING: _("Awaiting"),
}

# Every status but "no longer applicable", which is excluded from the denominator.
OUTCOME_OF_STATUS: dict[str, str] = {
    Status.IMPLEMENTED: Outcome.IMPLEMENTED,
    Status.PARTIALLY_IMPLEMENTED: Outcome.PARTIAL,
    Status.NOT_IMPLEMENTED: Outcome.NOT_IMPLEMENTED,
    Status.REJECTED: Outcome.NOT_IMPLEMENTED,
    Status.AWAITING_RESPONSE: Outcome.AWAITING,
    Status.RESPONSE_RECEIVED: Outcome.AWAITING,
    Status.IN_PROGRESS: Outcome.AWAITING,
}
EXCLUDED_STATUS = Status.NO_LONGER_APPLICABLE
# The statuses of each outcome, in the vocabulary's order (for links into the tracker).
STATUSES_OF_OUTCOME: dict[str, list[str]] = {
    outcome: [s.value for s in Status if OUTCOME_OF_STATUS.get(s) == outcome]
    for outcome, _label in OUTCOMES
}


def percent(part: int, whole: int) -> Decimal | None:
    """`part` as a percentage of `whole`, one decimal, half up; None when `whole` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def issued_recommendations(year: int | None = None):
    """The recommendations the statistics count: those of issued reports (of a visit year)."""
    return Recommendation.objects.issued().of_visit_year(year)


def _theme_label(name: str | None, name_sr: str | None) -> str:
    if name is None:
        return str(_("No theme"))
    # The same rule as Theme.label (current language, Cyrillic transliterated), with no query.
    return Theme(name=name, name_sr=name_sr or "").label


@dataclass
class Share:
    outcome: str
    label: str
    count: int
    percent: Decimal | None
    statuses: list[str]


@dataclass
class RateRow:
    """Counts by outcome for one group (an authority, a category, a theme, a year)."""

    key: object
    label: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES_OF_OUTCOME, 0))
    excluded: int = 0

    @property
    def total(self) -> int:
        """The denominator: every counted recommendation but the no-longer-applicable ones."""
        return sum(self.counts.values())

    @property
    def all_count(self) -> int:
        return self.total + self.excluded

    @property
    def shares(self) -> list[Share]:
        return [
            Share(
                outcome,
                label,
                self.counts[outcome],
                percent(self.counts[outcome], self.total),
                STATUSES_OF_OUTCOME[outcome],
            )
            for outcome, label in OUTCOMES
        ]

    def share(self, outcome: str) -> Share:
        return next(s for s in self.shares if s.outcome == outcome)

    @property
    def implementation_rate(self) -> Decimal | None:
        return percent(self.counts[Outcome.IMPLEMENTED], self.total)

    def add(self, status: str, n: int) -> None:
        if status == EXCLUDED_STATUS:
            self.excluded += n
        else:
            self.counts[OUTCOME_OF_STATUS[status]] += n


def _rows(values, key_field: str, label) -> list[RateRow]:
    rows: dict[object, RateRow] = {}
    for item in values:
        key = item[key_field]
        if key not in rows:
            rows[key] = RateRow(key=key, label=label(item))
        rows[key].add(item["status"], item["n"])
    return list(rows.values())


def _by_size(rows: list[RateRow]) -> list[RateRow]:
    return sorted(rows, key=lambda r: (-r.all_count, r.label.lower()))


def overall_rates(year: int | None = None) -> RateRow:
    """One query."""
    row = RateRow(key=None, label=str(_("All recommendations")))
    for item in issued_recommendations(year).values("status").annotate(n=Count("pk")):
        row.add(item["status"], item["n"])
    return row


def rates_by_authority(year: int | None = None) -> list[RateRow]:
    """By addressee authority (a recommendation counts under each addressee). One query."""
    values = (
        issued_recommendations(year)
        .filter(addressees__isnull=False)
        .values("addressees", "addressees__name", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return _by_size(_rows(values, "addressees", lambda i: i["addressees__name"]))


def rates_by_category(year: int | None = None) -> list[RateRow]:
    """By the category of the visited place. One query."""
    labels = dict(PlaceCategory.choices)
    values = (
        issued_recommendations(year)
        .values("visit__place__category", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = _rows(
        values,
        "visit__place__category",
        lambda i: str(labels.get(i["visit__place__category"], i["visit__place__category"])),
    )
    return _by_size(rows)


def rates_by_theme(year: int | None = None) -> list[RateRow]:
    """By theme ("No theme" for recommendations without one). One query."""
    values = (
        issued_recommendations(year)
        .values("theme", "theme__name", "theme__name_sr", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = _rows(values, "theme", lambda i: _theme_label(i["theme__name"], i["theme__name_sr"]))
    return _by_size(rows)


def rates_by_year(year: int | None = None) -> list[RateRow]:
    """By the year of the visit, oldest first. One query."""
    values = (
        issued_recommendations(year)
        .values("visit__year", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = _rows(values, "visit__year", lambda i: str(i["visit__year"]))
    return sorted(rows, key=lambda r: r.key)


@dataclass
class AuthorityCount:
    key: int
    label: str
    count: int


@dataclass
class Overdue:
    total: int
    by_authority: list[AuthorityCount]
    today: dt.date

    @property
    def max_count(self) -> int:
        return max((row.count for row in self.by_authority), default=0)


def overdue_by_authority(year: int | None = None, today: dt.date | None = None) -> Overdue:
    """Overdue responses (due before today, none received: `Recommendation.objects.overdue`),
    in all and by addressee authority. Two queries."""
    today = today or timezone.localdate()
    overdue = issued_recommendations(year).overdue(today)
    values = (
        overdue.filter(addressees__isnull=False)
        .values("addressees", "addressees__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = [AuthorityCount(v["addressees"], v["addressees__name"], v["n"]) for v in values]
    rows.sort(key=lambda r: (-r.count, r.label.lower()))
    return Overdue(total=overdue.count(), by_authority=rows, today=today)


def _days(value) -> Decimal | None:
    """An average duration (or a number of days, depending on the database) in days, one
    decimal."""
    if value is None:
        return None
    if isinstance(value, dt.timedelta):
        value = value.total_seconds() / 86400
    return Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class ResponseTimeRow:
    key: int | None
    label: str
    responded: int
    average_days: Decimal | None


@dataclass
class ResponseTimes:
    overall: ResponseTimeRow
    by_authority: list[ResponseTimeRow]

    @property
    def max_days(self) -> Decimal:
        return max((r.average_days or 0 for r in self.by_authority), default=Decimal(0))


def _response_days():
    return ExpressionWrapper(F("responded_on") - F("dispatched_on"), output_field=DurationField())


def response_times(year: int | None = None) -> ResponseTimes:
    """Average days from dispatch to the first response (responded_on − dispatched_on), over
    the recommendations that have both dates; in all and by addressee authority. Two queries."""
    answered = issued_recommendations(year).filter(
        dispatched_on__isnull=False, responded_on__isnull=False
    )
    overall = answered.aggregate(n=Count("pk"), average=Avg(_response_days()))
    values = (
        answered.filter(addressees__isnull=False)
        .values("addressees", "addressees__name")
        .annotate(n=Count("pk"), average=Avg(_response_days()))
        .order_by()
    )
    rows = [
        ResponseTimeRow(v["addressees"], v["addressees__name"], v["n"], _days(v["average"]))
        for v in values
    ]
    rows.sort(key=lambda r: (-(r.average_days or 0), r.label.lower()))
    return ResponseTimes(
        overall=ResponseTimeRow(
            None, str(_("All authorities")), overall["n"], _days(overall["average"])
        ),
        by_authority=rows,
    )


@dataclass
class Concern:
    """Recommendations linked as repeats of one another: one concern raised several times."""

    times: int
    first_year: int
    last_year: int
    years: list[int]
    latest_pk: int
    text: str
    theme: str
    places: list[str]


def _components(edges) -> list[set[int]]:
    """Connected groups of the repeat links (a repeat of a repeat is the same concern)."""
    parent: dict[int, int] = {}

    def find(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in edges:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            parent[root_a] = root_b
    groups: dict[int, set[int]] = defaultdict(set)
    for node in parent:
        groups[find(node)].add(node)
    return list(groups.values())


def repeated_concerns(year: int | None = None, limit: int = 10) -> list[Concern]:
    """The concerns raised most times: groups of issued recommendations linked by `repeats`
    (transitively), largest first. With a year: the concerns raised at a visit of that year and
    raised at least twice by the end of it, counted up to that year. Two queries."""
    through = Recommendation.repeats.through
    edges = through.objects.filter(
        report_issued("from_recommendation__visit__"), report_issued("to_recommendation__visit__")
    ).values_list("from_recommendation_id", "to_recommendation_id")
    groups = _components(edges)
    members = {pk for group in groups for pk in group}
    if not members:
        return []
    details = {
        row["pk"]: row
        for row in Recommendation.objects.filter(pk__in=members).values(
            "pk",
            "text",
            "visit__year",
            "visit__planned_start",
            "visit__place__name",
            "theme__name",
            "theme__name_sr",
        )
    }
    concerns = []
    for group in groups:
        rows = [details[pk] for pk in group if pk in details]
        if year is not None:
            # As it stood at the end of that year, if it was raised (again) that year.
            rows = [r for r in rows if r["visit__year"] <= year]
            if len(rows) < 2 or all(r["visit__year"] != year for r in rows):
                continue
        years = sorted({r["visit__year"] for r in rows})
        latest = max(rows, key=lambda r: (r["visit__planned_start"], r["pk"]))
        concerns.append(
            Concern(
                times=len(rows),
                first_year=years[0],
                last_year=years[-1],
                years=years,
                latest_pk=latest["pk"],
                text=latest["text"],
                theme=_theme_label(latest["theme__name"], latest["theme__name_sr"]),
                places=sorted({r["visit__place__name"] for r in rows}),
            )
        )
    concerns.sort(key=lambda c: (-c.times, -c.last_year, c.latest_pk))
    return concerns[:limit]


@dataclass
class ThemeCount:
    key: int | None
    label: str
    count: int


def themes_with_most_repeats(year: int | None = None, limit: int = 10) -> list[ThemeCount]:
    """Per theme, the issued recommendations that repeat an earlier one. One query."""
    values = (
        issued_recommendations(year)
        .filter(repeats__isnull=False)
        .values("theme", "theme__name", "theme__name_sr")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    rows = [
        ThemeCount(v["theme"], _theme_label(v["theme__name"], v["theme__name_sr"]), v["n"])
        for v in values
    ]
    rows.sort(key=lambda r: (-r.count, r.label.lower()))
    return rows[:limit]


def compliance_summary(year: int | None = None, today: dt.date | None = None) -> dict:
    """Everything the dashboard and the annual report show, in a fixed number of queries."""
    return {
        "year": year,
        "overall": overall_rates(year),
        "by_authority": rates_by_authority(year),
        "by_category": rates_by_category(year),
        "by_theme": rates_by_theme(year),
        "by_year": rates_by_year(year),
        "overdue": overdue_by_authority(year, today),
        "response_times": response_times(year),
        "concerns": repeated_concerns(year),
        "repeat_themes": themes_with_most_repeats(year),
        "periods": periods(year),
    }
