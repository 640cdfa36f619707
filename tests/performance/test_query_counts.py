"""Every main page (issue #12) runs the same number of SQL queries, at most 15, however much data
there is: each page is counted on a small world, the world is grown with more of every kind
(visits, team members, reports and sections, recommendations with several addressees, letters,
assessments, repeats, public ones), and counted again. A count that grows is an N+1: the failure
message lists the statements that ran more often on the larger world."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from recommendations import services
from recommendations.models import Priority, Recommendation
from tests.factories import AuthorityFactory, PlaceFactory, UserFactory
from tests.factories.recommendations import RecommendationFactory
from tests.factories.visits import MemberFactory, ReportSectionFactory, TeamMemberFactory
from tests.recommendations.compliance_helpers import dispatch, issue, visit_at
from visits.models import Authority, Visit

pytestmark = pytest.mark.django_db

# The header's unread-notification figure costs none: it is read with the user
# (npm_portal.notifications.services.with_unread_count).
MAX_QUERIES = 15
# The home page lists the user's work queue (npm_portal.work: one bounded query per list) above
# the registry figures: more statements, still as many on any amount of data.
MAX_QUERIES_OF = {"dashboard": 20}
RECOMMENDATIONS_PER_VISIT = 6
SMALL, MORE = 2, 4  # visits of the first world; visits added before the second count
WORD = "Prison"
TRANSACTION_CONTROL = re.compile(r"(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b")


@dataclass
class World:
    """The pages' targets (`visit`, `rec`) and what grows around them."""

    ministry: Authority
    visit: Visit | None = None
    rec: Recommendation | None = None
    visits: list[Visit] = field(default_factory=list)
    day: dt.date = dt.date(2025, 1, 6)


def _add_visit(world: World) -> list[Recommendation]:
    """One more visit of a new place of the ministry, with everything a decade of them has: a
    team of staff and partner members, an issued and dispatched report with sections, public and
    non-public recommendations to the institution and the ministry, a letter answering them, an
    assessment each, and repeats of the previous visit's recommendations; plus a planned visit."""
    index = len(world.visits)
    # Every other institution sits under a directorate: both worlds have a three-level tree.
    parent = world.ministry
    if index % 2:
        parent = AuthorityFactory(
            kind=Authority.Kind.DIRECTORATE, parent=parent, name=f"Directorate {index}"
        )
    institution = AuthorityFactory(
        kind=Authority.Kind.INSTITUTION, parent=parent, name=f"Institution {index}"
    )
    place = PlaceFactory(authority=institution, name=f"District {WORD} {index}")
    visit = visit_at(place, day=world.day + dt.timedelta(days=7 * index))
    TeamMemberFactory(visit=visit, user=UserFactory(roles=[Role.STAFF]), role="head")
    TeamMemberFactory(visit=visit, member=MemberFactory(), role="member")
    TeamMemberFactory(visit=visit, member=MemberFactory(), role="medical")
    recs = [
        RecommendationFactory(
            visit=visit,
            number=n + 1,
            text=f"Recommendation {n} on the {WORD.lower()} cells of visit {index}.",
            priority=Priority.URGENT if n == 0 else Priority.NORMAL,
            public=n % 2 == 0,
            addressees=[institution, world.ministry],
        )
        for n in range(RECOMMENDATIONS_PER_VISIT)
    ]
    report = issue(visit)
    for order in range(2):
        ReportSectionFactory(report=report, order=order)
    dispatch(visit, institution, dt.date(2025, 10, 3))
    dispatch(visit, world.ministry, dt.date(2025, 10, 4))
    letter = services.response_record(
        visit=visit,
        authority=institution,
        received_on=dt.date(2025, 11, 3),
        reference=f"L-{index}",
        items=[
            {"recommendation": rec, "stated_status": "in_progress", "explanation": "Soon."}
            for rec in recs[: RECOMMENDATIONS_PER_VISIT - 2]  # the others stay overdue
        ],
    )
    for rec in recs[:3]:
        services.assessment_record(
            recommendation=rec,
            status="partially_implemented",
            reason="funds",
            basis="response",
            response=letter,
            assessed_on=dt.date(2025, 12, 1),
        )
    if world.visits:
        earlier = Recommendation.objects.filter(visit=world.visits[-1]).order_by("number")
        for rec, before in zip(recs, earlier, strict=True):
            services.repeat_link(recommendation=rec, earlier=before, by=None)
    visit_at(place, day=dt.date(2027, 1, 4) + dt.timedelta(days=index), status="planned")
    world.visits.append(visit)
    return recs


