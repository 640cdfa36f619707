"""The registry: the authorities tree (ministries, directorates, police administrations, then the
institutions that run the places), the places, and the themes (the migration seeds them; a
flushed test database gets them again)."""

from __future__ import annotations

import importlib
from collections import defaultdict

from visits.models import Authority, Place, Theme

from .vocabulary import (
    CATEGORIES,
    DISTRICTS,
    INSTITUTIONS_PER_PLACE,
    MINISTRY_EMAILS,
    MUNICIPALITIES,
    SKELETON,
    K,
    police_administration_name,
)
from .world import PlacePlan, World, scaled

PLACES_AT_SCALE_1 = 1000


class UniqueNames:
    """Names are unique in the registry: the second "Police Station Niš" is "Police Station
    Niš 2"."""

    def __init__(self):
        self.seen: dict[str, int] = {}

    def __call__(self, name: str) -> str:
        count = self.seen.get(name, 0) + 1
        self.seen[name] = count
        return name if count == 1 else f"{name} {count}"


def write_themes(world: World) -> None:
    if not Theme.objects.exists():
        seed = importlib.import_module("visits.migrations.0002_seed_themes")
        world.writer.write(
            "themes",
            Theme,
            (
                Theme(
                    id=pk,
                    code=code,
                    name=name,
                    name_sr=seed.NAMES_SR[code],
                    order=order * 10,
                    forced_return=forced_return,
                )
                for order, (pk, (code, name, forced_return)) in enumerate(
                    zip(world.writer.ids(Theme, len(seed.THEMES)), seed.THEMES, strict=True),
                    start=1,
                )
            ),
        )
    world.themes = list(
        Theme.objects.filter(active=True)
        .order_by("order", "pk")
        .values_list("pk", "code", "forced_return", "name")
    )


def write_registry(world: World) -> None:
    rng = world.rng("registry")
    writer = world.writer
    rows: list[Authority] = []
    parents: dict[int, int | None] = {}
    keys: dict[str, int] = {}

    def add(name: str, short: str, kind: str, parent: int | None, email: str = "") -> int:
        pk = writer.one_id(Authority)
        rows.append(
            Authority(id=pk, name=name, short_name=short, kind=kind, parent_id=parent, email=email)
        )
        parents[pk] = parent
        return pk

    for key, name, short, kind, parent in SKELETON:
        keys[key] = add(name, short, kind, keys.get(parent), MINISTRY_EMAILS.get(key, ""))
    administrations = {
        district: add(
            police_administration_name(district), f"PU {seat}", K.DIRECTORATE, keys["police"]
        )
        for district, (seat, _municipalities) in DISTRICTS.items()
    }

    count = scaled(PLACES_AT_SCALE_1, world.scale)
    categories = list(CATEGORIES)
    shares = [CATEGORIES[c]["share"] for c in categories]
    # Every category at least once when there is room (a small dataset still has an airport
    # for the forced-return monitoring), the rest drawn by the categories' shares.
    always = categories[: min(count, len(categories))]
    drawn = always + rng.choices(categories, weights=shares, k=count - len(always))
    by_category: dict[str, int] = defaultdict(int)
    for category in drawn:
        by_category[category] += 1

    authority_names, place_names = UniqueNames(), UniqueNames()
    places: list[Place] = []
    for category in categories:
        n = by_category[category]
        if not n:
            continue
        spec = CATEGORIES[category]
        institutions = []
        for _ in range(max(1, round(n * INSTITUTIONS_PER_PLACE))):
            municipality, district = rng.choice(MUNICIPALITIES)
            parent = administrations[district] if spec["parent"] == "pa" else keys[spec["parent"]]
            name = authority_names(spec["institution"].format(m=municipality))
            institutions.append((add(name, "", spec["kind"], parent), municipality, district))
        for index in range(n):
            # Every institution runs one place; the rest share one at random.
            institution, municipality, district = (
                institutions[index] if index < len(institutions) else rng.choice(institutions)
            )
            low, high = spec["capacity"]
            plan = PlacePlan(
                id=writer.one_id(Place),
                name=place_names(spec["place"].format(m=municipality)),
                category=category,
                capacity=rng.randint(low, high),
                holds_women=rng.random() < spec["women"],
                holds_minors=rng.random() < spec["minors"],
                weight=spec["weight"] * rng.uniform(0.5, 1.5),
                chain=_chain(institution, parents),
            )
            world.places.append(plan)
            places.append(
                Place(
                    id=plan.id,
                    name=plan.name,
                    category=category,
                    authority_id=institution,
                    municipality=municipality,
                    district=district,
                    address=f"{municipality}, street no. {rng.randint(1, 120)}",
                    capacity=plan.capacity,
                    holds_women=plan.holds_women,
                    holds_minors=plan.holds_minors,
                )
            )
    writer.write("authorities", Authority, rows)
    writer.write("places", Place, places)


def _chain(pk: int, parents: dict[int, int | None]) -> tuple[int, ...]:
    chain = [pk]
    while parents[chain[-1]] is not None:
        chain.append(parents[chain[-1]])
    return tuple(chain)
