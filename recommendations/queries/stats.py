"""Compliance statistics for the dashboard and the annual report.

Pure functions over querysets: each runs a small, fixed number of grouped aggregate queries
(`values().annotate()`), never one per row, and takes an optional year (the year of the visit).
`compliance_summary` shares two passes among the figures: one over the recommendations, one over
their addressee links (and the names of their groups' themes and authorities), besides the
repeated concerns and the periods. The dashboard caches it (`recommendations.cache`).

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

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from visits.models import Authority, PlaceCategory, Theme

from ..models import Recommendation, Status, overdue_q, report_issued

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


def _under(prefix: str, condition: Q) -> Q:
    """`condition` on the rows `prefix` leads to: the same rule across a join."""
    children = [
        _under(prefix, child) if isinstance(child, Q) else (prefix + child[0], child[1])
        for child in condition.children
    ]
    return Q.create(children, connector=condition.connector, negated=condition.negated)


def _figures(prefix: str, today: dt.date) -> dict:
    """The aggregates of a pass: recommendations, overdue ones (`Recommendation.objects.overdue`),
    answered ones (dispatched and responded) and their days to respond, summed (an average over
    several groups is their sum over their count)."""
    answered = _under(prefix, Q(dispatched_on__isnull=False, responded_on__isnull=False))
    days = F(f"{prefix}responded_on") - F(f"{prefix}dispatched_on")
    return {
        "n": Count("pk"),
        "overdue": Count("pk", filter=_under(prefix, overdue_q(today))),
        "answered": Count("pk", filter=answered),
        "days": Sum(ExpressionWrapper(days, DurationField()), filter=answered),
    }


def _groups(year: int | None, today: dt.date | None = None) -> list[dict]:
    """The issued recommendations (of a visit year) by visit year, place category, theme and
    status, with `_figures` and how many repeat an earlier recommendation. Two queries: both
    passes group by keys and look the names up after (grouped by a name too, PostgreSQL
    expects a group per row and sorts the rows on disk instead of hashing them)."""
    repeating = Recommendation.repeats.through.objects.values("from_recommendation_id")
    groups = list(
        issued_recommendations(year)
        .values("visit__year", "visit__place__category", "theme", "status")
        .annotate(
            **_figures("", today or timezone.localdate()),
            repeating=Count("pk", filter=Q(pk__in=repeating)),
        )
        .order_by()
    )
    themes = {theme.pk: theme.label for theme in Theme.objects.all()}
    for item in groups:
        item["theme_label"] = themes.get(item["theme"]) or str(_("No theme"))
    return groups


def _links(year: int | None, today: dt.date | None = None) -> list[dict]:
    """The addressee links of the issued recommendations (of a visit year) by authority and
    status, with `_figures`: a recommendation counts once under each addressee. Two queries."""
    links = Recommendation.addressees.through.objects.filter(
        report_issued("recommendation__visit__")
    )
    if year is not None:
        links = links.filter(recommendation__visit__year=year)
    links = list(
        links.values("authority", status=F("recommendation__status"))
        .annotate(**_figures("recommendation__", today or timezone.localdate()))
        .order_by()
    )
    keys = {link["authority"] for link in links}
    names = dict(Authority.objects.filter(pk__in=keys).values_list("pk", "name"))
    for link in links:
        link["authority_name"] = names[link["authority"]]
    return links


def _overall(groups: list[dict]) -> RateRow:
    row = RateRow(key=None, label=str(_("All recommendations")))
    for item in groups:
        row.add(item["status"], item["n"])
    return row


def _by_authority(links: list[dict]) -> list[RateRow]:
    return _by_size(_rows(links, "authority", lambda i: i["authority_name"]))


def _by_category(groups: list[dict]) -> list[RateRow]:
    labels = dict(PlaceCategory.choices)
    key = "visit__place__category"
    return _by_size(_rows(groups, key, lambda i: str(labels.get(i[key], i[key]))))


def _by_year(groups: list[dict]) -> list[RateRow]:
    rows = _rows(groups, "visit__year", lambda i: str(i["visit__year"]))
    return sorted(rows, key=lambda r: r.key)


def overall_rates(year: int | None = None) -> RateRow:
    """Two queries."""
    return _overall(_groups(year))


def rates_by_authority(year: int | None = None) -> list[RateRow]:
    """By addressee authority (a recommendation counts under each addressee). Two queries."""
    return _by_authority(_links(year))


def rates_by_category(year: int | None = None) -> list[RateRow]:
    """By the category of the visited place. Two queries."""
    return _by_category(_groups(year))


def rates_by_theme(year: int | None = None) -> list[RateRow]:
    """By theme ("No theme" for recommendations without one). Two queries."""
    return _by_size(_rows(_groups(year), "theme", lambda i: i["theme_label"]))


def rates_by_year(year: int | None = None) -> list[RateRow]:
    """By the year of the visit, oldest first. Two queries."""
    return _by_year(_groups(year))


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


def _overdue(groups: list[dict], links: list[dict], today: dt.date) -> Overdue:
    rows: dict[int, AuthorityCount] = {}
    for link in links:
        if link["overdue"]:
            key = link["authority"]
            rows.setdefault(key, AuthorityCount(key, link["authority_name"], 0))
            rows[key].count += link["overdue"]
    by_authority = sorted(rows.values(), key=lambda r: (-r.count, r.label.lower()))
    return Overdue(sum(item["overdue"] for item in groups), by_authority, today)


def overdue_by_authority(year: int | None = None, today: dt.date | None = None) -> Overdue:
    """Overdue responses (due before today, none received: `Recommendation.objects.overdue`),
    in all and by addressee authority. Four queries."""
    today = today or timezone.localdate()
    return _overdue(_groups(year, today), _links(year, today), today)


def _in_days(value) -> Decimal:
    """A summed duration (an interval, or a number of days on some databases) in days."""
    if isinstance(value, dt.timedelta):
        return Decimal(str(value.total_seconds())) / 86400
    return Decimal(str(value or 0))


def _average(days: Decimal, n: int) -> Decimal | None:
    """The average of `n` durations summing to `days`, in days with one decimal, half up."""
    return (days / n).quantize(Decimal("0.1"), ROUND_HALF_UP) if n else None


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


def _response_times(groups: list[dict], links: list[dict]) -> ResponseTimes:
    totals: dict[int, list] = {}
    for link in links:
        if link["answered"]:
            total = totals.setdefault(link["authority"], [link["authority_name"], 0, Decimal(0)])
            total[1] += link["answered"]
            total[2] += _in_days(link["days"])
    rows = [
        ResponseTimeRow(key, name, n, _average(days, n)) for key, (name, n, days) in totals.items()
    ]
    rows.sort(key=lambda r: (-(r.average_days or 0), r.label.lower()))
    n = sum(item["answered"] for item in groups)
    days = sum((_in_days(item["days"]) for item in groups), Decimal(0))
    overall = ResponseTimeRow(None, str(_("All authorities")), n, _average(days, n))
    return ResponseTimes(overall=overall, by_authority=rows)


def response_times(year: int | None = None) -> ResponseTimes:
    """Average days from dispatch to the first response (responded_on − dispatched_on), over
    the recommendations that have both dates; in all and by addressee authority. Four queries."""
    return _response_times(_groups(year), _links(year))


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
    raised at least twice by the end of it, counted up to that year. Two queries: the links with
    their visits' years and dates rank the groups, the texts are read for the first `limit`."""
    through = Recommendation.repeats.through
    edges = through.objects.filter(
        report_issued("from_recommendation__visit__"), report_issued("to_recommendation__visit__")
    ).values_list(
        "from_recommendation_id",
        "from_recommendation__visit__year",
        "from_recommendation__visit__planned_start",
        "to_recommendation_id",
        "to_recommendation__visit__year",
        "to_recommendation__visit__planned_start",
    )
    visits: dict[int, tuple] = {}  # each recommendation's visit: (year, planned start)
    for a, a_year, a_start, b, b_year, b_start in edges:
        visits[a], visits[b] = (a_year, a_start), (b_year, b_start)
    ranked = []
    for group in _components((edge[0], edge[3]) for edge in edges):
        pks = [pk for pk in group if year is None or visits[pk][0] <= year]
        # With a year: as it stood at the end of that year, if it was raised (again) that year.
        if year is not None and (len(pks) < 2 or all(visits[pk][0] != year for pk in pks)):
            continue
        years = sorted({visits[pk][0] for pk in pks})
        latest = max(pks, key=lambda pk: (visits[pk][1], pk))
        ranked.append((len(pks), years, latest, pks))
    ranked.sort(key=lambda c: (-c[0], -c[1][-1], c[2]))
    ranked = ranked[:limit]
    members = {pk for _times, _years, _latest, pks in ranked for pk in pks}
    details = {
        row["pk"]: row
        for row in Recommendation.objects.filter(pk__in=members).values(
            "pk", "text", "visit__place__name", "theme__name", "theme__name_sr"
        )
    }
    return [
        Concern(
            times=times,
            first_year=years[0],
            last_year=years[-1],
            years=years,
            latest_pk=latest,
            text=details[latest]["text"],
            theme=_theme_label(details[latest]["theme__name"], details[latest]["theme__name_sr"]),
            places=sorted({details[pk]["visit__place__name"] for pk in pks}),
        )
        for times, years, latest, pks in ranked
    ]


