"""Reports of the visits that took place: most issued (a month to half a year after the visit),
the recent ones and a few stuck ones still being drafted or reviewed; their sections; the
dispatches of the issued ones to the recommendations' addressees."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from visits.models import (
    Dispatch,
    Report,
    ReportSection,
    SectionKind,
    SectionStatus,
    VisitStatus,
)
from visits.models.visit import LOCAL_ZONE

from .texts import REVIEW_COMMENTS, SECTION_TEXTS, SECTION_TITLES
from .visits import ReportPlan, VisitPlan
from .world import Weighted, World, noon

RS = Report.Status
SS = SectionStatus
LANGUAGES = Weighted(
    [
        (Report.Language.ENGLISH, 60),
        (Report.Language.SERBIAN_LATIN, 30),
        (Report.Language.SERBIAN_CYRILLIC, 10),
    ]
)
CHANNELS = Weighted([("post", 50), ("email", 20), ("e_delivery", 25), ("hand", 3), ("courier", 2)])
DRAFT_SECTIONS = Weighted(
    [
        (SS.ASSIGNED, 25),
        (SS.DRAFT, 30),
        (SS.SUBMITTED, 20),
        (SS.RETURNED, 10),
        (SS.ACCEPTED, 15),
    ]
)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LOCAL_ZONE)


def plan_reports(world: World, plans: list[VisitPlan]) -> None:
    """A report for every visit in reporting; an issued report closes its visit."""
    rng = world.rng("reports")
    numbers: dict[int, int] = {}
    due = [p for p in plans if p.status == VisitStatus.REPORTING]
    for pk, plan in zip(world.writer.ids(Report, len(due)), due, strict=True):
        numbers[plan.year] = numbers.get(plan.year, 0) + 1
        reference = settings.NPM_REPORT_REFERENCE_PATTERN.format(
            year=plan.year, number=numbers[plan.year]
        )
        issued_on = plan.end_day + dt.timedelta(days=rng.randint(30, 180))
        age = (world.today - plan.end_day).days
        if issued_on <= world.yesterday and rng.random() > 0.015:
            status = RS.ISSUED
            plan.status = VisitStatus.CLOSED
        elif age < 40:
            status, issued_on = rng.choice((RS.DRAFTING, RS.DRAFTING, RS.IN_REVIEW)), None
        else:
            status = rng.choices((RS.DRAFTING, RS.IN_REVIEW, RS.APPROVED), (50, 30, 20))[0]
            issued_on = None
        plan.report = ReportPlan(id=pk, reference=reference, status=status, issued_on=issued_on)


def plan_dispatch(world: World, rng, report: ReportPlan, authorities: list[int], tops: set[int]):
    """The issued report goes to every addressee a few days after it was issued, a ministry
    sometimes a little later."""
    first = min(report.issued_on + dt.timedelta(days=rng.randint(1, 10)), world.yesterday)
    for authority in authorities:
        sent = first
        if authority in tops and rng.random() < 0.3:
            sent = min(first + dt.timedelta(days=rng.randint(1, 5)), world.yesterday)
        report.sent_on[authority] = sent


def write_reports(world: World, plans: list[VisitPlan]) -> None:
    rng = world.rng("report rows")
    with_report = [p for p in plans if p.report is not None]
    rows = []
    for plan in with_report:
        report = plan.report
        row = Report(
            id=report.id,
            visit_id=plan.id,
            reference=report.reference,
            title=f"Report on the visit to {plan.place.name}",
            language=LANGUAGES.pick(rng),
            status=report.status,
            created_by_id=plan.head_id,
            created_at=plan.end + dt.timedelta(days=3),
        )
        if report.status == RS.ISSUED:
            row.approved_by_id = row.issued_by_id = world.head_id
            row.approved_at = _at(report.issued_on - dt.timedelta(days=1), 10)
            row.issued_on = report.issued_on
            row.issued_at = _at(report.issued_on, 11)
            # No PDF is stored for generated reports, and none is to be rendered: the model's
            # state for reports entered in bulk.
            row.imported = True
        elif report.status == RS.APPROVED:
            row.approved_by_id = world.head_id
            row.approved_at = _at(world.today - dt.timedelta(days=rng.randint(1, 20)), 10)
        rows.append(row)
    world.writer.write("reports", Report, rows, created_at=True)
    sections = [s for plan in with_report for s in _sections(world, rng, plan)]
    world.writer.write(
        "report sections",
        ReportSection,
        (
            ReportSection(id=pk, **section)
            for pk, section in zip(
                world.writer.ids(ReportSection, len(sections)), sections, strict=True
            )
        ),
    )


def _sections(world: World, rng, plan: VisitPlan) -> list[dict]:
    report = plan.report
    forced_return = plan.kind == "forced_return"
    themes = [t for t in world.themes if t[2] == forced_return] or world.themes
    kinds: list[tuple[str, tuple | None]] = [("introduction", None), ("place", None)]
    kinds += [
        ("findings", theme)
        for theme in rng.sample(themes, min(len(themes), 2))[: rng.randint(1, 2)]
    ]
    if rng.random() < 0.5:
        kinds.append(("good_practice", None))
    kinds.append(("recommendations", None))
    partners = plan.logins[1:]
    sections = []
    for order, (kind, theme) in enumerate(kinds, start=1):
        if report.status in (RS.ISSUED, RS.APPROVED):
            status = SS.ACCEPTED
        elif report.status == RS.IN_REVIEW:
            status = rng.choice((SS.SUBMITTED, SS.ACCEPTED, SS.ACCEPTED))
        else:
            status = DRAFT_SECTIONS.pick(rng)
        author = rng.choice(partners) if kind == "findings" and partners else plan.head_id
        text = SECTION_TEXTS[kind].format(
            place=plan.place.name,
            capacity=plan.place.capacity,
            theme=theme[3].lower() if theme else "",
        )
        sections.append(
            {
                "report_id": report.id,
                "title": f"Findings: {theme[3]}" if theme else SECTION_TITLES[kind],
                "kind": SectionKind(kind),
                "theme_id": theme[0] if theme else None,
                "order": order * 10,
                "author_id": author,
                # Encrypted by the field on the way to the database, like any save.
                "body": "" if status == SS.ASSIGNED else text,
                "status": status,
                "review_comment": rng.choice(REVIEW_COMMENTS) if status == SS.RETURNED else "",
                "version": 1 if status == SS.ASSIGNED else rng.randint(2, 6),
                "updated_by_id": author,
            }
        )
    return sections


def write_dispatches(world: World, plans: list[VisitPlan]) -> None:
    rng = world.rng("dispatch rows")
    rows = [
        (plan, authority, sent_on, index)
        for plan in plans
        if plan.report is not None
        for index, (authority, sent_on) in enumerate(plan.report.sent_on.items(), start=1)
    ]
    world.writer.write(
        "dispatches",
        Dispatch,
        (
            Dispatch(
                id=pk,
                report_id=plan.report.id,
                authority_id=authority,
                sent_on=sent_on,
                reference=f"{plan.report.reference}/{index}",
                channel=CHANNELS.pick(rng),
                full_version_shared=rng.random() < 0.3,
                recorded_by_id=plan.head_id,
                created_at=noon(sent_on),
            )
            for pk, (plan, authority, sent_on, index) in zip(
                world.writer.ids(Dispatch, len(rows)), rows, strict=True
            )
        ),
    )
