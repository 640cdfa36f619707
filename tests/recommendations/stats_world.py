"""A fixed fixture for the compliance statistics, with every figure computed by hand.

Two ministries, each with one institution running one place; four visits made (two in 2025,
two in 2026), one planned and one cancelled; ten recommendations of issued reports plus one of a
report still in drafting (never counted). `build(copies=2)` builds the same world twice over
(different names), for query-count tests.

    rec  visit   place   addressees     status                theme dispatched responded  due
    r1   V1 2025 prison  PrisonA, MinJ  implemented           A     2025-03-01 2025-04-10 04-30
    r2   V1 2025 prison  PrisonA, MinJ  partially implemented B     2025-03-01 2025-05-10 04-30
    r3   V1 2025 prison  PrisonA, MinJ  rejected              A     2025-03-01 2025-03-31 04-30
    r4   V1 2025 prison  PrisonA, MinJ  no longer applicable  B     2025-03-01 -          04-30
    r5   V2 2025 police  PoliceB, MinI  awaiting response     A     2025-06-01 -          07-31
    r6   V2 2025 police  PoliceB, MinI  not implemented       -     2025-06-01 2025-06-21 07-31
    r7   V3 2026 prison  PrisonA        in progress           B     2026-02-01 -          04-02
    r8   V3 2026 prison  PrisonA        implemented           A     2026-02-01 2026-02-11 04-02
    r9   V3 2026 prison  PrisonA        response received     B     2026-02-01 2026-03-03 04-02
    r10  V3 2026 prison  PrisonA        awaiting response     -     -          -          -
    r11  V4 2026 police  PoliceB        implemented (report in drafting: not counted; overdue)

(due dates are in the year of the visit.)
Repeats: r8 → r1, r5 → r1, r9 → r2, r11 → r1 (ignored: not issued).
Theme A = material conditions, B = health care.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from recommendations.models import Recommendation
from tests.factories import AuthorityFactory, PlaceFactory
from tests.factories.recommendations import RecommendationFactory
from tests.factories.visits import ReportFactory, VisitFactory, local
from visits.models import Authority, Place, Report, Theme, Visit

S = Recommendation.Status
D = dt.date

# A date at which r4, r5 and r7 are overdue (r7 was due 2026-04-02).
TODAY = D(2026, 6, 1)


@dataclass
class StatsWorld:
    authorities: dict[str, Authority] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    visits: dict[str, Visit] = field(default_factory=dict)
    recs: dict[str, Recommendation] = field(default_factory=dict)
    theme_a: Theme | None = None
    theme_b: Theme | None = None


def _visit(place, year, month, status, report: str | None, suffix: str) -> Visit:
    visit = VisitFactory(
        place=place,
        planned_start=local(year, month, 10, 9, 0),
        planned_end=local(year, month, 10, 15, 0),
        status=status,
        cancel_reason="Lockdown." if status == Visit.Status.CANCELLED else "",
    )
    if report == "issued":
        issued = local(year, month + 1, 1, 10, 0)
        ReportFactory(
            visit=visit,
            status=Report.Status.ISSUED,
            issued_at=issued,
            issued_on=issued.date(),
            title=f"Report {suffix} {visit.pk}",
        )
    elif report == "drafting":
        ReportFactory(visit=visit, title=f"Draft {suffix} {visit.pk}")
    return visit


def _rec(visit, number, status, theme, addressees, dispatched=None, responded=None, due=None):
    return RecommendationFactory(
        visit=visit,
        number=number,
        status=status,
        theme=theme,
        addressees=addressees,
        dispatched_on=dispatched,
        responded_on=responded,
        due_date=due,
        text=f"Recommendation {number} at {visit.place.name} in {visit.year}.",
    )


def build_one(suffix: str = "") -> StatsWorld:
    w = StatsWorld()
    w.theme_a = Theme.objects.get(code="material-conditions")
    w.theme_b = Theme.objects.get(code="health-care")
    min_j = AuthorityFactory(name=f"Ministry of Justice{suffix}")
    min_i = AuthorityFactory(name=f"Ministry of Interior{suffix}")
    prison_a = AuthorityFactory(
        name=f"Prison A{suffix}", kind=Authority.Kind.INSTITUTION, parent=min_j
    )
    police_b = AuthorityFactory(
        name=f"Police B{suffix}", kind=Authority.Kind.INSTITUTION, parent=min_i
    )
    w.authorities = {"MinJ": min_j, "MinI": min_i, "PrisonA": prison_a, "PoliceB": police_b}
    prison = PlaceFactory(
        name=f"District Prison{suffix}", category=Place.Category.PRISON, authority=prison_a
    )
    police = PlaceFactory(
        name=f"Police Station{suffix}", category=Place.Category.POLICE, authority=police_b
    )
    w.places = {"prison": prison, "police": police}
    closed, done = Visit.Status.CLOSED, Visit.Status.CONDUCTED
    w.visits = {
        "V1": _visit(prison, 2025, 2, closed, "issued", suffix),
        "V2": _visit(police, 2025, 5, closed, "issued", suffix),
        "V3": _visit(prison, 2026, 1, Visit.Status.REPORTING, "issued", suffix),
        "V4": _visit(police, 2026, 3, done, "drafting", suffix),
        "V5": _visit(police, 2026, 9, Visit.Status.PLANNED, None, suffix),
        "V6": _visit(prison, 2026, 4, Visit.Status.CANCELLED, None, suffix),
    }
    v1, v2, v3, v4 = (w.visits[k] for k in ["V1", "V2", "V3", "V4"])
    a, b = w.theme_a, w.theme_b
    j = [prison_a, min_j]
    i = [police_b, min_i]
    d25, due25 = D(2025, 3, 1), D(2025, 4, 30)
    d25b, due25b = D(2025, 6, 1), D(2025, 7, 31)
    d26, due26 = D(2026, 2, 1), D(2026, 4, 2)
    w.recs = {
        "r1": _rec(v1, 1, S.IMPLEMENTED, a, j, d25, D(2025, 4, 10), due25),
        "r2": _rec(v1, 2, S.PARTIALLY_IMPLEMENTED, b, j, d25, D(2025, 5, 10), due25),
        "r3": _rec(v1, 3, S.REJECTED, a, j, d25, D(2025, 3, 31), due25),
        "r4": _rec(v1, 4, S.NO_LONGER_APPLICABLE, b, j, d25, None, due25),
        "r5": _rec(v2, 1, S.AWAITING_RESPONSE, a, i, d25b, None, due25b),
        "r6": _rec(v2, 2, S.NOT_IMPLEMENTED, None, i, d25b, D(2025, 6, 21), due25b),
        "r7": _rec(v3, 1, S.IN_PROGRESS, b, [prison_a], d26, None, due26),
        "r8": _rec(v3, 2, S.IMPLEMENTED, a, [prison_a], d26, D(2026, 2, 11), due26),
        "r9": _rec(v3, 3, S.RESPONSE_RECEIVED, b, [prison_a], d26, D(2026, 3, 3), due26),
        "r10": _rec(v3, 4, S.AWAITING_RESPONSE, None, [prison_a]),
        "r11": _rec(v4, 1, S.IMPLEMENTED, a, [police_b], d26, None, due26),
    }
    r = w.recs
    r["r8"].repeats.add(r["r1"])
    r["r5"].repeats.add(r["r1"])
    r["r9"].repeats.add(r["r2"])
    r["r11"].repeats.add(r["r1"])
    return w


def build(copies: int = 1) -> list[StatsWorld]:
    return [build_one(suffix="" if n == 0 else f" {n + 1}") for n in range(copies)]


def today_noon():
    return dt.datetime(2026, 6, 1, 12, 0, tzinfo=timezone.get_default_timezone())
