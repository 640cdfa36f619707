"""A realistic, reproducible dataset at scale, for benchmarks (`manage.py generate_dataset`).

At scale 1: about 1,000 places under some 670 authorities, 20,000 visits over ten years with
60,000 team memberships, 200,000 recommendations with 420,000 addressee links, 150,000 response
items, 250,000 assessments and 500 partner members; scale S multiplies every count (the fixed
top of the authorities tree aside). The same seed and anchor date give the same data.

Rows are written with `bulk_create` (no `save()`, no signals, no history rows), with their
denormalised fields (a visit's night flag, a recommendation's due date, status and first
response) set as the services would have left them. Logins for the harness, all with unusable
passwords (use `force_login`): `dataset-head`, `dataset-staff`, `dataset-compliance`,
`dataset-admin` (superuser), `dataset-staff-001`…, and the partner members'
`dataset-partner-0001`….
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from partners.models import Organisation
from recommendations.cache import figures_changed
from recommendations.models import (
    Assessment,
    AuthorityResponse,
    FollowUpCheck,
    Recommendation,
    ResponseItem,
)
from visits.models import (
    Authority,
    Dispatch,
    Place,
    Report,
    ReportSection,
    ReturnOperation,
    TeamMember,
    Visit,
)

from .compliance import Compliance
from .people import NAMED_USERS, write_people
from .recommendations import plan_recommendations, write_recommendations
from .registry import write_registry, write_themes
from .reports import plan_reports, write_dispatches, write_reports
from .visits import plan_visits, write_visits
from .world import World
from .writing import Writer

# The big tables, loaded with their foreign keys and plain indexes put back afterwards.
LOADED = [
    Visit,
    TeamMember,
    ReturnOperation,
    Report,
    ReportSection,
    Dispatch,
    Recommendation,
    Recommendation.addressees.through,
    Recommendation.repeats.through,
    AuthorityResponse,
    ResponseItem,
    Assessment,
    FollowUpCheck,
]
USERNAMES = [name for name, _role, _superuser in NAMED_USERS]


class DatabaseNotEmpty(Exception):
    """The dataset goes into a freshly migrated database only."""


def ensure_empty() -> None:
    filled = [
        model._meta.verbose_name_plural
        for model in (Authority, Place, Visit, Recommendation, Organisation)
        if model._base_manager.exists()
    ]
    if get_user_model()._base_manager.filter(username__startswith="dataset-").exists():
        filled.append("dataset users")
    if filled:
        raise DatabaseNotEmpty(
            "The database already has data ("
            + ", ".join(str(name) for name in filled)
            + "): generate the dataset into a freshly migrated, empty database."
        )


@transaction.atomic
def generate(
    scale: float, seed: int = 1, stdout=None, *, today: dt.date | None = None
) -> dict[str, int]:
    """Write the dataset at `scale`; returns the number of rows per table. `today` is the anchor
    date the ten years run up to (default: today); `stdout` gets one progress line per table."""
    if scale <= 0:
        raise ValueError("The scale must be positive.")
    ensure_empty()
    writer = Writer(stdout)
    world = World(scale=scale, seed=seed, today=today or timezone.localdate(), writer=writer)
    write_themes(world)
    write_people(world)
    write_registry(world)
    visits = plan_visits(world)
    plan_reports(world, visits)
    recommendations = plan_recommendations(world, visits)
    compliance = Compliance(world)
    compliance.plan(visits, recommendations)
    writer.say(f"{'planned':<28} {'':>9}      {writer.elapsed():7.1f} s")
    with writer.checks_and_indexes_after(LOADED):
        write_visits(world, visits)
        write_reports(world, visits)
        write_dispatches(world, visits)
        write_recommendations(world, recommendations)
        compliance.write()
    writer.finish()
    # Bulk inserts send no signals: the cached figures and totals are out of date.
    figures_changed()
    return writer.counts


__all__ = ["USERNAMES", "DatabaseNotEmpty", "generate"]
