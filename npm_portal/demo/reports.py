"""Demo reports on the demo visits, in every state (issued ones with their frozen PDFs), sections
drafted by the demo partner, and the planned follow-up visits' checklists. The issued reports'
scenarios are in `report_scenarios` (the one written in Serbian and issued in Cyrillic in
`report_serbian`); their recommendations, letters, assessments and follow-up checks are recorded
by `recommendations`. Everything goes through the services a user's clicks would call; only the
dates are historical (reports issued years ago).
"""

from __future__ import annotations

from collections import Counter

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from recommendations import services
from recommendations.models import Recommendation
from visits import services as visit_services
from visits.models import Place, Report, ReportLanguage, ReportStatus, SectionStatus, Visit

from .recommendations import issue_and_follow_up, recommendations_of, visit_for
from .report_scenarios import (
    KRNJACA_2016,
    KRNJACA_2024,
    KRUSEVAC,
    LAZAREVIC_2023,
    NIS_2022,
    NOVI_SAD_2019,
    SREMSKA_MITROVICA_2014,
    SREMSKA_MITROVICA_2025,
)
from .report_serbian import SPECIAL_PRISON_HOSPITAL_2022

P = Recommendation.Priority

# Reports still in the making.
GORNJA_TOPONICA = {
    "place": "Special Hospital for Psychiatric Diseases Gornja Toponica",
    "year": 2026,
    "state": ReportStatus.APPROVED,
    "recommendations": [
        (
            "use-of-force",
            P.URGENT,
            True,
            "both",
            "End the practice of restraining patients for days: limit mechanical restraint to "
            "the shortest time, under continuous supervision, and record it.",
        ),
        (
            "mental-health",
            P.HIGH,
            False,
            "ministry",
            "Prepare individual discharge plans for long-term patients.",
        ),
    ],
}
PRESEVO_2025 = {
    "place": "Reception Centre Preševo",
    "year": 2025,
    "state": ReportStatus.IN_REVIEW,
    "recommendations": [
        (
            "vulnerable-groups",
            P.HIGH,
            True,
            "institution",
            "Provide families with children separate rooms with beds for each person.",
        ),
    ],
}
POZAREVAC_WOMEN = {
    "place": "Correctional Institution for Women Požarevac",
    "year": 2025,
    "state": ReportStatus.DRAFTING,
    "partner_sections": True,
    "recommendations": [
        (
            "health-care",
            P.NORMAL,
            False,
            "institution",
            "Provide gynaecological examinations on admission and at regular intervals.",
        ),
    ],
}

SCENARIOS = [
    KRUSEVAC,
    SREMSKA_MITROVICA_2014,
    KRNJACA_2016,
    NOVI_SAD_2019,
    NIS_2022,
    LAZAREVIC_2023,
    KRNJACA_2024,
    SREMSKA_MITROVICA_2025,
    SPECIAL_PRISON_HOSPITAL_2022,
    GORNJA_TOPONICA,
    PRESEVO_2025,
    POZAREVAC_WOMEN,
]

PARTNER_TEXT = (
    "The partner expert interviewed detained persons in private and examined the registers.\n\n"
    "- Most interviewees described the staff's attitude as correct.\n"
    "- Several said that they had not been informed of their rights in writing.\n\n"
    "See the [CPT standards](https://www.coe.int/en/web/cpt/standards) on safeguards."
)


def _section_text(section, visit: Visit) -> str:
    kind = section.kind
    if kind == "introduction":
        announced = "announced" if visit.announced else "unannounced"
        return (
            f"The visit to {visit.place.name} was {announced} and took place on "
            f"{timezone.localtime(visit.start):%d.%m.%Y}. It was carried out under Articles 19 "
            "and 20 of the Optional Protocol to the Convention against Torture (OPCAT).\n\n"
            "The team talked in private with persons deprived of liberty and with staff, "
            "inspected the premises and examined the registers."
        )
    if kind == "place":
        present = f"{visit.present} persons were present" if visit.present else "Occupancy"
        return (
            f"{visit.place.name} ({visit.place.get_category_display().lower()}) is in "
            f"{visit.place.municipality}, {visit.place.district}. {present} on the day of the "
            "visit."
        )
    if kind == "findings":
        texts = [f.text for f in visit.findings.all() if f.theme_id == section.theme_id]
        return "\n\n".join(texts) or "The team made no findings on this theme."
    if kind == "good_practice":
        texts = [f.text for f in visit.findings.all() if f.kind == "good_practice"]
        return "\n\n".join(f"- {t}" for t in texts) or "No particular good practice was noted."
    return "The recommendations are listed in the annex, with the authorities they address."


