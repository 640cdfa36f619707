"""What the parts of the generator share: the scale, the random streams, the anchor date and the
rows planned so far (ids and the few facts later parts need, never model instances)."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from dataclasses import dataclass, field

from visits.models.visit import LOCAL_ZONE

from .writing import Writer

# Ten years of data up to the anchor date, and planned visits up to three months after it.
YEARS = 10
FUTURE_DAYS = 90


class Weighted:
    """A weighted choice, its cumulative weights worked out once (`random.choices` would
    add them up on every call)."""

    def __init__(self, table):
        self.values, weights = zip(*table, strict=True)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random):
        return self.values[bisect.bisect(self.cumulative, rng.random() * self.total)]


def noon(day: dt.date) -> dt.datetime:
    """A day as a moment (when a letter came, an assessment was made)."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=LOCAL_ZONE)


def scaled(base: int, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(base * scale))


@dataclass(slots=True)
class MemberPlan:
    id: int
    user_id: int
    expertise: str


@dataclass(slots=True)
class PlacePlan:
    id: int
    name: str
    category: str
    capacity: int
    holds_women: bool
    holds_minors: bool
    weight: float
    # The operating institution first, up to the ministry at the top.
    chain: tuple[int, ...]


@dataclass
class World:
    scale: float
    seed: int
    today: dt.date
    writer: Writer
    staff_ids: list[int] = field(default_factory=list)
    head_id: int = 0
    compliance_id: int = 0
    members: list[MemberPlan] = field(default_factory=list)
    places: list[PlacePlan] = field(default_factory=list)
    # Themes: (id, code, forced-return theme, name).
    themes: list[tuple[int, str, bool, str]] = field(default_factory=list)

    def rng(self, part: str) -> random.Random:
        """An independent stream per part: changing one part leaves the others' data as is."""
        return random.Random(f"{self.seed}:{part}")

    @property
    def first_day(self) -> dt.date:
        return self.today - dt.timedelta(days=365 * YEARS)

    @property
    def yesterday(self) -> dt.date:
        return self.today - dt.timedelta(days=1)
