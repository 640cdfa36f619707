"""Demo visits: about forty visits over the years, with teams and findings: the seed stories
(`visit_stories`), routine visits and upcoming ones. Interviews and the forced-return operation
are in `visit_records`.

Loaded by `python manage.py load_demo` after the registry and partners loaders; creates only what
is missing (get_or_create throughout), so running it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.contrib.auth import get_user_model
from django.db.models import Max
from django.utils import timezone

from partners.models import Member
from visits.models import Finding, Place, TeamMember, Visit
from visits.models.visit import LOCAL_ZONE

from . import visit_records
from .visit_stories import VISITS

KIND = Visit.Kind
S = Visit.Status

# More regular visits across categories and years: (place, year, month, team of partners).
ROUTINE: list[tuple[str, int, int, list[tuple[str, str]]]] = [
    ("District Prison in Belgrade", 2015, 4, []),
    ("Correctional Institution Požarevac – Zabela", 2015, 11, []),
    ("Correctional Institution for Juveniles Valjevo", 2016, 5, []),
    ("Special Hospital for Psychiatric Diseases “Dr Slavoljub Bakalović” Vršac", 2016, 9, []),
    ("Home for Adults with Intellectual Disabilities “Čurug”", 2017, 6, []),
    ("Border Crossing Batrovci holding room", 2017, 10, []),
    ("Educational Correctional Institution Kruševac", 2018, 4, []),
    ("Military Police detention premises Belgrade", 2018, 9, []),
    ("District Prison in Novi Sad", 2019, 2, [("partner", "member")]),
    ("Correctional Institution Niš", 2019, 6, [("partner2", "member")]),
    (
        "Home for Children and Youth with Developmental Disabilities “Sremčica”",
        2020,
        10,
        [("Marija Nikolić", "medical")],
    ),
    ("Border Crossing Horgoš holding room", 2021, 4, [("partner", "member")]),
    ("Higher Court in Belgrade holding cells", 2021, 9, []),
    ("Police Administration Niš detention unit", 2022, 3, [("partner2", "member")]),
    ("Special Prison Hospital in Belgrade", 2022, 11, [("Tamara Lukić", "medical")]),
    ("Clinic for Psychiatric Diseases “Dr Laza Lazarević”", 2023, 5, [("partner", "member")]),
    ("Centre for the Protection of Infants, Children and Youth Belgrade", 2023, 10, []),
    ("Urgent reception shelter for victims of human trafficking", 2024, 2, [("partner", "member")]),
    ("Asylum Centre Krnjača", 2024, 6, [("partner2", "member")]),
    ("Reception Centre Preševo", 2025, 4, [("Dragan Petrović", "member")]),
    ("Correctional Institution Sremska Mitrovica", 2025, 6, [("partner2", "member")]),
]

# Upcoming visits, relative to the first load: (place, days ahead, start hour, hours, team).
UPCOMING: list[tuple[str, int, int, int, list[tuple[str, str]]]] = [
    (
        "Police Administration Novi Sad detention unit",
        12,
        21,
        5,
        [("staff", "head"), ("partner", "member")],
    ),
    ("Asylum Centre Krnjača", 25, 9, 6, [("staff", "head"), ("partner2", "member")]),
    ("Home for Persons with Disabilities “Kulina”", 40, 9, 7, [("head", "head")]),
    ("Police Department Kruševac", 55, 23, 4, [("staff", "head")]),
]


def _at(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LOCAL_ZONE)


def _people() -> dict[str, object]:
    users = get_user_model().objects.filter(username__in=["staff", "head", "partner", "partner2"])
    people: dict[str, object] = {u.username: u for u in users}
    members = Member.objects.select_related("user")
    for member in members:
        people[member.full_name] = member
        if member.user_id and member.user.username in ("partner", "partner2"):
            # Demo partner accounts are on teams through their Member record.
            people[member.user.username] = member
    return people


def _visit(place: Place, start: dt.datetime, end: dt.datetime, **fields) -> tuple[Visit, bool]:
    """Find the demo visit by place and planned start, or create it with the next number."""
    existing = Visit.objects.filter(place=place, planned_start=start).first()
    if existing:
        return existing, False
    year = start.year
    number = (Visit.objects.filter(year=year).aggregate(n=Max("number"))["n"] or 0) + 1
    visit, created = Visit.objects.get_or_create(
        place=place,
        planned_start=start,
        defaults={"planned_end": end, "year": year, "number": number, **fields},
    )
    return visit, created


def load() -> dict[str, int]:
    created: Counter[str] = Counter(
        dict.fromkeys(
            [
                "visits",
                "team members",
                "findings",
                "return operations",
                "interviews",
                "interviewee identities",
                "follow-up items",
            ],
            0,
        )
    )
    places = {p.name: p for p in Place.objects.all()}
    people = _people()
    themes = {t.code: t for t in Finding.theme.field.related_model.objects.all()}
    staff = people.get("staff")

    def add_team(visit: Visit, team) -> None:
        for who, role in team:
            person = people.get(who)
            if person is None:
                continue
            key = {"member": person} if isinstance(person, Member) else {"user": person}
            _tm, was = TeamMember.objects.get_or_create(visit=visit, **key, defaults={"role": role})
            created["team members"] += was

    def add_visit(place_name, kind, start, hours, announced, status, purpose, joint_with, team):
        place = places[place_name]
        end = start + dt.timedelta(hours=hours)
        conducted = status in (S.CONDUCTED, S.REPORTING, S.CLOSED)
        visit, was = _visit(
            place,
            start,
            end,
            kind=kind,
            announced=announced,
            status=status,
            purpose=purpose,
            joint_with=joint_with,
            actual_start=start if conducted else None,
            actual_end=end if conducted else None,
            cancel_reason="Outbreak of COVID-19 in the institution; visit postponed."
            if status == S.CANCELLED
            else "",
            created_by=staff,
        )
        created["visits"] += was
        add_team(visit, team)
        return visit

    for (
        place_name,
        kind,
        start,
        hours,
        announced,
        status,
        purpose,
        joint_with,
        team,
        population,
        findings,
    ) in VISITS:
        visit = add_visit(
            place_name, kind, _at(*start), hours, announced, status, purpose, joint_with, team
        )
        if population and visit.present is None:
            capacity, present, women, minors, foreigners = population
            visit.capacity_on_day, visit.present = capacity, present
            visit.women, visit.minors, visit.foreigners = women, minors, foreigners
            visit.save(
                update_fields=["capacity_on_day", "present", "women", "minors", "foreigners"]
            )
        for code, finding_kind, text in findings:
            _f, was = Finding.objects.get_or_create(
                visit=visit,
                theme=themes[code],
                text=text,
                defaults={"kind": finding_kind, "created_by": staff},
            )
            created["findings"] += was

    for place_name, year, month, partners in ROUTINE:
        status = S.CLOSED if year < 2025 else S.REPORTING
        add_visit(
            place_name,
            KIND.REGULAR,
            _at(year, month, 10 + len(place_name) % 15, 9),
            6,
            year % 3 == 0,
            status,
            "Regular visit: treatment, material conditions and legal safeguards.",
            "",
            [("staff", "head"), *partners],
        )

    today = timezone.localdate()
    for place_name, days, hour, hours, team in UPCOMING:
        day = today + dt.timedelta(days=days)
        # Keyed by place and purpose so that loading on another day adds no second copy.
        purpose = "Planned visit (demo): follow-up of earlier recommendations."
        existing = Visit.objects.filter(
            place=places[place_name], purpose=purpose, status=S.PLANNED
        ).first()
        if existing:
            add_team(existing, team)
            continue
        add_visit(
            place_name,
            KIND.FOLLOW_UP,
            _at(day.year, day.month, day.day, hour),
            hours,
            False,
            S.PLANNED,
            purpose,
            "",
            team,
        )

    visit_records.load(places=places, themes=themes, staff=staff, created=created)
    return dict(created)
