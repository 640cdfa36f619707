"""Visits over ten years and the next three months: kind, times (some at night), status from
their date, teams of NPM staff and partner members, population on the day, the return operation
of forced-return monitoring."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

from visits.models import PlaceCategory, ReturnOperation, TeamMember, Visit
from visits.models.visit import LOCAL_ZONE, MEDICAL_CATEGORIES, ReturnPhase, covers_night

from .texts import CANCEL_REASONS, PURPOSES
from .vocabulary import JOINT_WITH, RETURN_CATEGORIES, RETURN_ROUTES
from .world import FUTURE_DAYS, MemberPlan, PlacePlan, Weighted, World, noon, scaled

VISITS_AT_SCALE_1 = 20_000
K = Visit.Kind
S = Visit.Status
R = TeamMember.Role
# Of the visits with no special reason to be otherwise.
KINDS = [(K.REGULAR, 60), (K.AD_HOC, 15), (K.THEMATIC, 17), (K.JOINT, 8)]
TEAM_SIZES = [(1, 5), (2, 25), (3, 40), (4, 20), (5, 10)]
MEDICAL_EXPERTISE = {"medical", "psychiatrist"}
MIGRANT_CATEGORIES = {*RETURN_CATEGORIES, PlaceCategory.ASYLUM, PlaceCategory.RECEPTION}
# A report is written from this many days after the visit ended.
REPORTING_AFTER_DAYS = 10


@dataclass(slots=True)
class ReportPlan:
    id: int
    reference: str
    status: str
    issued_on: dt.date | None
    # Authority id: the day the issued report was sent to it.
    sent_on: dict[int, dt.date] = field(default_factory=dict)


@dataclass(slots=True)
class VisitPlan:
    id: int
    place: PlacePlan
    start: dt.datetime
    end: dt.datetime
    kind: str = K.REGULAR
    status: str = S.PLANNED
    year: int = 0
    number: int = 0
    head_id: int = 0
    # (user id, partner member, role) of each team member, the head first.
    team: list[tuple[int | None, MemberPlan | None, str]] = field(default_factory=list)
    # Logins on the team (staff users and partner members' users).
    logins: list[int] = field(default_factory=list)
    report: ReportPlan | None = None

    @property
    def took_place(self) -> bool:
        return self.status in (S.CONDUCTED, S.REPORTING, S.CLOSED)

    @property
    def start_day(self) -> dt.date:
        return self.start.date()  # local times (LOCAL_ZONE) throughout

    @property
    def end_day(self) -> dt.date:
        return self.end.date()


def _times(rng, day: dt.date, kind: str) -> tuple[dt.datetime, dt.datetime]:
    if rng.random() < 0.06:  # at night
        start = dt.datetime.combine(day, dt.time(rng.randint(20, 23)), tzinfo=LOCAL_ZONE)
        return start, start + dt.timedelta(hours=rng.randint(3, 7))
    start = dt.datetime.combine(
        day, dt.time(rng.randint(7, 11), rng.choice((0, 30))), tzinfo=LOCAL_ZONE
    )
    days = 1 if kind == K.REGULAR and rng.random() < 0.25 else 0  # in-depth: two days
    return start, start + dt.timedelta(days=days, hours=rng.randint(3, 9))


def plan_visits(world: World) -> list[VisitPlan]:
    rng = world.rng("visits")
    count = scaled(VISITS_AT_SCALE_1, world.scale)
    cumulative = list(itertools.accumulate(p.weight for p in world.places))
    span = (world.today - world.first_day).days
    drafts = []
    for place in rng.choices(world.places, cum_weights=cumulative, k=count):
        offset = rng.randint(-span, FUTURE_DAYS)
        # Nothing today or yesterday: whether it took place would depend on the hour.
        offset = -2 if -2 < offset < 1 else offset
        drafts.append((world.today + dt.timedelta(days=offset), place))
    drafts.sort(key=lambda d: (d[0], d[1].id))
    ids = world.writer.ids(Visit, count)
    numbers: dict[int, int] = {}
    visited: set[int] = set()
    plans = []
    kinds = Weighted(KINDS)
    for pk, (day, place) in zip(ids, drafts, strict=True):
        if place.category in RETURN_CATEGORIES and rng.random() < 0.5:
            kind = K.FORCED_RETURN
        elif place.id in visited and rng.random() < 0.22:
            kind = K.FOLLOW_UP
        else:
            kind = kinds.pick(rng)
        start, end = _times(rng, day, kind)
        year = start.astimezone(LOCAL_ZONE).year
        numbers[year] = numbers.get(year, 0) + 1
        plan = VisitPlan(
            id=pk, place=place, start=start, end=end, kind=kind, year=year, number=numbers[year]
        )
        if day > world.today:
            plan.status = S.PLANNED
        elif rng.random() < 0.03:
            plan.status = S.CANCELLED
        elif (world.today - plan.end_day).days < REPORTING_AFTER_DAYS:
            plan.status = S.CONDUCTED
        else:
            plan.status = S.REPORTING  # closed once its report is issued (reports.py)
            visited.add(place.id)
        plans.append(plan)
    _plan_teams(world, rng, plans)
    return plans


def _plan_teams(world: World, rng, plans: list[VisitPlan]) -> None:
    sizes = Weighted(TEAM_SIZES)
    medical = [m for m in world.members if m.expertise in MEDICAL_EXPERTISE]
    for plan in plans:
        plan.head_id = rng.choice(world.staff_ids)
        rows = [(plan.head_id, None, R.HEAD)]
        users, members = {plan.head_id}, set()
        wants_doctor = plan.place.category in MEDICAL_CATEGORIES and medical
        for slot in range(sizes.pick(rng) - 1):
            for _attempt in range(3):  # someone already on the team: pick again
                if rng.random() < 0.5:
                    user = rng.choice(world.staff_ids)
                    if user in users:
                        continue
                    users.add(user)
                    rows.append((user, None, R.OBSERVER if rng.random() < 0.05 else R.MEMBER))
                    break
                member = rng.choice(medical if wants_doctor and slot == 0 else world.members)
                if member.id in members:
                    continue
                members.add(member.id)
                rows.append((None, member, _role_of(member)))
                break
        plan.team = rows
        plan.logins = [user if user else member.user_id for user, member, _role in rows]


def _role_of(member: MemberPlan) -> str:
    if member.expertise in MEDICAL_EXPERTISE:
        return R.MEDICAL
    if member.expertise == "interpreter":
        return R.INTERPRETER
    return R.MEMBER


def write_visits(world: World, plans: list[VisitPlan]) -> None:
    rng = world.rng("visit rows")
    latest = noon(world.yesterday)
    world.writer.write(
        "visits", Visit, (_visit_row(rng, plan, latest) for plan in plans), created_at=True
    )
    writer = world.writer
    rows = [(plan.id, *member) for plan in plans for member in plan.team]
    writer.write(
        "team members",
        TeamMember,
        (
            TeamMember(
                id=pk,
                visit_id=visit,
                user_id=user,
                member_id=member.id if member else None,
                role=role,
            )
            for pk, (visit, user, member, role) in zip(
                writer.ids(TeamMember, len(rows)), rows, strict=True
            )
        ),
    )
    returns = [p for p in plans if p.kind == K.FORCED_RETURN and p.took_place]
    writer.write(
        "return operations",
        ReturnOperation,
        (
            _return_row(rng, pk, plan)
            for pk, plan in zip(writer.ids(ReturnOperation, len(returns)), returns, strict=True)
        ),
    )


def _visit_row(rng, plan: VisitPlan, latest: dt.datetime) -> Visit:
    place = plan.place
    visit = Visit(
        id=plan.id,
        place_id=place.id,
        year=plan.year,
        number=plan.number,
        kind=plan.kind,
        announced=rng.random() < 0.25,
        joint_with=rng.choice(JOINT_WITH) if plan.kind == K.JOINT else "",
        planned_start=plan.start,
        planned_end=plan.end,
        purpose=PURPOSES[plan.kind],
        status=plan.status,
        created_by_id=plan.head_id,
        created_at=min(plan.start - dt.timedelta(days=14), latest),
    )
    if plan.status == S.CANCELLED:
        visit.cancel_reason = rng.choice(CANCEL_REASONS)
    if plan.took_place:
        visit.actual_start = plan.start + dt.timedelta(minutes=rng.choice((-30, 0, 0, 15, 30)))
        visit.actual_end = plan.end + dt.timedelta(minutes=rng.choice((-60, 0, 30)))
        present = max(0, round(place.capacity * rng.uniform(0.4, 1.25)))
        visit.capacity_on_day = place.capacity
        visit.present = present
        visit.women = round(present * rng.uniform(0, 0.2)) if place.holds_women else 0
        visit.minors = round(present * rng.uniform(0, 0.3)) if place.holds_minors else 0
        share = 0.8 if place.category in MIGRANT_CATEGORIES else 0.03
        visit.foreigners = round(present * rng.uniform(0, share))
    # `save()` derives it; bulk_create does not call save.
    visit.night = covers_night(visit.start, visit.end)
    return visit


def _return_row(rng, pk: int, plan: VisitPlan) -> ReturnOperation:
    organising, destination = rng.choice(RETURN_ROUTES)
    air = rng.random() < 0.7
    phases = [p for p in ReturnPhase.values if rng.random() < 0.7 and (air or p != "in_flight")]
    return ReturnOperation(
        id=pk,
        visit_id=plan.id,
        kind=rng.choice(ReturnOperation.Kind.values),
        organising_state=organising,
        destination_state=destination,
        means=ReturnOperation.Means.AIR if air else ReturnOperation.Means.LAND,
        returnees_men=rng.randint(1, 30),
        returnees_women=rng.randint(0, 8),
        returnees_children=rng.randint(0, 6),
        escorts=rng.randint(4, 40),
        phases=phases,
    )
