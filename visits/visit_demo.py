"""Demo visits: about forty visits over the years, with teams, findings, interviews and a
forced-return operation, drawn from the seed texts (the night visit to Police Department Kruševac
in June 2014, the joint visits with the NPM of Ukraine in December 2014, the visits to asylum and
reception centres).

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

from .models import (
    Finding,
    FollowUp,
    Interview,
    InterviewIdentity,
    Place,
    ReturnOperation,
    TeamMember,
    Visit,
)
from .models.visit import LOCAL_ZONE

KIND = Visit.Kind
S = Visit.Status

# Team specs: demo usernames ("staff", "head", "partner", "partner2") or partner members by name.
# (place, kind, start (y, m, d, h, min), hours, announced, status, purpose, joint with, team,
#  population (capacity, present, women, minors, foreigners) or None,
#  findings [(theme code, kind, text)])
VISITS: list[tuple] = [
    (
        "Police Department Kruševac",
        KIND.REGULAR,
        (2014, 6, 12, 21, 30),
        4.5,
        False,
        S.CLOSED,
        "Night visit: treatment of persons detained by the police, detention premises.",
        "",
        [("staff", "head"), ("head", "member")],
        (6, 4, 0, 1, 0),
        [
            (
                "material-conditions",
                "concern",
                "Detention premises have no natural light and no call bell; not renovated.",
            ),
            (
                "registers",
                "good_practice",
                "Detention register complete, with time of arrest and notification of family.",
            ),
            (
                "legal-safeguards",
                "concern",
                "Detainees were not informed of their rights in writing.",
            ),
        ],
    ),
    *[
        (
            place,
            KIND.JOINT,
            (2014, 12, day, 10, 0),
            5,
            True,
            S.CLOSED,
            "Joint visit with the NPM of Ukraine: exchange of visiting methodology.",
            "NPM of Ukraine",
            [("head", "head"), ("staff", "member")],
            None,
            [(theme, "concern", text)],
        )
        for place, day, theme, text in [
            (
                "Correctional Institution Sremska Mitrovica",
                22,
                "regime",
                "Most prisoners spend over 20 hours a day in their rooms.",
            ),
            (
                "Police Station Savski Venac",
                23,
                "legal-safeguards",
                "Access to a lawyer only after the first questioning.",
            ),
            (
                "Special Hospital for Psychiatric Diseases Kovin",
                23,
                "mental-health",
                "Mechanical restraint not recorded in a dedicated register.",
            ),
            (
                "Home for Persons with Disabilities “Kulina”",
                24,
                "vulnerable-groups",
                "Residents without legal capacity have no say in their placement.",
            ),
        ]
    ],
    (
        "Asylum Centre Banja Koviljača",
        KIND.THEMATIC,
        (2015, 8, 20, 9, 0),
        6,
        True,
        S.CLOSED,
        "Reception conditions for asylum seekers; unaccompanied minors.",
        "",
        [("staff", "head")],
        (120, 160, 30, 25, 160),
        [("vulnerable-groups", "concern", "Unaccompanied minors share rooms with adults.")],
    ),
    (
        "Asylum Centre Bogovađa",
        KIND.THEMATIC,
        (2015, 9, 15, 9, 0),
        6,
        False,
        S.CLOSED,
        "Reception conditions for asylum seekers.",
        "",
        [("staff", "head")],
        (200, 180, 20, 30, 180),
        [("food-hygiene", "good_practice", "Three meals a day, adapted to religious needs.")],
    ),
    (
        "Reception Centre Preševo",
        KIND.AD_HOC,
        (2016, 3, 4, 8, 0),
        10,
        False,
        S.CLOSED,
        "Registration of new arrivals, treatment by the border police.",
        "",
        [("staff", "head"), ("head", "member")],
        (1000, 1450, 300, 420, 1450),
        [
            (
                "health-care",
                "concern",
                "No systematic medical screening at registration; injuries not recorded.",
            )
        ],
    ),
    (
        "Asylum Centre Krnjača",
        KIND.THEMATIC,
        (2016, 12, 18, 10, 0),
        5,
        True,
        S.CLOSED,
        "International Migrants Day: situation of migrants, psychological support.",
        "",
        [("head", "head"), ("staff", "member")],
        (1000, 1120, 210, 260, 1120),
        [
            (
                "mental-health",
                "concern",
                "No psychological assistance despite many signs of distress.",
            ),
            ("material-conditions", "concern", "Barracks overcrowded; insufficient heating."),
        ],
    ),
    (
        "Reception Centre Adaševci",
        KIND.REGULAR,
        (2017, 2, 9, 9, 0),
        7,
        False,
        S.CLOSED,
        "Conditions in the reception centre in winter.",
        "",
        [("staff", "head")],
        (700, 850, 120, 200, 850),
        [("material-conditions", "concern", "Families accommodated in tents in winter.")],
    ),
    (
        "Reception Centre Obrenovac",
        KIND.FOLLOW_UP,
        (2017, 5, 11, 9, 0),
        6,
        False,
        S.CLOSED,
        "Follow-up of recommendations on single adult men.",
        "",
        [("staff", "head")],
        (800, 640, 0, 40, 640),
        [("regime", "good_practice", "Language classes and sport organised daily.")],
    ),
    (
        "Belgrade Nikola Tesla Airport transit zone",
        KIND.FORCED_RETURN,
        (2019, 3, 14, 5, 30),
        9,
        True,
        S.CLOSED,
        "Monitoring of a joint return operation: hand-over of returnees at the airport.",
        "",
        [("staff", "head"), ("partner", "observer")],
        None,
        [],
    ),
    (
        "Shelter for Foreigners Padinska Skela",
        KIND.REGULAR,
        (2019, 10, 3, 22, 0),
        4,
        False,
        S.CLOSED,
        "Night visit: foreigners awaiting removal.",
        "",
        [("staff", "head"), ("partner2", "member")],
        (110, 85, 10, 6, 85),
        [("legal-safeguards", "concern", "Removal decisions not translated.")],
    ),
    (
        "Gerontology Centre Belgrade",
        KIND.REGULAR,
        (2020, 3, 20, 9, 0),
        6,
        True,
        S.CANCELLED,
        "Care of residents with dementia.",
        "",
        [("staff", "head")],
        None,
        [],
    ),
    (
        "Correctional Institution for Women Požarevac",
        KIND.REGULAR,
        (2025, 10, 7, 8, 30),
        9,
        False,
        S.REPORTING,
        "Health care and treatment of women prisoners; mothers with children.",
        "",
        [("staff", "head"), ("partner", "member"), ("Tamara Lukić", "medical")],
        (400, 310, 310, 0, 12),
        [
            (
                "health-care",
                "concern",
                "No gynaecologist visits the institution; waiting times over three months.",
            ),
            ("outside-contact", "good_practice", "Extended visits with children in a family room."),
        ],
    ),
    (
        "Special Hospital for Psychiatric Diseases Gornja Toponica",
        KIND.REGULAR,
        (2026, 3, 17, 8, 0),
        10,
        False,
        S.CONDUCTED,
        "Use of restraint and seclusion; long-term patients.",
        "",
        [("head", "head"), ("partner2", "member"), ("Marija Nikolić", "medical")],
        (850, 910, 380, 0, 3),
        [
            ("use-of-force", "concern", "Patients restrained for days; no record of review."),
            ("mental-health", "concern", "Long-term patients without discharge plans."),
        ],
    ),
]

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

INTERVIEWS = [
    # (place of the visit, interviewee, allegation, consent, reprisal risk, notes, identity)
    (
        "Correctional Institution for Women Požarevac",
        "detainee",
        False,
        "anonymised",
        "low",
        "Waited four months for a gynaecological examination.",
        {"full_name": "Jelena Đ.", "date_of_birth": "1988-02-11", "location": "Pavilion B, room 4"},
    ),
    (
        "Special Hospital for Psychiatric Diseases Gornja Toponica",
        "detainee",
        True,
        "none",
        "high",
        "Says he was tied to the bed for three days after arguing with a nurse.",
        {"full_name": "Marko P.", "date_of_birth": "1975-09-30", "location": "Ward 7, bed 12"},
    ),
    (
        "Special Hospital for Psychiatric Diseases Gornja Toponica",
        "medical",
        False,
        "authority",
        "none",
        "Head nurse: not enough staff on night shifts.",
        {},
    ),
    (
        "Police Department Kruševac",
        "detainee",
        True,
        "anonymised",
        "none",
        "Says he was slapped at arrest; no visible injuries.",
        {"location": "Cell 2"},
    ),
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

    # The forced-return operation and its findings per phase.
    airport = Visit.objects.filter(
        place=places["Belgrade Nikola Tesla Airport transit zone"], kind=KIND.FORCED_RETURN
    ).first()
    if airport:
        _op, was = ReturnOperation.objects.get_or_create(
            visit=airport,
            defaults={
                "kind": ReturnOperation.Kind.JOINT_FRONTEX,
                "organising_state": "Germany",
                "destination_state": "Serbia",
                "means": ReturnOperation.Means.AIR,
                "returnees_men": 31,
                "returnees_women": 9,
                "returnees_children": 14,
                "escorts": 62,
                "phases": ["boarding", "in_flight", "hand_over"],
            },
        )
        created["return operations"] += was
        for code, phase, text, coercive, medical in [
            (
                "return-in-flight",
                "in_flight",
                "Two returnees kept in restraints for the whole flight.",
                "Velcro cuffs on two men",
                "",
            ),
            (
                "return-hand-over",
                "hand_over",
                "Families with children handed over without information on reception.",
                "",
                "One child with fever, not seen by a doctor",
            ),
        ]:
            _f, was = Finding.objects.get_or_create(
                visit=airport,
                theme=themes[code],
                phase=phase,
                defaults={
                    "kind": "concern",
                    "text": text,
                    "coercive_measures": coercive,
                    "medical_issues": medical,
                    "created_by": staff,
                },
            )
            created["findings"] += was

    for place_name, interviewee, allegation, consent, risk, notes, identity in INTERVIEWS:
        visit = (
            Visit.objects.filter(place=places[place_name])
            .exclude(status__in=[S.PLANNED, S.CANCELLED])
            # Later loaders add follow-up visits; the interviews belong to the visit itself.
            .exclude(kind=KIND.FOLLOW_UP)
            .order_by("-planned_start")
            .first()
        )
        if visit is None:
            continue
        # Notes are encrypted (a new token each time): compare them after decryption.
        interview = next((i for i in visit.interviews.all() if i.notes == notes), None)
        if interview is None:
            sequence = (visit.interviews.aggregate(n=Max("sequence"))["n"] or 0) + 1
            interview, was = Interview.objects.get_or_create(
                visit=visit,
                sequence=sequence,
                defaults={
                    "code": f"{visit.reference}-I{sequence:02d}",
                    "interviewee": interviewee,
                    "allegation": allegation,
                    "consent": consent,
                    "reprisal_risk": risk,
                    "notes": notes,
                    "created_by": staff,
                },
            )
            created["interviews"] += was
        if identity:
            _i, was = InterviewIdentity.objects.get_or_create(
                interview=interview, defaults=identity
            )
            created["interviewee identities"] += was
        if risk == "high":
            _fu, was = FollowUp.objects.get_or_create(
                interview=interview,
                defaults={
                    "place": visit.place,
                    "visit": visit,
                    "description": f"High risk of reprisals after interview {interview.code}: "
                    "check on the interviewee's situation.",
                },
            )
            created["follow-up items"] += was
    return dict(created)
