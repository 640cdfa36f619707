"""What the checked file becomes before anything is written: the plan of visits (one per report
reference) with their rows, the new places and authorities, every error by row and column, and
the names that matched nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..models import STATED_STATUSES

ASSESSED = {str(s) for s in STATED_STATUSES}


@dataclass(frozen=True)
class NewName:
    """A place or authority the import creates (with `create_places`)."""

    kind: str  # "place" or "authority"
    key: str  # folded name
    name: str


@dataclass
class Error:
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return _("row %(row)d, column '%(column)s': %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class RowPlan:
    row: int
    number: int
    text: str
    theme: object | None
    priority: str
    public: bool
    addressees: list  # Authority or NewName
    status: str
    reason: str
    verified_on_site: bool
    dispatched_on: dt.date | None
    due_date: dt.date | None
    responded_on: dt.date | None
    response_reference: str
    stated_status: str
    status_since: dt.date | None = None


@dataclass
class VisitPlan:
    row: int
    report_reference: str
    place: object  # Place or NewName
    start: tuple[dt.date, dt.time | None]
    end: tuple[dt.date, dt.time | None]
    kind: str
    issued_on: dt.date
    number_hint: tuple[int, int] | None
    rows: list[RowPlan] = field(default_factory=list)


@dataclass
class NewPlace:
    name: str
    category: str
    district: str
    authority: object  # Authority or NewName


@dataclass
class Plan:
    rows: int = 0
    errors: list[Error] = field(default_factory=list)
    # kind ("place", "authority", "theme") → name as first written → row numbers
    unmatched: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    visits: list[VisitPlan] = field(default_factory=list)
    new_places: dict[str, NewPlace] = field(default_factory=dict)
    new_authorities: dict[str, NewName] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and self.rows > 0

    def counts(self) -> dict[str, int]:
        recs = [r for v in self.visits for r in v.rows]
        dispatches = {
            (v.report_reference, authority_key(a))
            for v in self.visits
            for r in v.rows
            if r.dispatched_on
            for a in r.addressees
        }
        letters = {letter_key(v, r) for v in self.visits for r in v.rows if r.responded_on}
        return {
            "rows": self.rows,
            "places": len(self.new_places),
            "authorities": len(self.new_authorities),
            "visits": len(self.visits),
            "reports": len(self.visits),
            "dispatches": len(dispatches),
            "recommendations": len(recs),
            "letters": len(letters),
            "response_items": sum(1 for r in recs if r.responded_on),
            "assessments": sum(1 for r in recs if r.status in ASSESSED),
        }

    def summary(self) -> dict:
        return {
            "counts": self.counts(),
            "errors": len(self.errors),
            "unmatched": self.unmatched,
            "new_places": sorted(p.name for p in self.new_places.values()),
            "new_authorities": sorted(a.name for a in self.new_authorities.values()),
        }


def authority_key(authority) -> str:
    return f"new:{authority.key}" if isinstance(authority, NewName) else f"id:{authority.pk}"


def letter_key(visit: VisitPlan, row: RowPlan) -> tuple:
    return (
        visit.report_reference,
        authority_key(row.addressees[0]),
        row.responded_on,
        row.response_reference,
    )
