"""Recommendations of every report: theme, priority, addressees (the institution, often the
ministry, sometimes the directorate between), repeats of the same concern raised at earlier visits
to the place; the issued report's dispatches give each its dispatch date and deadline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from recommendations.models import Recommendation
from recommendations.services.due_dates import due_date_for
from visits.models import ReportStatus, VisitKind

from .reports import plan_dispatch
from .texts import recommendation_text
from .visits import VisitPlan
from .world import Weighted, World, scaled

RECOMMENDATIONS_AT_SCALE_1 = 200_000
PRIORITIES = [("urgent", 8), ("high", 22), ("normal", 70)]


@dataclass(slots=True)
class RecommendationPlan:
    id: int
    visit: VisitPlan
    number: int
    theme_id: int
    text: str
    priority: str
    public: bool
    addressees: tuple[int, ...]
    repeats: tuple[int, ...] = ()
    dispatched_on: dt.date | None = None
    due_date: dt.date | None = None
    responded_on: dt.date | None = None
    status: str = Recommendation.Status.AWAITING_RESPONSE
    reason: str = ""
    verified_on_site: bool = False
    status_changed_on: dt.date | None = None
    # Letters answering it: (received on, letter id, stated status).
    letters: list[tuple[dt.date, int, str]] = field(default_factory=list)

    @property
    def issued_on(self) -> dt.date | None:
        return self.visit.report.issued_on


def _addressees(rng, chain: tuple[int, ...]) -> tuple[int, ...]:
    institution, top = chain[0], chain[-1]
    if institution == top:
        return (institution,)
    chosen = []
    if rng.random() < 0.93:
        chosen.append(institution)
    middle = chain[1:-1]
    if middle and rng.random() < 0.45:
        chosen.append(rng.choice(middle))
    if rng.random() < 0.8 or not chosen:
        chosen.append(top)
    return tuple(chosen)


def plan_recommendations(world: World, plans: list[VisitPlan]) -> list[RecommendationPlan]:
    rng = world.rng("recommendations")
    target = scaled(RECOMMENDATIONS_AT_SCALE_1, world.scale)
    reported = [p for p in plans if p.report is not None]
    if not reported:
        return []
    light = (VisitKind.FOLLOW_UP, VisitKind.FORCED_RETURN)
    weights = [rng.uniform(0.4, 1.6) * (0.6 if p.kind in light else 1.0) for p in reported]
    total = sum(weights)
    counts = [max(1, round(target * w / total)) for w in weights]
    ids = iter(world.writer.ids(Recommendation, sum(counts)))
    themes = [t for t in world.themes if not t[2]] or world.themes
    return_themes = [t for t in world.themes if t[2]] or themes
    tops = {place.chain[-1] for place in world.places}
    priorities = Weighted(PRIORITIES)
    # (place, theme) -> [(visit start, recommendation id)] of issued reports, oldest first.
    earlier: dict[tuple[int, int], list[tuple[dt.datetime, int]]] = {}
    recommendations = []
    for plan, count in zip(reported, counts, strict=True):
        pool = return_themes if plan.kind == VisitKind.FORCED_RETURN else themes
        of_visit = []
        for number in range(1, count + 1):
            theme_id, code, _fr, _name = rng.choice(pool)
            found = earlier.get((plan.place.id, theme_id), ())
            before = [pk for start, pk in found[-2:] if start < plan.start]
            repeats = ()
            if before and rng.random() < 0.15:
                repeats = tuple(before[-2:]) if rng.random() < 0.2 else (before[-1],)
            of_visit.append(
                RecommendationPlan(
                    id=next(ids),
                    visit=plan,
                    number=number,
                    theme_id=theme_id,
                    text=recommendation_text(rng, code),
                    priority=priorities.pick(rng),
                    public=rng.random() < 0.6,
                    addressees=_addressees(rng, plan.place.chain),
                    repeats=repeats,
                )
            )
        if plan.report.status == ReportStatus.ISSUED:
            _dispatch(world, rng, plan, of_visit, tops)
            for rec in of_visit:
                earlier.setdefault((plan.place.id, rec.theme_id), []).append((plan.start, rec.id))
        recommendations.extend(of_visit)
    return recommendations


def _dispatch(world: World, rng, plan: VisitPlan, of_visit, tops: set[int]) -> None:
    """Sent to every addressee of its recommendations; each recommendation's deadline runs
    from the first dispatch to any of its addressees (`recommendations_set_due_dates`)."""
    authorities = list(dict.fromkeys(a for rec in of_visit for a in rec.addressees))
    plan_dispatch(world, rng, plan.report, authorities, tops)
    sent_on = plan.report.sent_on
    for rec in of_visit:
        rec.dispatched_on = min(sent_on[a] for a in rec.addressees)
        rec.due_date = due_date_for(sent_on=rec.dispatched_on, priority=rec.priority)
        rec.status_changed_on = rec.dispatched_on


def write_recommendations(world: World, recommendations: list[RecommendationPlan]) -> None:
    writer = world.writer
    writer.write(
        "recommendations",
        Recommendation,
        (
            Recommendation(
                id=rec.id,
                visit_id=rec.visit.id,
                number=rec.number,
                text=rec.text,
                theme_id=rec.theme_id,
                priority=rec.priority,
                public=rec.public,
                dispatched_on=rec.dispatched_on,
                due_date=rec.due_date,
                responded_on=rec.responded_on,
                status=rec.status,
                reason=rec.reason,
                verified_on_site=rec.verified_on_site,
                status_changed_on=rec.status_changed_on,
                created_by_id=rec.visit.head_id,
                # Drafted a few days after the visit.
                created_at=rec.visit.end + dt.timedelta(days=4),
            )
            for rec in recommendations
        ),
        created_at=True,
    )
    addressees = Recommendation.addressees.through
    links = [(rec.id, a) for rec in recommendations for a in rec.addressees]
    writer.write(
        "recommendation addressees",
        addressees,
        (
            addressees(id=pk, recommendation_id=rec, authority_id=authority)
            for pk, (rec, authority) in zip(writer.ids(addressees, len(links)), links, strict=True)
        ),
    )
    repeats = Recommendation.repeats.through
    links = [(rec.id, earlier) for rec in recommendations for earlier in rec.repeats]
    writer.write(
        "recommendation repeats",
        repeats,
        (
            repeats(id=pk, from_recommendation_id=rec, to_recommendation_id=earlier)
            for pk, (rec, earlier) in zip(writer.ids(repeats, len(links)), links, strict=True)
        ),
    )
