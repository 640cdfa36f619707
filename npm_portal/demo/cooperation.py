"""Demo cooperation: the SEE NPM Network (members, yearly chairs, working groups, meetings), a
few events and two donor-funded projects, from the seed texts. Called by the partners loader with
its organisations; creates only what is missing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model

from partners.models import (
    Event,
    EventParticipant,
    Member,
    Network,
    NetworkChair,
    NetworkMeeting,
    NetworkMembership,
    Organisation,
    Project,
    ProjectResult,
    WorkingGroup,
)

date = datetime.date

FOUNDED = date(2013, 3, 26)
# (country, status, joined on)
MEMBERSHIPS: list[tuple[str, str, datetime.date | None]] = [
    ("Serbia", "member", FOUNDED),
    ("Slovenia", "member", FOUNDED),
    ("Albania", "member", FOUNDED),
    ("Croatia", "member", FOUNDED),
    ("North Macedonia", "member", FOUNDED),
    ("Montenegro", "member", FOUNDED),
    ("Austria", "member", date(2013, 10, 25)),
    ("Hungary", "member", None),
    ("Bulgaria", "member", None),
    ("Romania", "member", None),
    ("Greece", "member", None),
    # 11 full members and 2 observers; which two observe is this demo's reading of the source.
    ("Kosovo", "observer", None),
    ("Bosnia and Herzegovina", "observer", FOUNDED),
]
CHAIRS: list[tuple[int, str, str]] = [
    (2013, "Slovenia", "Ivan Šelih, Deputy Ombudsman"),
    (2014, "Slovenia", "Ivan Šelih, Deputy Ombudsman"),
    (2015, "Albania", ""),
    (2016, "Austria", ""),
    (2017, "Serbia", ""),
    (2018, "Montenegro", ""),
    (2019, "North Macedonia", ""),
    (2020, "Croatia", ""),
    (2021, "Hungary", ""),
    (2022, "Austria", ""),
    (2023, "Greece", ""),
    (2024, "Bulgaria", ""),
]


def _load_network(get_or_create, npm_by_country: dict[str, Organisation]) -> None:
    network = get_or_create(
        Network,
        "networks",
        name="South-East Europe NPM Network",
        defaults={
            "short_name": "SEE NPM Network",
            "established_on": FOUNDED,
            "description": (
                "Established in Belgrade on 26 March 2013 by the NPMs of Albania, Croatia, "
                "Macedonia, Montenegro, Slovenia and Serbia for cooperation, exchange of "
                "experience and joint activities under OPCAT. Network meetings twice a year, "
                "hosted by a member; a legal and a medical working group."
            ),
        },
    )
    for country, status, joined in MEMBERSHIPS:
        get_or_create(
            NetworkMembership,
            "network memberships",
            network=network,
            organisation=npm_by_country[country],
            defaults={"status": status, "joined_on": joined},
        )
    for year, country, chairperson in CHAIRS:
        get_or_create(
            NetworkChair,
            "network chairs",
            network=network,
            year=year,
            defaults={"organisation": npm_by_country[country], "chairperson": chairperson},
        )
    get_or_create(
        WorkingGroup,
        "working groups",
        network=network,
        name="Legal group",
        defaults={"description": "Legal questions of the NPM mandate."},
    )
    medical = get_or_create(
        WorkingGroup,
        "working groups",
        network=network,
        name="Medical group",
        defaults={"description": "Health care in places of deprivation of liberty."},
    )
    get_or_create(
        NetworkMeeting,
        "network meetings",
        network=network,
        title="Founding meeting: Declaration on Cooperation adopted",
        defaults={
            "starts_on": FOUNDED,
            "location": "Belgrade",
            "host": npm_by_country["Serbia"],
            "notes": "Co-organised with the OSCE; Mr Ivan Šelih (Slovenia) elected chair.",
        },
    )
    get_or_create(
        NetworkMeeting,
        "network meetings",
        network=network,
        title="1st meeting of the Medical Group",
        defaults={
            "working_group": medical,
            "starts_on": date(2013, 10, 24),
            "ends_on": date(2013, 10, 25),
            "location": "Belgrade",
            "host": npm_by_country["Serbia"],
            "notes": "Unanimous decision to admit the Austrian NPM to the network.",
        },
    )


def _load_events(get_or_create, orgs: dict[str, Organisation], npms) -> None:
    users = get_user_model().objects
    training = get_or_create(
        Event,
        "events",
        title="Training for Forced-Return Monitors",
        defaults={
            "kind": Event.Kind.TRAINING,
            "starts_on": date(2018, 5, 15),
            "location": "Belgrade",
            "organiser": "FRONTEX",
            "description": (
                "The FRONTEX procedure of return operations and the role of the monitor in "
                "every stage of forced return, report writing and the duties of escorts; "
                "for ombudsman and NPM officers from the region."
            ),
        },
    )
    dutch = get_or_create(
        Event,
        "events",
        title="Meeting with a delegation of the National Ombudsman of the Netherlands",
        defaults={
            "kind": Event.Kind.DELEGATION,
            "starts_on": date(2019, 3, 12),
            "ends_on": date(2019, 3, 13),
            "location": "Belgrade",
            "organiser": "Protector of Citizens",
            "description": (
                "The situation of migrants, refugees and asylum seekers; NPM recommendations, "
                "cooperation with state authorities and the results of the SEE NPM Network."
            ),
        },
    )
    dutch.organisations.add(orgs["National Ombudsman of the Netherlands"])
    migrants_day = get_or_create(
        Event,
        "events",
        title="International Migrants Day: meeting at the Krnjača Asylum Centre",
        defaults={
            "kind": Event.Kind.MEETING,
            "starts_on": date(2017, 12, 18),
            "location": "Krnjača Asylum Centre, Belgrade",
            "description": "The situation in this and other centres for the reception of migrants.",
        },
    )
    get_or_create(
        EventParticipant,
        "event participants",
        event=migrants_day,
        name="Ivan Gerginov",
        defaults={
            "affiliation": "Commissariat for Refugees and Migration",
            "role": "Assistant Commissioner for reception, care, return and integration",
        },
    )
    for event, username, role in (
        (training, "staff", "Participant"),
        (dutch, "head", "Head of the NPM"),
        (migrants_day, "staff", "Head of the NPM team"),
    ):
        user = users.filter(username=username).first()
        if user is not None:
            get_or_create(
                EventParticipant,
                "event participants",
                event=event,
                user=user,
                defaults={"role": role},
            )
    ana = Member.objects.filter(first_name="Ana", last_name="Marković").first()
    if ana is not None:
        get_or_create(
            EventParticipant,
            "event participants",
            event=training,
            member=ana,
            defaults={"role": "Participant"},
        )


def _load_projects(get_or_create, orgs: dict[str, Organisation]) -> None:
    asylum = get_or_create(
        Project,
        "projects",
        title="Enhancing the asylum protection system in Serbia",
        defaults={
            "organisation": orgs["APC/CZA"],
            "budget": Decimal("49890.52"),
            "currency": "EUR",
            "starts_on": date(2013, 4, 1),
            "ends_on": date(2014, 4, 30),
            "objectives": (
                "To enhance the respect of human rights of asylum seekers, refugees and others "
                "who were forced to migrate to Serbia.\n"
                "1) Increase the capacities of local and central stakeholders of the asylum "
                "protection system, including local CSOs, and strengthen their cooperation.\n"
                "2) Build dialogue between asylum seekers and local communities and combat "
                "discrimination.\n"
                "3) Improve the access of asylum seekers to legal aid.\n"
                "4) Address the gaps within the asylum protection laws or policies."
            ),
            "target_groups": (
                "Asylum seekers, persons granted asylum and irregular migrants in Serbia; local "
                "communities; officers of the public authorities of the asylum system."
            ),
        },
    )
    for order, text, indicator, target in [
        (1, "Capacities of relevant central and local actors strengthened.", "actors", 80),
        (1, "Local civil society organisations with strengthened capacities.", "local CSOs", 10),
        (2, "Workshops organised for asylum seekers.", "workshops", 40),
        (2, "Persons reached through the information campaign.", "persons reached", 1000),
        (3, "Asylum seekers provided with free legal aid.", "asylum seekers", 500),
        (3, "Irregular migrants informed of their legal position.", "migrants informed", 300),
        (4, "Targeted advocacy to align asylum law with European standards.", "", None),
    ]:
        get_or_create(
            ProjectResult,
            "project results",
            project=asylum,
            description=text,
            defaults={
                "order": order,
                "indicator": indicator,
                "target_value": None if target is None else Decimal(target),
            },
        )

    migration = get_or_create(
        Project,
        "projects",
        title=(
            "Networking and Capacity Building for More Effective Migration Policy in Serbia – "
            "Pursuing Further Progress"
        ),
        defaults={
            "organisation": orgs["Group 484"],
            "donor": "Royal Norwegian Embassy in Belgrade",
            "starts_on": date(2013, 4, 1),
            "ends_on": date(2014, 10, 31),
            "objectives": (
                "Hands-on policy outputs for the most pressing issues of asylum and readmission "
                "in Serbia, through civil society organisations acting at local level."
            ),
            "target_groups": (
                "Local CSOs; national and local governments and institutions; asylum seekers, "
                "undocumented migrants and other vulnerable migrant groups (indirectly)."
            ),
        },
    )
    migration.partner_organisations.add(orgs["BCHR"], orgs["BCSP"])
    for order, text, indicator, target in [
        (1, "CSOs forming two thematic policy-advocacy groups.", "CSOs in the groups", 15),
        (2, "Local CSOs trained on asylum and migration.", "local CSOs trained", 25),
    ]:
        get_or_create(
            ProjectResult,
            "project results",
            project=migration,
            description=text,
            defaults={"order": order, "indicator": indicator, "target_value": Decimal(target)},
        )


def load(get_or_create, orgs: dict[str, Organisation], npm_by_country) -> None:
    """`get_or_create` counts what it creates in the partners loader's totals."""
    _load_network(get_or_create, npm_by_country)
    _load_events(get_or_create, orgs, npm_by_country)
    _load_projects(get_or_create, orgs)
