"""Sortable list columns: `?sort=name` / `?sort=-name` against a whitelist of sort keys.

A list view declares its columns once:

    VISIT_SORTS = Sorts({"date": ("planned_start",), "place": ("place__name",)}, default="-date")
    sorting = VISIT_SORTS.from_request(request)
    visits = visits.order_by(*sorting.order_by)

and its template renders each sortable header with `{% sortable_th sorting "date" _("Date") %}`
(`core.templatetags.sorting_tags`). An unknown or malformed key gives the default order, never an
error. Every ordering ends on the primary key, so rows with equal values keep the same order from
one page to the next (no row is shown twice or skipped while paging).

Only declare keys whose ordering stays cheap on a decade of data: an indexed column, or a table
that stays small (organisations, calls, networks, webhooks), or a join the page already makes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Expression, F, OrderBy
from django.http import HttpRequest

PARAM = "sort"

Field = str | Expression


def _reverse(field: Field) -> Field:
    """The opposite direction of one order_by item ("name" ↔ "-name", F("x").asc() ↔ .desc())."""
    if isinstance(field, str):
        return field[1:] if field.startswith("-") else f"-{field}"
    if isinstance(field, OrderBy):
        return OrderBy(
            field.expression,
            descending=not field.descending,
            nulls_first=field.nulls_last,
            nulls_last=field.nulls_first,
        )
    return field.desc()


def _name(field: Field) -> str | None:
    """The model field an order_by item names, to tell whether it already holds the pk."""
    if isinstance(field, str):
        return field.lstrip("-")
    if isinstance(field, OrderBy) and isinstance(field.expression, F):
        return field.expression.name
    return None


@dataclass(frozen=True)
class Sorting:
    """The order of one request's list: the active key, its direction and the order_by."""

    sorts: Sorts
    key: str  # the column, without the "-"
    descending: bool
    order_by: tuple[Field, ...]

    @property
    def value(self) -> str:
        """The `sort` parameter of this order."""
        return f"-{self.key}" if self.descending else self.key

    @property
    def is_default(self) -> bool:
        return self.value == self.sorts.default

    def direction(self, key: str) -> str | None:
        """`aria-sort` of a column: "ascending" / "descending" when the list is sorted on it."""
        if key != self.key:
            return None
        return "descending" if self.descending else "ascending"

    def next_value(self, key: str) -> str:
        """The `sort` value a click on the column's header asks for: the other direction of the
        active column, else the column's first direction (dates newest first, names A to Z)."""
        if key == self.key and key not in self.sorts.one_way:
            return key if self.descending else f"-{key}"
        return self.sorts.first_value(key)


class Sorts:
    """A list's sort keys: key → order_by items (ascending), the default `sort` value, the keys
    whose first click sorts descending, and the keys sorted one way only (their first direction:
    the other is not offered and, asked for, gives the default)."""

    def __init__(
        self,
        columns: Mapping[str, Iterable[Field]],
        *,
        default: str,
        descending_first: Iterable[str] = (),
        one_way: Iterable[str] = (),
        tie_breaker: str = "pk",
    ) -> None:
        self.columns = {key: tuple(fields) for key, fields in columns.items()}
        self.descending_first = frozenset(descending_first)
        self.one_way = frozenset(one_way)
        self.tie_breaker = tie_breaker
        self.default = default
        unknown = (self.descending_first | self.one_way) - set(self.columns)
        if unknown:
            raise ValueError(f"descending_first or one_way name unknown keys: {sorted(unknown)}")
        if default not in self:
            raise ValueError(f"default sort {default!r} is not one of {sorted(self.columns)}")

    def first_value(self, key: str) -> str:
        return f"-{key}" if key in self.descending_first else key

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, str):
            return False
        key = value.removeprefix("-")
        if key not in self.columns:
            return False
        return key not in self.one_way or value == self.first_value(key)

    def resolve(self, value: object) -> Sorting:
        """The Sorting of a `sort` value; anything not in the whitelist gives the default."""
        if not isinstance(value, str) or value not in self:
            value = self.default
        descending = value.startswith("-")
        key = value.removeprefix("-")
        fields = self.columns[key]
        if descending:
            fields = tuple(_reverse(f) for f in fields)
        if not any(_name(f) in (self.tie_breaker, "pk", "id") for f in fields):
            fields = (*fields, f"-{self.tie_breaker}" if descending else self.tie_breaker)
        return Sorting(sorts=self, key=key, descending=descending, order_by=fields)

    def from_request(self, request: HttpRequest) -> Sorting:
        return self.resolve(request.GET.get(PARAM))
