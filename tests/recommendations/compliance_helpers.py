"""Issued, dispatched reports for the compliance tests, without rendering any PDF: the report's
fields are set directly and the dispatch goes through the workflow's `dispatch_record` (which
sends `report_dispatched`)."""

from __future__ import annotations

import datetime as dt

from recommendations import services
from tests.factories import AuthorityFactory, PlaceFactory
from tests.factories.recommendations import RecommendationFactory
from tests.factories.visits import ReportFactory, VisitFactory, local
from visits.models import Report, Visit
from visits.services import dispatch_record

ISSUED_ON = dt.date(2025, 10, 1)


def visit_at(place=None, *, day: dt.date = dt.date(2025, 9, 10), **kwargs) -> Visit:
    """A visit on `day`; a follow-up visit gets its checklist pre-filled, as planning one with
    `visits.services.visit_create` does (through `visit_planned`)."""
    start = local(day.year, day.month, day.day, 9, 0)
    visit = VisitFactory(
        place=place or PlaceFactory(),
        planned_start=start,
        planned_end=start + dt.timedelta(hours=6),
        status=kwargs.pop("status", Visit.Status.REPORTING),
        **kwargs,
    )
    if visit.kind == Visit.Kind.FOLLOW_UP and visit.status != Visit.Status.CANCELLED:
        services.follow_up_checklist_prefill(visit=visit)
    return visit


def issue(visit: Visit, *, issued_on: dt.date = ISSUED_ON) -> Report:
    return ReportFactory(
        visit=visit,
        status=Report.Status.ISSUED,
        issued_on=issued_on,
        issued_at=local(issued_on.year, issued_on.month, issued_on.day, 12, 0),
    )


def dispatch(visit: Visit, authority, sent_on: dt.date):
    return dispatch_record(
        report=visit.report,
        authority=authority,
        sent_on=sent_on,
        reference=f"D-{authority.pk}",
        channel="post",
        by=None,
    )


def issued_case(*, place=None, count: int = 2, priority: str = "normal"):
    """A visit with an issued report and `count` recommendations addressed to the institution
    and the ministry. Returns (visit, institution, ministry, recommendations)."""
    ministry = AuthorityFactory()
    place = place or PlaceFactory(authority=AuthorityFactory(kind="institution", parent=ministry))
    institution = place.authority
    visit = visit_at(place)
    recommendations = [
        RecommendationFactory(
            visit=visit, number=n + 1, priority=priority, addressees=[institution, ministry]
        )
        for n in range(count)
    ]
    issue(visit)
    return visit, institution, ministry, recommendations