@dataclass
class ThemeCount:
    key: int | None
    label: str
    count: int


def _repeat_themes(groups: list[dict], limit: int = 10) -> list[ThemeCount]:
    rows: dict[int | None, ThemeCount] = {}
    for item in groups:
        if item["repeating"]:
            key = item["theme"]
            rows.setdefault(key, ThemeCount(key, item["theme_label"], 0))
            rows[key].count += item["repeating"]
    return sorted(rows.values(), key=lambda r: (-r.count, r.label.lower()))[:limit]


def themes_with_most_repeats(year: int | None = None, limit: int = 10) -> list[ThemeCount]:
    """Per theme, the issued recommendations that repeat an earlier one. Two queries."""
    return _repeat_themes(_groups(year), limit)


def compliance_summary(year: int | None = None, today: dt.date | None = None) -> dict:
    """Everything the dashboard and the annual report show: eight queries, whatever the data."""
    today = today or timezone.localdate()
    groups, links = _groups(year, today), _links(year, today)
    return {
        "year": year,
        "overall": _overall(groups),
        "by_authority": _by_authority(links),
        "by_category": _by_category(groups),
        "by_theme": _by_size(_rows(groups, "theme", lambda i: i["theme_label"])),
        "by_year": _by_year(groups),
        "overdue": _overdue(groups, links, today),
        "response_times": _response_times(groups, links),
        "concerns": repeated_concerns(year),
        "repeat_themes": _repeat_themes(groups),
        "periods": periods(year),
    }
