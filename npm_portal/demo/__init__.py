"""The demo data: `python manage.py load_demo` calls `load_demo()`. Each loader creates only what
is missing and returns {what: how many created}, so loading twice changes nothing.

npm_portal sits on top of every app, so the demo of all of them lives here, one module per part.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from . import authority_portal, notifications, partners, registry, reports, users, visits
from .users import DEMO_PASSWORD, DEMO_USERS, logins_table

# In order: users, then partners (members link to demo logins), the registry of places, the
# visits (teams of users and members), the reports and recommendations on those visits, the
# authority portal's users and answers to them; last, the notifications all that sent, dated.
LOADERS: list[Callable[[], dict[str, int]]] = [
    users.load,
    partners.load,
    registry.load,
    visits.load,
    reports.load,
    authority_portal.load,
    notifications.load,
]
# Up to the visits: what the tests of those parts need (the reports render PDFs, which is slow).
VISIT_LOADERS = LOADERS[:4]


@transaction.atomic
def load_demo(loaders: list[Callable[[], dict[str, int]]] = LOADERS) -> dict[str, int]:
    totals: dict[str, int] = {}
    for loader in loaders:
        totals.update(loader())
    return totals


__all__ = ["DEMO_PASSWORD", "DEMO_USERS", "LOADERS", "VISIT_LOADERS", "load_demo", "logins_table"]
