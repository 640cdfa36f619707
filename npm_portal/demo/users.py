"""Demo users, one per role. Used by `load_demo`; `make run` prints them."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.roles import Role, sync_roles

DEMO_PASSWORD = "npm-demo-pass-2026"  # noqa: S105 - published demo credential

# (username, first name, last name, gender, role, admin access)
DEMO_USERS: list[tuple[str, str, str, str, Role, bool]] = [
    ("head", "Gordana", "Stevanović", "female", Role.HEAD, True),
    ("staff", "Miloš", "Janković", "male", Role.STAFF, False),
    ("compliance", "Jelena", "Petrović", "female", Role.COMPLIANCE, False),
    ("partner", "Ana", "Marković", "female", Role.PARTNER, False),
    ("partner2", "Nikola", "Ilić", "male", Role.PARTNER, False),
]


def load() -> dict[str, int]:
    sync_roles()
    user_model = get_user_model()
    created = 0
    for username, first, last, gender, role, admin_access in DEMO_USERS:
        user, was_created = user_model.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "gender": gender,
                "email": f"{username}@npm.example.org",
                "is_staff": admin_access,
            },
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=role.value))
            created += 1
    return {"users": created}


def logins_table() -> str:
    from .authority_portal import logins as authority_logins  # it imports this module

    authority = authority_logins()
    width = max(len(u[0]) for u in [*DEMO_USERS, *authority])
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD})"]
    for username, first, last, _gender, role, _admin in DEMO_USERS:
        lines.append(f"  {username.ljust(width)}  {role.value:<20} {first} {last}")
    lines.append("Authority portal logins (same password; they see /authority/ only):")
    place = max(len(a[1]) for a in authority)
    for username, authority_name, function, name in authority:
        lines.append(
            f"  {username.ljust(width)}  {function:<22} {authority_name.ljust(place)}  {name}"
        )
    return "\n".join(lines)