def _people() -> dict[str, object]:
    users = get_user_model().objects.filter(username__in=["head", "staff", "partner", "partner2"])
    return {u.username: u for u in users}


def _write_sections(report: Report, people, scenario) -> None:
    """Every section written; with `partner_sections`, the findings sections are the
    partner's (when they are on the team)."""
    staff, partner = people["staff"], people.get("partner")
    eligible = {u.pk for u in visit_services.eligible_authors(report.visit)}
    partner_on_team = partner is not None and partner.pk in eligible
    for section in report.sections.order_by("order"):
        author = staff
        if scenario.get("partner_sections") and partner_on_team and section.kind == "findings":
            author = partner
        if section.author_id != author.pk:
            visit_services.section_update_settings(
                section=section,
                by=staff,
                title=section.title,
                kind=section.kind,
                theme=section.theme,
                order=section.order,
                author=author,
                confidential=section.kind == "findings" and section.theme is not None,
            )
            section.refresh_from_db()
        body = scenario.get("section_text", _section_text)(section, report.visit)
        if author == partner:
            body = f"{body}\n\n{PARTNER_TEXT}"
        visit_services.section_save(
            section=section, body=body, base_version=section.version, by=author
        )


def _drafting(report: Report, people) -> None:
    """Partly written: the partner's section in draft, one returned, one never started."""
    staff, partner = people["staff"], people.get("partner")
    sections = list(report.sections.order_by("order"))
    eligible = {u.pk for u in visit_services.eligible_authors(report.visit)}
    if partner is not None and partner.pk in eligible:
        section = visit_services.section_create(
            report=report,
            by=staff,
            title="Health care of women prisoners",
            kind="other",
            author=partner,
            order=35,
            confidential=True,
        )
        visit_services.section_save(
            section=section, body=PARTNER_TEXT, base_version=section.version, by=partner
        )
        visit_services.section_create(
            report=report,
            by=staff,
            title="Contact with children and families",
            kind="other",
            author=partner,
            order=36,
        )
    first, second = sections[0], sections[1]
    for section in (first, second):
        visit_services.section_update_settings(
            section=section,
            by=staff,
            title=section.title,
            kind=section.kind,
            theme=section.theme,
            order=section.order,
            author=staff,
        )
        section.refresh_from_db()
    visit_services.section_save(
        section=first,
        body=_section_text(first, report.visit),
        base_version=first.version,
        by=staff,
    )
    visit_services.section_submit(section=first, by=staff)
    visit_services.section_save(
        section=second,
        body=_section_text(second, report.visit),
        base_version=second.version,
        by=staff,
    )
    visit_services.section_submit(section=second, by=staff)
    visit_services.section_return(
        section=second,
        comment="Add the capacity and the number of women present on the day.",
        by=people["head"],
    )


def _accept_all(report: Report, people) -> None:
    for section in report.sections.order_by("order"):
        author = section.author or people["staff"]
        if section.status != SectionStatus.SUBMITTED:
            visit_services.section_submit(section=section, by=author)
        visit_services.section_accept(section=section, by=people["staff"])


def _scenario(scenario, people, created: Counter) -> None:
    visit = visit_for(scenario["place"], scenario["year"])
    if visit is None or Report.objects.filter(visit=visit).exists():
        return
    staff, head = people["staff"], people["head"]
    language = scenario.get("language", ReportLanguage.ENGLISH)
    report = visit_services.report_create(visit=visit, by=staff, language=language)
    created["reports"] += 1
    state = scenario["state"]
    numbered = recommendations_of(visit, scenario, people, created)
    if state == ReportStatus.DRAFTING:
        _drafting(report, people)
        return
    _write_sections(report, people, scenario)
    _accept_all(report, people)
    visit_services.report_submit_for_review(report=report, by=staff)
    if state == ReportStatus.IN_REVIEW:
        return
    visit_services.report_approve(report=report, by=head)
    if state == ReportStatus.APPROVED:
        return
    issue_and_follow_up(report, scenario, people, numbered, created)


@transaction.atomic
def load() -> dict[str, int]:
    created: Counter[str] = Counter(
        dict.fromkeys(["reports", "recommendations", "authority responses", "assessments"], 0)
    )
    people = _people()
    people["compliance"] = get_user_model().objects.filter(username="compliance").first()
    if not all(people.get(k) for k in ("head", "staff", "compliance")):
        return dict(created)
    if not Place.objects.exists():
        return dict(created)
    for scenario in SCENARIOS:
        _scenario(scenario, people, created)
    # Planned follow-up visits: their checklists list the place's open recommendations.
    for visit in Visit.objects.filter(kind=Visit.Kind.FOLLOW_UP, status=Visit.Status.PLANNED):
        services.follow_up_checklist_prefill(visit=visit)
    return dict(created)
