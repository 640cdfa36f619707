"""Demo reports and recommendations on the demo visits: reports in every state (issued ones with
their frozen PDFs), sections drafted by the demo partner, recommendations with authority letters
and assessments in every status, overdue ones, repeats across years, follow-up checklists.

Everything goes through the services a user's clicks would call; only the dates are historical
(reports issued years ago). The Kruševac case follows the seeds: a night visit in June 2014, a
response in August 2014 complying with most recommendations but not renovating the detention
premises for lack of material resources, and in January 2015 two new detention rooms being
equipped. The 2015 follow-up visit that verifies them, and the letters' reference numbers, are
invented for the demo.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from visits import report_services
from visits.models import Authority, Place, Report, ReportStatus, SectionStatus, Visit
from visits.models.visit import LOCAL_ZONE

from . import authoring, services
from .models import Assessment, FollowUpCheck, Recommendation, Theme

S = Recommendation.Status
R = Recommendation.Reason
P = Recommendation.Priority
B = Assessment.Basis

# A recommendation: (theme code, priority, public, addressed to "institution" / "ministry" /
# "both", text). Numbers follow the order.
# Letters: (who, received on, reference, {number: (stated status, explanation, promised by)}).
# Assessments: (number, assessed on, status, reason, basis, note); basis "response" refers to
# the latest letter covering the recommendation.
KRUSEVAC = {
    "place": "Police Department Kruševac",
    "year": 2014,
    "state": ReportStatus.ISSUED,
    "issued_on": dt.date(2014, 7, 10),
    "dispatched_on": dt.date(2014, 7, 14),
    "recommendations": [
        (
            "material-conditions",
            P.HIGH,
            True,
            "both",
            "Renovate the detention premises so that every room has access to natural light, "
            "artificial lighting sufficient for reading, ventilation, heating and a call bell.",
        ),
        (
            "legal-safeguards",
            P.NORMAL,
            True,
            "institution",
            "Inform every person deprived of liberty of their rights in writing, in a language "
            "they understand, from the very outset, and keep the signed acknowledgement in the "
            "case file.",
        ),
        (
            "registers",
            P.NORMAL,
            True,
            "institution",
            "Record in the detention register the time of every transfer, meal, visit of a "
            "doctor and lawyer, and of release.",
        ),
        (
            "health-care",
            P.NORMAL,
            False,
            "institution",
            "Ensure that detained persons who ask for a doctor or show injuries are examined "
            "without police officers present, and that injuries are recorded.",
        ),
        (
            "staff-training",
            P.NORMAL,
            True,
            "ministry",
            "Train police officers of the Department on the prohibition of ill-treatment and "
            "on the rights of detained persons.",
        ),
    ],
    "letters": [
        (
            "institution",
            dt.date(2014, 8, 22),
            "01-236-4/14",
            {
                1: (
                    S.NOT_IMPLEMENTED,
                    "The detention premises could not be renovated for lack of material "
                    "resources; renovation is planned when funds are allocated.",
                    None,
                ),
                2: (S.IMPLEMENTED, "A written notice of rights in six languages is in use.", None),
                3: (S.IMPLEMENTED, "The register was amended as recommended.", None),
                4: (S.IMPLEMENTED, "An instruction to officers was issued.", None),
            },
        ),
        (
            "ministry",
            dt.date(2014, 9, 5),
            "072-1893/14",
            {
                1: (
                    S.IN_PROGRESS,
                    "Renovation of detention premises is in the Ministry's plan.",
                    dt.date(2015, 12, 31),
                ),
                5: (S.IMPLEMENTED, "The training was held in September 2014.", None),
            },
        ),
        (
            "institution",
            dt.date(2015, 1, 20),
            "01-236-11/15",
            {
                1: (
                    S.IN_PROGRESS,
                    "Two new detention rooms are being equipped in accordance with the "
                    "applicable standards.",
                    dt.date(2015, 4, 30),
                ),
            },
        ),
    ],
    "assessments": [
        (2, dt.date(2014, 9, 1), S.IMPLEMENTED, "", B.RESPONSE, "Notice of rights seen."),
        (3, dt.date(2014, 9, 1), S.IMPLEMENTED, "", B.RESPONSE, ""),
        (4, dt.date(2014, 9, 1), S.IMPLEMENTED, "", B.RESPONSE, ""),
        (
            1,
            dt.date(2014, 9, 1),
            S.NOT_IMPLEMENTED,
            R.LACK_OF_FUNDS,
            B.RESPONSE,
            "Not renovated for lack of material resources.",
        ),
        (5, dt.date(2014, 9, 15), S.IMPLEMENTED, "", B.RESPONSE, ""),
        (
            1,
            dt.date(2015, 1, 26),
            S.IN_PROGRESS,
            R.LACK_OF_INFRASTRUCTURE,
            B.RESPONSE,
            "Two new detention rooms being equipped.",
        ),
    ],
    # A follow-up visit verifies the two new rooms (invented for the demo).
    "follow_up": {
        "start": (2015, 6, 9, 10, 0),
        "checks": {
            1: (
                S.IMPLEMENTED,
                "Two new detention rooms in use: natural light, call bells, ventilation.",
            )
        },
    },
}

KRNJACA_2016 = {
    "place": "Asylum Centre Krnjača",
    "year": 2016,
    "state": ReportStatus.ISSUED,
    "issued_on": dt.date(2017, 2, 8),
    "dispatched_on": dt.date(2017, 2, 10),
    "recommendations": [
        (
            "material-conditions",
            P.HIGH,
            True,
            "both",
            "Reduce overcrowding of the barracks and provide heating in every dormitory during "
            "the winter.",
        ),
        (
            "vulnerable-groups",
            P.URGENT,
            True,
            "institution",
            "Accommodate unaccompanied children separately from unrelated adults, with a "
            "guardian appointed without delay.",
        ),
        (
            "outside-contact",
            P.NORMAL,
            True,
            "institution",
            "Provide interpretation for residents in their contacts with the centre's staff and "
            "doctors.",
        ),
    ],
    "letters": [
        (
            "institution",
            dt.date(2017, 3, 20),
            "019-44/17",
            {
                1: (
                    S.PARTIALLY_IMPLEMENTED,
                    "Heating installed in two barracks; no funds for the rest.",
                    None,
                ),
                2: (S.IMPLEMENTED, "A separate wing for children was opened.", None),
                3: (S.REJECTED, "Interpretation is the responsibility of NGOs.", None),
            },
        ),
    ],
    "assessments": [
        (1, dt.date(2017, 4, 3), S.PARTIALLY_IMPLEMENTED, R.LACK_OF_FUNDS, B.RESPONSE, ""),
        (2, dt.date(2017, 4, 3), S.IMPLEMENTED, "", B.RESPONSE, ""),
        (3, dt.date(2017, 4, 3), S.REJECTED, R.AUTHORITY_DISAGREES, B.RESPONSE, ""),
    ],
}

SREMSKA_MITROVICA_2014 = {
    "place": "Correctional Institution Sremska Mitrovica",
    "year": 2014,
    "state": ReportStatus.ISSUED,
    "issued_on": dt.date(2015, 2, 2),
    "dispatched_on": dt.date(2015, 2, 4),
    "recommendations": [
        (
            "regime",
            P.NORMAL,
            True,
            "both",
            "Offer prisoners in the closed ward at least two hours of outdoor exercise and "
            "organised activities every day.",
        ),
        (
            "health-care",
            P.HIGH,
            False,
            "institution",
            "Close the basement infirmary and move its patients to the prison hospital.",
        ),
    ],
    "letters": [
        (
            "institution",
            dt.date(2015, 4, 1),
            "4-112/15",
            {
                1: (S.NOT_IMPLEMENTED, "Not enough guards to supervise activities.", None),
                2: (S.NO_LONGER_APPLICABLE, "The basement infirmary was closed in 2015.", None),
            },
        ),
    ],
    "assessments": [
        (1, dt.date(2015, 4, 15), S.NOT_IMPLEMENTED, R.LACK_OF_STAFF, B.RESPONSE, ""),
        (2, dt.date(2015, 4, 15), S.NO_LONGER_APPLICABLE, "", B.RESPONSE, ""),
    ],
}

NOVI_SAD_2019 = {
    "place": "District Prison in Novi Sad",
    "year": 2019,
    "state": ReportStatus.ISSUED,
    "issued_on": dt.date(2019, 5, 6),
    "dispatched_on": dt.date(2019, 5, 9),
    "partner_sections": True,
    "recommendations": [
        (
            "legal-safeguards",
            P.NORMAL,
            True,
            "institution",
            "Allow remand prisoners to talk with their lawyers in private, out of the hearing of "
            "guards.",
        ),
        (
            "food-hygiene",
            P.NORMAL,
            True,
            "institution",
            "Provide prisoners with sufficient hygiene products free of charge.",
        ),
    ],
    "letters": [
        (
            "institution",
            dt.date(2019, 7, 2),
            "2-301/19",
            {
                1: (S.IN_PROGRESS, "A room for lawyers is being adapted.", dt.date(2019, 12, 1)),
                2: (S.IMPLEMENTED, "Hygiene packages are handed out monthly.", None),
            },
        ),
    ],
    # No assessment yet: both stay "response received".
    "assessments": [],
}

NIS_2022 = {
    "place": "Police Administration Niš detention unit",
    "year": 2022,
    "state": ReportStatus.ISSUED,
    "issued_on": dt.date(2022, 5, 10),
    "dispatched_on": dt.date(2022, 5, 12),
    "recommendations": [
        (
            "material-conditions",
            P.HIGH,
            True,
            "both",
            "Renovate the detention rooms so that each has access to natural light, "
            "ventilation and a call bell.",
        ),
        (
            "use-of-force",
            P.URGENT,
            True,
            "ministry",
            "Remove the metal rings fixed to the walls of the interview rooms and forbid "
            "attaching detained persons to fixed objects.",
        ),
    ],
    # Repeats: (number, place of the earlier visit, its year, its recommendation number).
    "repeats": [(1, "Police Department Kruševac", 2014, 1)],
    "letters": [
        (
            "institution",
            dt.date(2022, 6, 30),
            "03-778/22",
            {1: (S.NOT_IMPLEMENTED, "No funds for renovation in the 2022 budget.", None)},
        ),
    ],
    "assessments": [
        (1, dt.date(2022, 7, 11), S.NOT_IMPLEMENTED, R.LACK_OF_FUNDS, B.RESPONSE, ""),
    ],
}

LAZAREVIC_2023 = {
    "place": "Clinic for Psychiatric Diseases “Dr Laza Lazarević”",
    "year": 2023,
    "state": ReportStatus.ISSUED,
    "issued_on": dt.date(2023, 7, 3),
    "dispatched_on": dt.date(2023, 7, 5),
    "partner_sections": True,
    "recommendations": [
        (
            "use-of-force",
            P.HIGH,
            True,
            "both",
            "Record every use of mechanical restraint in a dedicated register, with its "
            "duration, the doctor who ordered it and the continuous supervision provided.",
        ),
        (
            "mental-health",
            P.NORMAL,
            True,
            "ministry",
            "Develop community-based services so that long-term patients can be discharged.",
        ),
    ],
    "letters": [
        (
            "institution",
            dt.date(2023, 8, 28),
            "1520/23",
            {1: (S.IMPLEMENTED, "A restraint register was introduced in August 2023.", None)},
        ),
        (
            "ministry",
            dt.date(2023, 9, 12),
            "500-01-77/23",
            {2: (S.IN_PROGRESS, "A deinstitutionalisation strategy is being drafted.", None)},
        ),
    ],
    "assessments": [
        (1, dt.date(2023, 9, 20), S.IMPLEMENTED, "", B.RESPONSE, "Register seen in copy."),
        (2, dt.date(2023, 9, 20), S.IN_PROGRESS, R.LEGAL_CHANGE_NEEDED, B.RESPONSE, ""),
    ],
}

KRNJACA_2024 = {
    "place": "Asylum Centre Krnjača",
    "year": 2024,
    "state": ReportStatus.ISSUED,
    "issued_on": dt.date(2024, 8, 20),
    "dispatched_on": dt.date(2024, 8, 26),
    "recommendations": [
        (
            "material-conditions",
            P.HIGH,
            True,
            "both",
            "Reduce overcrowding of the barracks and repair the heating of the dormitories "
            "before the winter.",
        ),
        (
            "vulnerable-groups",
            P.URGENT,
            False,
            "institution",
            "Identify victims of trafficking among new arrivals and refer them to the Centre "
            "for the Protection of Victims of Trafficking.",
        ),
    ],
    "repeats": [(1, "Asylum Centre Krnjača", 2016, 1)],
    # No answer: both overdue.
    "letters": [],
    "assessments": [],
}

# Relative to the day the demo is loaded: a response due within a week, an urgent one overdue.
SREMSKA_MITROVICA_2025 = {
    "place": "Correctional Institution Sremska Mitrovica",
    "year": 2025,
    "state": ReportStatus.ISSUED,
    "issued_days_ago": 56,
    "dispatched_days_ago": 53,
    "partner_sections": True,
    "recommendations": [
        (
            "regime",
            P.NORMAL,
            True,
            "both",
            "Offer prisoners in the closed ward at least two hours of outdoor exercise and "
            "organised activities every day.",
        ),
        (
            "discipline",
            P.URGENT,
            True,
            "institution",
            "Stop placing prisoners in solitary confinement for longer than the law allows and "
            "record every placement.",
        ),
    ],
    "repeats": [(1, "Correctional Institution Sremska Mitrovica", 2014, 1)],
    "letters": [],
    "assessments": [],
}

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


def _visit_for(place_name: str, year: int) -> Visit | None:
    return (
        Visit.objects.filter(place__name=place_name, year=year)
        .exclude(kind=Visit.Kind.FOLLOW_UP)
        .order_by("planned_start")
        .first()
    )


def _addressees(visit: Visit, who: str) -> list[Authority]:
    institution = visit.place.authority
    ministry = institution
    while ministry.parent_id:
        ministry = ministry.parent
    return {
        "institution": [institution],
        "ministry": [ministry],
        "both": list(dict.fromkeys([institution, ministry])),
    }[who]


def _write_sections(report: Report, people, scenario) -> None:
    """Every section written; with `partner_sections`, the findings sections are the
    partner's (when they are on the team)."""
    staff, partner = people["staff"], people.get("partner")
    eligible = {u.pk for u in report_services.eligible_authors(report.visit)}
    partner_on_team = partner is not None and partner.pk in eligible
    for section in report.sections.order_by("order"):
        author = staff
        if scenario.get("partner_sections") and partner_on_team and section.kind == "findings":
            author = partner
        if section.author_id != author.pk:
            report_services.section_update_settings(
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
        body = _section_text(section, report.visit)
        if author == partner:
            body = f"{body}\n\n{PARTNER_TEXT}"
        report_services.section_save(
            section=section, body=body, base_version=section.version, by=author
        )


def _drafting(report: Report, people) -> None:
    """Partly written: the partner's section in draft, one returned, one never started."""
    staff, partner = people["staff"], people.get("partner")
    sections = list(report.sections.order_by("order"))
    eligible = {u.pk for u in report_services.eligible_authors(report.visit)}
    if partner is not None and partner.pk in eligible:
        section = report_services.section_create(
            report=report,
            by=staff,
            title="Health care of women prisoners",
            kind="other",
            author=partner,
            order=35,
            confidential=True,
        )
        report_services.section_save(
            section=section, body=PARTNER_TEXT, base_version=section.version, by=partner
        )
        report_services.section_create(
            report=report,
            by=staff,
            title="Contact with children and families",
            kind="other",
            author=partner,
            order=36,
        )
    first, second = sections[0], sections[1]
    for section in (first, second):
        report_services.section_update_settings(
            section=section,
            by=staff,
            title=section.title,
            kind=section.kind,
            theme=section.theme,
            order=section.order,
            author=staff,
        )
        section.refresh_from_db()
    report_services.section_save(
        section=first,
        body=_section_text(first, report.visit),
        base_version=first.version,
        by=staff,
    )
    report_services.section_submit(section=first, by=staff)
    report_services.section_save(
        section=second,
        body=_section_text(second, report.visit),
        base_version=second.version,
        by=staff,
    )
    report_services.section_submit(section=second, by=staff)
    report_services.section_return(
        section=second,
        comment="Add the capacity and the number of women present on the day.",
        by=people["head"],
    )


def _accept_all(report: Report, people) -> None:
    for section in report.sections.order_by("order"):
        author = section.author or people["staff"]
        if section.status != SectionStatus.SUBMITTED:
            report_services.section_submit(section=section, by=author)
        report_services.section_accept(section=section, by=people["staff"])


def _recommendations(visit: Visit, scenario, people, created: Counter) -> dict[int, object]:
    themes = {t.code: t for t in Theme.objects.all()}
    numbered = {}
    for theme, priority, public, who, text in scenario.get("recommendations", []):
        recommendation = authoring.recommendation_create(
            visit=visit,
            text=text,
            theme=themes.get(theme),
            addressees=_addressees(visit, who),
            priority=priority,
            public=public,
            by=people["staff"],
        )
        numbered[recommendation.number] = recommendation
        created["recommendations"] += 1
    # Drafted after the visit, not on the day the demo is loaded (the timeline shows it).
    drafted = (visit.actual_end or visit.planned_end) + dt.timedelta(days=3)
    Recommendation.objects.filter(pk__in=[r.pk for r in numbered.values()]).update(
        created_at=min(drafted, timezone.now())
    )
    for number, place_name, year, earlier_number in scenario.get("repeats", []):
        earlier_visit = _visit_for(place_name, year)
        earlier = Recommendation.objects.filter(visit=earlier_visit, number=earlier_number).first()
        if earlier is not None:
            authoring.repeat_link(
                recommendation=numbered[number], earlier=earlier, by=people["staff"]
            )
    return numbered


def _letter_before(responses: list, day: dt.date):
    """The latest of `responses` received on or before `day`."""
    earlier = [r for r in responses if r.received_on <= day]
    return max(earlier, key=lambda r: r.received_on) if earlier else None


def _issue_and_follow_up(report: Report, scenario, people, numbered, created: Counter) -> None:
    head, staff = people["head"], people["staff"]
    today = timezone.localdate()
    issued_on = scenario.get("issued_on") or today - dt.timedelta(days=scenario["issued_days_ago"])
    report = report_services.report_issue(report=report, by=head, issued_on=issued_on)
    # Approved shortly before it was issued, as it would have been.
    approved_at = dt.datetime.combine(issued_on, dt.time(10), tzinfo=LOCAL_ZONE)
    Report.objects.filter(pk=report.pk).update(approved_at=approved_at - dt.timedelta(days=1))
    sent_on = scenario.get("dispatched_on") or today - dt.timedelta(
        days=scenario["dispatched_days_ago"]
    )
    # Fresh: the visit cached on the old report object still holds the approved report.
    visit = Visit.objects.select_related("place__authority").get(pk=report.visit_id)
    for index, authority in enumerate(_addressees(visit, "both")):
        report_services.dispatch_record(
            report=report,
            authority=authority,
            sent_on=sent_on,
            reference=f"{report.reference}/{index + 1}",
            channel="post",
            by=staff,
        )
    letters: dict[int, list] = {}
    for who, received_on, reference, items in scenario.get("letters", []):
        authority = _addressees(visit, who)[0]
        response = services.response_record(
            visit=visit,
            authority=authority,
            received_on=received_on,
            reference=reference,
            items=[
                {
                    "recommendation": numbered[number],
                    "stated_status": stated,
                    "explanation": explanation,
                    "promised_by": promised,
                }
                for number, (stated, explanation, promised) in items.items()
            ],
            by=people["compliance"],
        )
        created["authority responses"] += 1
        for number in items:
            letters.setdefault(number, []).append(response)
    for number, assessed_on, status, reason, basis, note in scenario.get("assessments", []):
        services.assessment_record(
            recommendation=numbered[number],
            status=status,
            reason=reason,
            basis=basis,
            response=_letter_before(letters.get(number, []), assessed_on)
            if basis == B.RESPONSE
            else None,
            note=note,
            assessed_on=assessed_on,
            by=people["compliance"],
        )
        created["assessments"] += 1
    follow_up = scenario.get("follow_up")
    if follow_up:
        start = dt.datetime(*follow_up["start"], tzinfo=LOCAL_ZONE)
        end = start + dt.timedelta(hours=3)
        number = (Visit.objects.filter(year=start.year).order_by("-number").first()).number + 1
        check_visit = Visit.objects.create(
            place=visit.place,
            year=start.year,
            number=number,
            kind=Visit.Kind.FOLLOW_UP,
            planned_start=start,
            planned_end=end,
            actual_start=start,
            actual_end=end,
            status=Visit.Status.CLOSED,
            purpose="Follow-up of the recommendations of the visit of "
            f"{timezone.localtime(visit.start):%d.%m.%Y}.",
            created_by=staff,
        )
        created["follow-up visits"] += 1
        services.follow_up_checklist_prefill(visit=check_visit)
        for number, (status, observation) in follow_up["checks"].items():
            check = FollowUpCheck.objects.get(visit=check_visit, recommendation=numbered[number])
            services.follow_up_check_record(
                check=check, observation=observation, status=status, by=staff
            )
            created["assessments"] += 1


def _scenario(scenario, people, created: Counter) -> None:
    visit = _visit_for(scenario["place"], scenario["year"])
    if visit is None or Report.objects.filter(visit=visit).exists():
        return
    staff, head = people["staff"], people["head"]
    report = report_services.report_create(visit=visit, by=staff)
    created["reports"] += 1
    state = scenario["state"]
    numbered = _recommendations(visit, scenario, people, created)
    if state == ReportStatus.DRAFTING:
        _drafting(report, people)
        return
    _write_sections(report, people, scenario)
    _accept_all(report, people)
    report_services.report_submit_for_review(report=report, by=staff)
    if state == ReportStatus.IN_REVIEW:
        return
    report_services.report_approve(report=report, by=head)
    if state == ReportStatus.APPROVED:
        return
    _issue_and_follow_up(report, scenario, people, numbered, created)


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