def _grow(world: World, visits: int) -> None:
    """`visits` more visits, and more of everything on the pages' own visit and recommendation:
    team members, sections, letters and assessments, repeats by later visits."""
    for _ in range(visits):
        recs = _add_visit(world)
        step = len(world.visits)
        if world.visit is None:
            # The last one: not answered by the institution's letter, nor assessed, so it
            # stays open for the ministry's letters and the assessments below.
            world.visit, world.rec = world.visits[0], recs[-1]
            continue
        TeamMemberFactory(visit=world.visit, member=MemberFactory(), role="observer")
        ReportSectionFactory(report=world.visit.report, order=10 + step)
        letter = services.response_record(
            visit=world.visit,
            authority=world.ministry,
            received_on=dt.date(2025, 11, 10 + step),
            reference=f"M-{step}",
            items=[{"recommendation": world.rec, "stated_status": "in_progress"}],
        )
        services.assessment_record(
            recommendation=world.rec,
            status="in_progress",
            basis="response",
            response=letter,
            assessed_on=dt.date(2025, 12, 10 + step),
        )
        if len(world.visits) > 2:
            services.repeat_link(recommendation=recs[1], earlier=world.rec, by=None)


def _tracker(**params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("recommendations:list") + (f"?{query}" if query else "")


# name: (client fixture, URL from the world)
PAGES = {
    "dashboard": ("staff_client", lambda w: reverse("dashboard")),
    "visit_list": ("staff_client", lambda w: reverse("visits:visit_list")),
    "visit_list_filtered": (
        "staff_client",
        lambda w: reverse("visits:visit_list") + "?status=reporting&category=police",
    ),
    "visit_list_search": ("staff_client", lambda w: reverse("visits:visit_list") + f"?q={WORD}"),
    "visit_detail": ("staff_client", lambda w: reverse("visits:visit_detail", args=[w.visit.pk])),
    "tracker": ("staff_client", lambda w: _tracker()),
    "tracker_overdue": ("staff_client", lambda w: _tracker(overdue="yes")),
    "tracker_authority": ("staff_client", lambda w: _tracker(authority=w.ministry.pk)),
    "tracker_search": ("staff_client", lambda w: _tracker(q=WORD)),
    "tracker_sort": ("staff_client", lambda w: _tracker(sort="due")),
    "tracker_page_2": ("staff_client", lambda w: _tracker(page=2, per_page=10)),
    "recommendation_detail": (
        "staff_client",
        lambda w: reverse("recommendations:detail", args=[w.rec.pk]),
    ),
    "compliance_dashboard": ("compliance_client", lambda w: reverse("recommendations:dashboard")),
    "portal": ("anonymous_client", lambda w: reverse("portal:index")),
    "portal_search": ("anonymous_client", lambda w: reverse("portal:index") + f"?q={WORD}"),
    "export_csv": ("staff_client", lambda w: reverse("recommendations:export_csv")),
    "export_xlsx": ("staff_client", lambda w: reverse("recommendations:export_xlsx")),
    # Filtered as `make bench` filters its 10,000-row exports (by year).
    "export_csv_year": (
        "staff_client",
        lambda w: reverse("recommendations:export_csv") + f"?year={w.visit.year}",
    ),
    "export_xlsx_year": (
        "staff_client",
        lambda w: reverse("recommendations:export_xlsx") + f"?year={w.visit.year}",
    ),
    # The back office's reference (a path, not reverse(): a missing registration is a 404).
    "admin_changelist": ("admin_client", lambda w: "/admin/recommendations/recommendation/"),
}


def _count(client, url: str) -> tuple[int, list[str]]:
    """Queries of one request, cold (nothing cached), its streamed body included. Counted as
    `make bench` counts them: statements that read or write, not transaction control (the
    request's transaction is a SAVEPOINT here, inside the test's, and a BEGIN there)."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.status_code)
    statements = [query["sql"] for query in captured.captured_queries]
    statements = [sql for sql in statements if not TRANSACTION_CONTROL.match(sql)]
    return len(statements), statements


def _shape(sql: str) -> str:
    return re.sub(r"'[^']*'|\"s\d+_x\d+\"|\b\d+\b", "?", sql)


def _grown(small: list[str], large: list[str]) -> str:
    """The statements that ran more often on the larger world, with an example of each."""
    before = Counter(_shape(sql) for sql in small)
    after = Counter(_shape(sql) for sql in large)
    examples = {_shape(sql): sql for sql in large}
    lines = [
        f"  ×{after[shape]} (was ×{before[shape]}): {examples[shape][:500]}"
        for shape in after
        if after[shape] > before[shape]
    ]
    return "\n".join(lines) or "  (no statement repeats more: different statements ran)"


@pytest.mark.parametrize("name", list(PAGES))
def test_page_runs_the_same_few_queries_on_more_data(name, request):
    fixture, url = PAGES[name]
    client = request.getfixturevalue(fixture)
    world = World(ministry=AuthorityFactory(name="Ministry of Justice"))
    _grow(world, SMALL)
    small, small_sql = _count(client, url(world))
    _grow(world, MORE)
    large, large_sql = _count(client, url(world))
    assert small == large, (
        f"{name}: {small} queries with {SMALL} visits, {large} with {SMALL + MORE}:\n"
        + _grown(small_sql, large_sql)
    )
    assert large <= MAX_QUERIES_OF.get(name, MAX_QUERIES), f"{name}: {large} queries\n" + "\n".join(
        f"  {sql[:300]}" for sql in large_sql
    )
