"""Typed choices over the registry and the visits (core.lookup): the tracker's and the lists'
place, authority and visit boxes, and the suggestions behind them (views/lookup.py)."""

from __future__ import annotations

import re

import django_filters
from django.db.models import Q, QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from core.lookup import LookupField, name_contains
from core.translit import to_latin

from .models import Authority, Place, Visit

VISIT_REFERENCE = re.compile(r"^\s*V-(\d{4})-(\d{1,6})\s*(?:·.*)?$", re.IGNORECASE)


def visit_label(visit: Visit) -> str:
    return f"{visit.reference} · {visit.place.name}"


def find_visits(queryset: QuerySet, text: str) -> QuerySet:
    """A visit reference as displayed ("V-2025-001"), a report's reference ("NPM-2026-002"),
    or words of the place's name."""
    queryset = queryset.select_related("place").order_by("-year", "-number")
    match = VISIT_REFERENCE.match(text)
    if match:
        return queryset.filter(year=int(match[1]), number=int(match[2]))
    return queryset.filter(
        Q(report__reference__iexact=text.strip()) | Q(place__name__icontains=text.strip())
    )


def names_contain(*fields: str):
    """`name_contains` over the English and Serbian names: the boxes show names in the page's
    language, and text typed in Cyrillic is looked for in Latin, the Serbian names' script."""
    find_latin = name_contains(*fields)

    def find(queryset: QuerySet, text: str) -> QuerySet:
        return find_latin(queryset, to_latin(text))

    return find


def place_field(queryset: QuerySet | None = None, url=None, **kwargs) -> LookupField:
    return LookupField(
        queryset=queryset if queryset is not None else Place.objects.all(),
        find=names_contain("name", "name_sr"),
        url=url or reverse_lazy("visits:lookup", args=["place"]),
        **kwargs,
    )


def authority_field(queryset: QuerySet | None = None, url=None, **kwargs) -> LookupField:
    return LookupField(
        queryset=queryset if queryset is not None else Authority.objects.all(),
        find=names_contain("name", "name_sr", "short_name"),
        url=url or reverse_lazy("visits:lookup", args=["authority"]),
        **kwargs,
    )


def visit_field(queryset: QuerySet | None = None, **kwargs) -> LookupField:
    return LookupField(
        queryset=queryset if queryset is not None else Visit.objects.all(),
        find=find_visits,
        display=visit_label,
        url=reverse_lazy("visits:lookup", args=["visit"]),
        help_text=_("A reference such as V-2025-001, or the place's name."),
        **kwargs,
    )


class LookupFilter(django_filters.Filter):
    """A filter with a typed box (`make_field`: one of the fields above), never a `<select>` of
    the table."""

    def __init__(self, *args, make_field, **kwargs):
        self.make_field = make_field
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        if not hasattr(self, "_field"):
            self._field = self.make_field(label=self.label, required=False)
        return self._field
