"""Users of the NPM (the logins the benchmark harness uses) and the partner organisations with
their call, applications, agreements and members, each member with a login."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from core.roles import Role, sync_roles
from partners.models import Agreement, Application, Member, Organisation, PublicCall

from .vocabulary import (
    EXPERTISE,
    FEMALE_NAMES,
    LAST_NAMES,
    MALE_NAMES,
    ORGANISATION_CITIES,
    ORGANISATION_PATTERNS,
    ORGANISATIONS,
)
from .world import MemberPlan, World, scaled

# (username, role, superuser and admin access)
NAMED_USERS: list[tuple[str, Role, bool]] = [
    ("dataset-head", Role.HEAD, False),
    ("dataset-staff", Role.STAFF, False),
    ("dataset-compliance", Role.COMPLIANCE, False),
    ("dataset-admin", Role.STAFF, True),
]
STAFF_POOL = 29
ORGANISATIONS_AT_SCALE_1 = 20
MEMBERS_AT_SCALE_1 = 500


def _person(rng) -> tuple[str, str, str]:
    gender = rng.choice(("female", "male"))
    first = rng.choice(FEMALE_NAMES if gender == "female" else MALE_NAMES)
    return first, rng.choice(LAST_NAMES), gender


def _groups() -> dict[Role, int]:
    if Group.objects.filter(name__in=Role.values).count() < len(Role):
        sync_roles()  # a flushed test database has lost the groups the migration made
    return dict(
        (Role(name), pk)
        for name, pk in Group.objects.filter(name__in=Role.values).values_list("name", "pk")
    )


def write_people(world: World) -> None:
    rng = world.rng("people")
    user_model = get_user_model()
    staff_pool = scaled(STAFF_POOL, world.scale, minimum=2)
    members = scaled(MEMBERS_AT_SCALE_1, world.scale, minimum=2)
    # (username, role, superuser)
    accounts = [
        *NAMED_USERS,
        *((f"dataset-staff-{n:03d}", Role.STAFF, False) for n in range(1, staff_pool + 1)),
        *((f"dataset-partner-{n:04d}", Role.PARTNER, False) for n in range(1, members + 1)),
    ]
    ids = world.writer.ids(user_model, len(accounts))
    users, people = [], {}
    for pk, (username, _role, superuser) in zip(ids, accounts, strict=True):
        first, last, gender = _person(rng)
        people[username] = (pk, first, last, gender)
        users.append(
            user_model(
                id=pk,
                username=username,
                first_name=first,
                last_name=last,
                gender=gender,
                email=f"{username}@dataset.example.org",
                is_staff=superuser,
                is_superuser=superuser,
                # Unusable: the harness logs in with force_login.
                password=make_password(None),
            )
        )
    world.writer.write("users", user_model, users)
    groups = _groups()
    through = user_model.groups.through
    links = [
        through(id=pk, user_id=user.id, group_id=groups[role])
        for pk, user, (_name, role, _su) in zip(
            world.writer.ids(through, len(users)), users, accounts, strict=True
        )
    ]
    world.writer.write("user groups", through, links)
    by_name = {name: people[name][0] for name, _role, _su in accounts}
    world.head_id = by_name["dataset-head"]
    world.compliance_id = by_name["dataset-compliance"]
    world.staff_ids = [by_name["dataset-staff"]] + [
        by_name[f"dataset-staff-{n:03d}"] for n in range(1, staff_pool + 1)
    ]
    partner_logins = [people[f"dataset-partner-{n:04d}"] for n in range(1, members + 1)]
    _write_partners(world, rng, partner_logins)


def _organisation_names(count: int) -> list[tuple[str, str, str]]:
    names = list(ORGANISATIONS[:count])
    index = 0
    while len(names) < count:
        pattern, focus = ORGANISATION_PATTERNS[index % len(ORGANISATION_PATTERNS)]
        city = ORGANISATION_CITIES[index // len(ORGANISATION_PATTERNS) % len(ORGANISATION_CITIES)]
        round_ = index // (len(ORGANISATION_PATTERNS) * len(ORGANISATION_CITIES))
        name = pattern.format(city=city) + (f" {round_ + 1}" if round_ else "")
        names.append((name, "", focus))
        index += 1
    return names


def _write_partners(world: World, rng, logins: list[tuple[int, str, str, str]]) -> None:
    writer = world.writer
    count = scaled(ORGANISATIONS_AT_SCALE_1, world.scale)
    names = _organisation_names(count)
    organisation_ids = writer.ids(Organisation, count)
    writer.write(
        "partner organisations",
        Organisation,
        (
            Organisation(
                id=pk,
                name=name,
                short_name=short,
                kind=Organisation.Kind.ASSOCIATION,
                country="Serbia",
                focus_areas=focus,
                email=f"office{pk}@partners.example.org",
            )
            for pk, (name, short, focus) in zip(organisation_ids, names, strict=True)
        ),
    )
    # The public call that selected them, a little before the ten years of visits begin.
    published = world.first_day - dt.timedelta(days=120)
    call_id = writer.one_id(PublicCall)
    writer.write(
        "public calls",
        PublicCall,
        [
            PublicCall(
                id=call_id,
                title="Public invitation to associations to take part in the work of the NPM",
                gazette_reference=f"Official Gazette of the Republic of Serbia No. 25/"
                f"{published.year}",
                published_on=published,
                application_deadline=published + dt.timedelta(days=17),
                decision_number=f"NPM-odluka-1/{published.year}",
                decision_date=published + dt.timedelta(days=40),
            )
        ],
    )
    writer.write(
        "applications",
        Application,
        (
            Application(
                id=pk,
                call_id=call_id,
                organisation_id=organisation,
                received_on=published + dt.timedelta(days=rng.randint(1, 17)),
                outcome=Application.Outcome.SELECTED,
            )
            for pk, organisation in zip(
                writer.ids(Application, count), organisation_ids, strict=True
            )
        ),
    )
    # In force from before the first visit to three years after the anchor date.
    valid_from = world.first_day - dt.timedelta(days=60)
    writer.write(
        "agreements",
        Agreement,
        (
            Agreement(
                id=pk,
                organisation_id=organisation,
                call_id=call_id,
                reference_number=f"NPM-{n:03d}/{valid_from.year}",
                signed_on=valid_from - dt.timedelta(days=5),
                valid_from=valid_from,
                valid_until=world.today + dt.timedelta(days=3 * 365),
            )
            for n, (pk, organisation) in enumerate(
                zip(writer.ids(Agreement, count), organisation_ids, strict=True), start=1
            )
        ),
    )
    expertise, weights = zip(*EXPERTISE, strict=True)
    member_ids = writer.ids(Member, len(logins))
    rows = []
    for pk, (user_id, first, last, gender) in zip(member_ids, logins, strict=True):
        skill = rng.choices(expertise, weights)[0]
        world.members.append(MemberPlan(id=pk, user_id=user_id, expertise=skill))
        rows.append(
            Member(
                id=pk,
                organisation_id=rng.choice(organisation_ids),
                first_name=first,
                last_name=last,
                gender=gender,
                expertise=skill,
                email=f"member{pk}@partners.example.org",
                user_id=user_id,
                # Signed before the first visit they could join.
                pledge_signed_on=valid_from + dt.timedelta(days=rng.randint(0, 30)),
            )
        )
    writer.write("partner members", Member, rows)
