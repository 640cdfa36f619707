"""Demo partners: the 2018 public call and the four associations it selected, their agreements and
members (from the seed texts); the SEE NPM Network, events and projects are in `cooperation`.

Loaded by `python manage.py load_demo`; creates only what is missing, so running it twice changes
nothing. Where the sources give no figure (call deadline, decision number, signing dates, member
names) the demo uses illustrative values; agreement ends are relative to today so that one is
expiring soon and one has expired whenever the demo is loaded.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.contrib.auth import get_user_model
from django.utils import timezone

from partners.models import (
    Agreement,
    Application,
    Member,
    Organisation,
    PublicCall,
)

from . import cooperation, serbian_names
from .serbian_names import with_serbian

K = Organisation.Kind
E = Member.Expertise
date = datetime.date

# (name, short name, kind, country, focus areas, website)
ORGANISATIONS: list[tuple[str, str, str, str, str, str]] = [
    (
        "Belgrade Centre for Human Rights",
        "BCHR",
        K.ASSOCIATION,
        "Serbia",
        "Human rights research and education; asylum and migration; legal aid.",
        "https://www.bgcentar.org.rs",
    ),
    (
        "Lawyers' Committee for Human Rights",
        "YUCOM",
        K.ASSOCIATION,
        "Serbia",
        "Rule of law; legal protection against torture and ill-treatment.",
        "https://www.yucom.org.rs",
    ),
    (
        "Mental Disability Rights Initiative of Serbia",
        "MDRI-S",
        K.ASSOCIATION,
        "Serbia",
        "Rights of persons with mental and intellectual disabilities in institutions.",
        "",
    ),
    (
        "International Aid Network",
        "IAN",
        K.ASSOCIATION,
        "Serbia",
        "Rehabilitation of torture victims; psychosocial support to refugees and migrants.",
        "",
    ),
    ("Group 484", "Group 484", K.ASSOCIATION, "Serbia", "Migration and asylum policy.", ""),
    (
        "Belgrade Centre for Security Policy",
        "BCSP",
        K.ASSOCIATION,
        "Serbia",
        "Security sector reform and oversight.",
        "",
    ),
    (
        "Asylum Protection Center",
        "APC/CZA",
        K.ASSOCIATION,
        "Serbia",
        "Legal aid and information for asylum seekers.",
        "",
    ),
    (
        "European Committee for the Prevention of Torture",
        "CPT",
        K.INTERNATIONAL,
        "",
        "Council of Europe monitoring body.",
        "",
    ),
    ("National Ombudsman of the Netherlands", "", K.FOREIGN_NPM, "Netherlands", "", ""),
]

# The NPMs of the SEE NPM Network: (name, short name, country, kind).
NPMS: list[tuple[str, str, str, str]] = [
    ("Protector of Citizens of the Republic of Serbia", "NPM Serbia", "Serbia", K.OWN_NPM),
    (
        "Human Rights Ombudsman of the Republic of Slovenia",
        "NPM Slovenia",
        "Slovenia",
        K.FOREIGN_NPM,
    ),
    ("People's Advocate of the Republic of Albania", "NPM Albania", "Albania", K.FOREIGN_NPM),
    ("Ombudsman of the Republic of Croatia", "NPM Croatia", "Croatia", K.FOREIGN_NPM),
    (
        "Ombudsman of the Republic of North Macedonia",
        "NPM North Macedonia",
        "North Macedonia",
        K.FOREIGN_NPM,
    ),
    (
        "Protector of Human Rights and Freedoms of Montenegro",
        "NPM Montenegro",
        "Montenegro",
        K.FOREIGN_NPM,
    ),
    ("Austrian Ombudsman Board", "NPM Austria", "Austria", K.FOREIGN_NPM),
    ("Commissioner for Fundamental Rights of Hungary", "NPM Hungary", "Hungary", K.FOREIGN_NPM),
    ("Ombudsman of the Republic of Bulgaria", "NPM Bulgaria", "Bulgaria", K.FOREIGN_NPM),
    ("People's Advocate of Romania", "NPM Romania", "Romania", K.FOREIGN_NPM),
    ("Greek Ombudsman", "NPM Greece", "Greece", K.FOREIGN_NPM),
    ("Ombudsperson Institution of Kosovo", "Ombudsperson Kosovo", "Kosovo", K.FOREIGN_NPM),
    (
        "Institution of Human Rights Ombudsman of Bosnia and Herzegovina",
        "Ombudsman BiH",
        "Bosnia and Herzegovina",
        K.FOREIGN_NPM,
    ),
]

# (short name of organisation, first, last, gender, expertise, note, demo username, pledge, active)
MEMBERS: list[tuple[str, str, str, str, str, str, str, datetime.date | None, bool]] = [
    ("BCHR", "Ana", "Marković", "female", E.LEGAL, "", "partner", date(2018, 6, 15), True),
    ("BCHR", "Dragan", "Petrović", "male", E.MIGRATION, "", "", date(2018, 6, 15), True),
    (
        "BCHR",
        "Milica",
        "Jovanović",
        "female",
        E.INTERPRETER,
        "Arabic, Farsi",
        "",
        date(2019, 2, 1),
        True,
    ),
    ("YUCOM", "Nikola", "Ilić", "male", E.LEGAL, "", "partner2", date(2018, 6, 20), True),
    ("YUCOM", "Jovana", "Stojanović", "female", E.CHILD_RIGHTS, "", "", None, True),
    ("MDRI-S", "Marija", "Nikolić", "female", E.PSYCHIATRIST, "", "", date(2018, 6, 18), True),
    ("MDRI-S", "Stefan", "Đorđević", "male", E.DISABILITY, "", "", date(2018, 6, 18), True),
    ("MDRI-S", "Ivana", "Pavlović", "female", E.SOCIAL_WORKER, "", "", date(2020, 9, 1), True),
    ("IAN", "Vladimir", "Kostić", "male", E.PSYCHOLOGIST, "", "", date(2018, 6, 22), True),
    (
        "IAN",
        "Tamara",
        "Lukić",
        "female",
        E.MEDICAL,
        "Forensic medicine",
        "",
        date(2018, 6, 22),
        True,
    ),
    ("IAN", "Zoran", "Milošević", "male", E.MEDICAL, "", "", date(2018, 6, 22), False),
]

CALL_TITLE = (
    "Public invitation to associations to cooperate with the Protector of Citizens "
    "in performing the tasks of the National Preventive Mechanism"
)
SELECTED = ["BCHR", "YUCOM", "MDRI-S", "IAN"]
FIRST_TERM = (date(2018, 6, 1), date(2021, 5, 31))
ALL_SCOPES = dict.fromkeys(Agreement.SCOPE_FIELDS, True)


def _current_terms(today: datetime.date) -> dict[str, tuple[datetime.date, datetime.date]]:
    """Second agreements: BCHR and YUCOM well in force, MDRI-S expiring soon, IAN expired."""
    ends = {
        "BCHR": today + datetime.timedelta(days=730),
        "YUCOM": today + datetime.timedelta(days=400),
        "MDRI-S": today + datetime.timedelta(days=30),
        "IAN": today - datetime.timedelta(days=20),
    }
    after_first = FIRST_TERM[1] + datetime.timedelta(days=1)
    return {
        short: (max(after_first, end - datetime.timedelta(days=3 * 365)), end)
        for short, end in ends.items()
    }


def _email(first: str, last: str) -> str:
    ascii_name = f"{first}.{last}".lower().translate(
        str.maketrans({"đ": "dj", "ć": "c", "č": "c", "š": "s", "ž": "z"})
    )
    return f"{ascii_name}@partner.example.org"


def load() -> dict[str, int]:
    created: Counter[str] = Counter()
    today = timezone.localdate()

    def get_or_create(model, what: str, defaults=None, **lookup):
        obj, was_created = model.objects.get_or_create(defaults=defaults or {}, **lookup)
        created[what] += was_created
        return obj

    def organisation(name: str, **defaults) -> Organisation:
        name_sr = serbian_names.ORGANISATIONS[name]
        obj, was_created = Organisation.objects.get_or_create(
            name=name, defaults={"name_sr": name_sr, **defaults}
        )
        created["organisations"] += with_serbian(obj, was_created, name_sr=name_sr)
        return obj

    orgs: dict[str, Organisation] = {}
    for name, short, kind, country, focus, website in ORGANISATIONS:
        orgs[short or name] = organisation(
            name,
            short_name=short,
            kind=kind,
            country=country,
            focus_areas=focus,
            website=website,
        )
    npm_by_country: dict[str, Organisation] = {}
    for name, short, country, kind in NPMS:
        npm_by_country[country] = organisation(name, short_name=short, kind=kind, country=country)

    # The public call of 30 March 2018 and its selection decision.
    call = get_or_create(
        PublicCall,
        "public calls",
        title=CALL_TITLE,
        defaults={
            "gazette_reference": "Official Gazette of the Republic of Serbia No. 25/2018",
            "published_on": date(2018, 3, 30),
            "application_deadline": date(2018, 4, 16),
            "text": (
                "The Protector of Citizens invites associations whose statutory goals include the "
                "protection and promotion of human rights and freedoms to apply for cooperation "
                "in visits to places of deprivation of liberty, in drafting reports, "
                "recommendations, opinions and other acts, and in other NPM activities."
            ),
            "decision_number": "NPM-2018/1",
            "decision_date": date(2018, 5, 10),
        },
    )
    for short in SELECTED:
        get_or_create(
            Application,
            "applications",
            call=call,
            organisation=orgs[short],
            defaults={
                "received_on": date(2018, 4, 12),
                "outcome": Application.Outcome.SELECTED,
            },
        )

    # Agreements: the first term from the 2018 call (expired), then the current ones.
    current = _current_terms(today)
    for number, short in enumerate(SELECTED, start=1):
        get_or_create(
            Agreement,
            "agreements",
            reference_number=f"NPM-2018/{number:02d}",
            defaults={
                "organisation": orgs[short],
                "call": call,
                "signed_on": date(2018, 5, 28),
                "valid_from": FIRST_TERM[0],
                "valid_until": FIRST_TERM[1],
                **ALL_SCOPES,
            },
        )
        valid_from, valid_until = current[short]
        get_or_create(
            Agreement,
            "agreements",
            reference_number=f"NPM-{short}/2",
            defaults={
                "organisation": orgs[short],
                "call": call,
                "signed_on": valid_from - datetime.timedelta(days=10),
                "valid_from": valid_from,
                "valid_until": valid_until,
                **ALL_SCOPES,
                "scope_other": short != "IAN",
            },
        )

    users = get_user_model().objects
    for short, first, last, gender, expertise, note, username, pledge, active in MEMBERS:
        get_or_create(
            Member,
            "members",
            organisation=orgs[short],
            first_name=first,
            last_name=last,
            defaults={
                "gender": gender,
                "expertise": expertise,
                "expertise_note": note,
                "email": _email(first, last),
                "user": users.filter(username=username).first() if username else None,
                "pledge_signed_on": pledge,
                "active": active,
            },
        )

    cooperation.load(get_or_create, orgs, npm_by_country)
    return dict(created)
