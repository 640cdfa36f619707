"""What happened after the reports went out: the authorities' letters (one per authority and
report, now and then a second one), an item per recommendation a letter answers, the NPM's
assessments (on a letter, at a follow-up visit with its checklist line, or on other evidence),
and each recommendation's current status as `recommendation_refresh_status` derives it."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict

from recommendations.models import (
    REASON_STATUSES,
    Assessment,
    AuthorityResponse,
    Basis,
    FollowUpCheck,
    Progress,
    Reason,
    ResponseItem,
)
from recommendations.models import Status as St
from recommendations.services.assessments import REASON_REQUIRED
from visits.models import ReportStatus, VisitKind
from visits.models.visit import LOCAL_ZONE

from .recommendations import RecommendationPlan
from .texts import EXPLANATIONS, OBSERVATIONS
from .visits import VisitPlan
from .world import Weighted, World, noon

STATED = [
    (St.IMPLEMENTED, 35),
    (St.IN_PROGRESS, 30),
    (St.PARTIALLY_IMPLEMENTED, 15),
    (St.NOT_IMPLEMENTED, 10),
    (St.REJECTED, 6),
    (St.NO_LONGER_APPLICABLE, 4),
]
ON_LETTER = [
    (St.IMPLEMENTED, 28),
    (St.PARTIALLY_IMPLEMENTED, 20),
    (St.IN_PROGRESS, 22),
    (St.NOT_IMPLEMENTED, 18),
    (St.REJECTED, 7),
    (St.NO_LONGER_APPLICABLE, 5),
]
ON_SITE = [
    (St.IMPLEMENTED, 35),
    (St.PARTIALLY_IMPLEMENTED, 25),
    (St.IN_PROGRESS, 10),
    (St.NOT_IMPLEMENTED, 25),
    (St.NO_LONGER_APPLICABLE, 5),
]
ON_OTHER = [
    (St.IMPLEMENTED, 40),
    (St.PARTIALLY_IMPLEMENTED, 20),
    (St.IN_PROGRESS, 20),
    (St.NOT_IMPLEMENTED, 15),
    (St.NO_LONGER_APPLICABLE, 5),
]
# Statuses that close a recommendation: no letter can answer it after one of these.
CLOSING = {St.IMPLEMENTED, St.REJECTED, St.NO_LONGER_APPLICABLE}
PROGRESS = {
    St.IMPLEMENTED: Progress.GOOD,
    St.PARTIALLY_IMPLEMENTED: Progress.REASONABLE,
    St.IN_PROGRESS: Progress.INSUFFICIENT,
    St.NOT_IMPLEMENTED: Progress.NO_MEANINGFUL,
}


STATED, ON_LETTER, ON_SITE, ON_OTHER = (
    Weighted(table) for table in (STATED, ON_LETTER, ON_SITE, ON_OTHER)
)
REASONS = list(Reason.values)


def _pick(rng, table: Weighted):
    return table.pick(rng)


class Compliance:
    """Plans the letters, items, assessments and checklist lines, then writes them."""

    def __init__(self, world: World):
        self.world = world
        self.rng = world.rng("compliance")
        self.letters: list[tuple] = []
        self.items: list[tuple] = []
        self.assessments: list[tuple] = []
        self.checks: list[tuple] = []

    def plan(self, plans: list[VisitPlan], recommendations: list[RecommendationPlan]) -> None:
        # Place: the days and the follow-up visits that took place there, in date order.
        follow_ups: dict[int, tuple[list[dt.date], list[VisitPlan]]] = defaultdict(lambda: ([], []))
        for plan in plans:
            if plan.kind == VisitKind.FOLLOW_UP and plan.took_place:
                days, visits = follow_ups[plan.place.id]
                days.append(plan.start_day)
                visits.append(plan)
        by_visit: dict[int, list[RecommendationPlan]] = defaultdict(list)
        for rec in recommendations:
            by_visit[rec.visit.id].append(rec)
        for plan in plans:
            if plan.report is not None and plan.report.status == ReportStatus.ISSUED:
                self._letters(plan, by_visit[plan.id])
        for rec in recommendations:
            if rec.dispatched_on is not None:
                self._assess(rec, follow_ups[rec.visit.place.id])

    def _letters(self, plan: VisitPlan, recs: list[RecommendationPlan]) -> None:
        rng, yesterday = self.rng, self.world.yesterday
        institution, top = plan.place.chain[0], plan.place.chain[-1]
        # The institution usually answers; the ministry mostly when it does not.
        answered_by_institution = False
        for authority, sent_on in plan.report.sent_on.items():
            if authority == institution:
                chance = 0.82
            elif authority == top:
                chance = 0.02 if answered_by_institution else 0.3
            else:
                chance = 0.04
            if rng.random() >= chance:
                continue
            late = rng.random() < 0.25
            received = sent_on + dt.timedelta(
                days=rng.randint(61, 300) if late else rng.randint(10, 60)
            )
            answered = [r for r in recs if authority in r.addressees and rng.random() < 0.95]
            if received > yesterday or not answered:
                continue
            stated = self._letter(plan, authority, received, answered)
            answered_by_institution |= authority == institution
            # Now and then a second letter on what was still under way.
            pending = [r for r, s in zip(answered, stated, strict=True) if s == St.IN_PROGRESS]
            later = received + dt.timedelta(days=rng.randint(30, 200))
            if pending and later <= yesterday and rng.random() < 0.15:
                self._letter(plan, authority, later, pending)

    def _letter(self, plan: VisitPlan, authority: int, received: dt.date, recs) -> list[str]:
        rng = self.rng
        pk = len(self.letters)  # an index here; the writer adds the first id
        reference = f"{rng.randint(1, 999)}-{rng.randint(100, 9999)}/{received.year}"
        self.letters.append((pk, plan.id, authority, received, reference))
        stated_all = []
        for rec in recs:
            stated = _pick(rng, STATED)
            promised = None
            if stated in (St.IN_PROGRESS, St.PARTIALLY_IMPLEMENTED) and rng.random() < 0.7:
                promised = received + dt.timedelta(days=rng.randint(60, 365))
            self.items.append((pk, rec.id, stated, rng.choice(EXPLANATIONS[stated]), promised))
            rec.letters.append((received, pk, stated))
            stated_all.append(stated)
        return stated_all

    def _assess(self, rec: RecommendationPlan, follow_ups) -> None:
        rng, yesterday = self.rng, self.world.yesterday
        # (assessed on, status, basis, letter id, follow-up visit)
        events: list[tuple[dt.date, str, str, int | None, VisitPlan | None]] = []
        if rec.letters and rng.random() < 0.9:
            received, letter, stated = max(rec.letters)
            day = received + dt.timedelta(days=rng.randint(3, 60))
            if day <= yesterday:
                status = stated if rng.random() < 0.65 else _pick(rng, ON_LETTER)
                events.append((day, status, Basis.RESPONSE, letter, None))
        not_before = rec.issued_on + dt.timedelta(days=14)
        days, visits = follow_ups
        later = visits[bisect.bisect_left(days, not_before) :][:2]  # never its own visit: earlier
        if later and rng.random() < 0.75:
            events.append(
                (later[0].start_day, _pick(rng, ON_SITE), Basis.FOLLOW_UP_VISIT, None, later[0])
            )
            if len(later) > 1 and rng.random() < 0.5:
                events.append(
                    (later[1].start_day, _pick(rng, ON_SITE), Basis.FOLLOW_UP_VISIT, None, later[1])
                )
        if rng.random() < 0.13:
            day = rec.issued_on + dt.timedelta(days=rng.randint(60, 1200))
            if day <= yesterday:
                events.append((day, _pick(rng, ON_OTHER), Basis.OTHER, None, None))
        events.sort(key=lambda e: e[0])  # stable: same-day verdicts keep their order (and pk)
        last_letter = max(rec.letters)[0] if rec.letters else None
        if rec.letters:
            rec.responded_on = min(rec.letters)[0]
            rec.status, rec.status_changed_on = St.RESPONSE_RECEIVED, rec.responded_on
        for day, status, basis, letter, visit in events:
            if basis == Basis.FOLLOW_UP_VISIT and rec.status in CLOSING:
                continue  # closed by then: not on the follow-up visit's checklist
            if last_letter is not None and day < last_letter and status in CLOSING:
                # A letter came after: the recommendation was still open for it to answer.
                status = St.IN_PROGRESS
            self._assessment(rec, day, status, basis, letter, visit)

    def _assessment(self, rec, day, status, basis, letter, visit) -> None:
        rng = self.rng
        reason = ""
        if status in REASON_REQUIRED or (status in REASON_STATUSES and rng.random() < 0.4):
            reason = rng.choice(REASONS)
        on_site = basis == Basis.FOLLOW_UP_VISIT
        pk = len(self.assessments)  # an index here; the writer adds the first id
        note = rng.choice(OBSERVATIONS[status]) if on_site else ""
        progress = PROGRESS.get(status, "") if on_site and rng.random() < 0.6 else ""
        by = visit.head_id if on_site else self.world.compliance_id
        self.assessments.append(
            {
                "recommendation_id": rec.id,
                "status": status,
                "reason": reason,
                "basis": basis,
                "letter": letter,
                "follow_up_visit_id": visit.id if visit else None,
                "verified_on_site": on_site,
                "progress": progress,
                # Encrypted by the field on the way to the database.
                "note": note,
                "assessed_on": day,
                "assessed_by_id": by,
            }
        )
        if on_site:
            self.checks.append((visit, rec.id, note, pk))
        # The latest verdict is the current status (events come in date order).
        rec.status, rec.reason, rec.verified_on_site = status, reason, on_site
        rec.status_changed_on = day

    def write(self) -> None:
        writer = self.world.writer
        letters = writer.ids(AuthorityResponse, len(self.letters)).start
        writer.write(
            "authority responses",
            AuthorityResponse,
            (
                AuthorityResponse(
                    id=letters + index,
                    visit_id=visit,
                    authority_id=authority,
                    received_on=received,
                    reference=reference,
                    recorded_by_id=self.world.compliance_id,
                    created_at=noon(received),
                )
                for index, visit, authority, received, reference in self.letters
            ),
            created_at=True,
        )
        items = self.items
        writer.write(
            "response items",
            ResponseItem,
            (
                ResponseItem(
                    id=pk,
                    response_id=letters + letter,
                    recommendation_id=rec,
                    stated_status=stated,
                    explanation=explanation,
                    promised_by=promised,
                )
                for pk, (letter, rec, stated, explanation, promised) in zip(
                    writer.ids(ResponseItem, len(items)), items, strict=True
                )
            ),
        )
        first = writer.ids(Assessment, len(self.assessments)).start
        writer.write(
            "assessments",
            Assessment,
            (
                Assessment(
                    id=first + index,
                    response_id=None if row["letter"] is None else letters + row["letter"],
                    created_at=noon(row["assessed_on"]),
                    **{name: value for name, value in row.items() if name != "letter"},
                )
                for index, row in enumerate(self.assessments)
            ),
            created_at=True,
        )
        checks = self.checks
        writer.write(
            "follow-up checks",
            FollowUpCheck,
            (
                FollowUpCheck(
                    id=pk,
                    visit_id=visit.id,
                    recommendation_id=rec,
                    observation=note,
                    assessment_id=first + index,
                    recorded_by_id=visit.head_id,
                    recorded_at=visit.end.astimezone(LOCAL_ZONE),
                )
                for pk, (visit, rec, note, index) in zip(
                    writer.ids(FollowUpCheck, len(checks)), checks, strict=True
                )
            ),
        )
