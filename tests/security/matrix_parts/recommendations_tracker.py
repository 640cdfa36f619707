"""The recommendations tracker, its bulk actions and exports, and authoring (create, edit,
repeat suggestions and links). The NPM roles see the tracker and exports; only head and staff
author (compliance 403); partner-only users get 404 everywhere, even for their own visit."""

from __future__ import annotations

import datetime as dt

from tests.factories.recommendations import RecommendationFactory
from tests.factories.visits import VisitFactory, local

NPM_ONLY = "L 200 200 200 404 404"
AUTHORS = "L 200 200 403 404 404"
POST_ONLY = "L 405 405 405 405 405"

MATRIX = {
    "recommendations:list": NPM_ONLY,
    "recommendations:export_csv": NPM_ONLY,
    "recommendations:export_xlsx": NPM_ONLY,
    "recommendations:bulk": POST_ONLY,
    # Without ?visit= the page asks which visit.
    "recommendations:create": AUTHORS,
    "recommendations:suggestions": AUTHORS,
    "recommendations:edit": AUTHORS,
    "recommendations:repeat_link": POST_ONLY,
}

# Columns: anonymous partner_off partner_on compliance staff head.
POST_MATRIX = {
    # Nothing selected: back to the tracker with a message.
    "recommendations:bulk": "L 404 404 403 R R",
    # No earlier recommendation named: back to the edit page with a message.
    "recommendations:repeat_link": "L 404 404 403 R R",
    # An empty form: shown again with its errors.
    "recommendations:edit": "L 404 404 403 200 200",
    "recommendations:create": "L 404 404 403 200 200",
}

ARGUMENTS = {
    "recommendations:edit": lambda w: {"pk": w.objects["rt_rec"].pk},
    "recommendations:repeat_link": lambda w: {"pk": w.objects["rt_rec"].pk},
}


def extend_world(world) -> None:
    place = world.visit.place
    start = local(2020, 4, 2, 9, 0)
    earlier_visit = VisitFactory(
        place=place,
        planned_start=start,
        planned_end=start + dt.timedelta(hours=6),
        status="closed",
    )
    earlier = RecommendationFactory(
        visit=earlier_visit, number=1, addressees=[place.authority], public=True
    )
    # On the world's visit, whose team includes partner_on: still 404 for them.
    current = RecommendationFactory(visit=world.visit, number=801, addressees=[place.authority])
    current.repeats.add(earlier)
    world.objects.update({"rt_rec": current, "rt_earlier": earlier})
