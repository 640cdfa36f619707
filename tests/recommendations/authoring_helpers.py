"""Small builders shared by the authoring, repeats, tracker and export tests."""

import datetime as dt

from recommendations.models import Recommendation
from tests.factories import AuthorityFactory, PlaceFactory
from tests.factories.recommendations import RecommendationFactory
from tests.factories.visits import ReportFactory, VisitFactory, local
from visits.models import Authority, Place, Report, Theme, Visit


def visit_in(year: int, place: Place | None = None, *, month: int = 3, **kwargs) -> Visit:
    """A conducted visit that started on the 10th of `month` of `year`."""
    start = local(year, month, 10, 9, 0)
    kwargs.setdefault("status", Visit.Status.CONDUCTED)
    return VisitFactory(
        place=place or PlaceFactory(),
        planned_start=start,
        planned_end=start + dt.timedelta(hours=6),
        **kwargs,
    )


def issue(visit: Visit) -> Report:
    issued = local(visit.year, 6, 1, 12, 0)
    return ReportFactory(
        visit=visit, status=Report.Status.ISSUED, issued_on=issued.date(), issued_at=issued
    )


def theme(code: str) -> Theme:
    return Theme.objects.get(code=code)


def themes(n: int) -> list[Theme]:
    return list(Theme.objects.filter(forced_return=False).order_by("order")[:n])


def tree():
    """Ministry of Justice → Administration for Enforcement of Penal Sanctions → a prison."""
    ministry = AuthorityFactory(name="Ministry of Justice", kind=Authority.Kind.MINISTRY)
    directorate = AuthorityFactory(
        name="Administration for Enforcement of Penal Sanctions",
        kind=Authority.Kind.DIRECTORATE,
        parent=ministry,
    )
    prison = AuthorityFactory(
        name="District Prison Niš", kind=Authority.Kind.INSTITUTION, parent=directorate
    )
    return ministry, directorate, prison


def rec(visit: Visit, **kwargs) -> Recommendation:
    return RecommendationFactory(visit=visit, **kwargs)
