"""Filters, search and sort of the recommendations tracker (the page and its exports)."""

from __future__ import annotations

import re

import django_filters
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from core.search import folded_contains
from visits.lookups import (
    VISIT_REFERENCE,
    LookupFilter,
    authority_field,
    place_field,
    visit_field,
)
from visits.models import Authority, Place, Report, Theme, Visit

from ..models import Priority, Recommendation, Status, overdue_q

YES_NO = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]

# Sort key → order_by; every ordering ends in unique fields so pages never overlap.
SORTS = {
    "reference": ("visit__year", "visit__number", "number"),
    "-reference": ("-visit__year", "-visit__number", "-number"),
    "due": ("due_date", "visit__year", "visit__number", "number"),
    "-due": ("-due_date", "visit__year", "visit__number", "number"),
    "status": ("status", "visit__year", "visit__number", "number"),
    "place": ("visit__place__name", "visit__year", "visit__number", "number"),
    "priority": ("priority_rank", "visit__year", "visit__number", "number"),
    "-updated": ("-updated_at", "-pk"),
}


def ordering(sort: str, *, searching: bool = False) -> tuple:
    """The order_by of a sort key. While searching, the visit's year is sorted as an expression:
    the matches are few and found through their indexes, and PostgreSQL would otherwise walk
    the visits in reference order and test every match against each one (measured: 3.5 million
    comparisons for 25 rows of a 5,000-match search at 200,000 recommendations)."""
    fields = SORTS.get(sort, SORTS[DEFAULT_SORT])
    if not searching:
        return fields
    unindexed = ExpressionWrapper(F("visit__year") + Value(0), output_field=IntegerField())
    swap = {"visit__year": unindexed.asc(), "-visit__year": unindexed.desc()}
    return tuple(swap.get(field, field) for field in fields)


# The first choice is the default (the select shows it when nothing is chosen).
SORT_CHOICES = [
    ("-reference", _("Newest first")),
    ("reference", _("Oldest first")),
    ("due", _("Due date")),
    ("-due", _("Due date, latest first")),
    ("status", _("Status")),
    ("place", _("Place")),
    ("priority", _("Priority, urgent first")),
    ("-updated", _("Recently updated")),
]
DEFAULT_SORT = "-reference"


def _district_choices():
    districts = Place.objects.order_by("district").values_list("district", flat=True).distinct()
    return [(d, d) for d in districts if d]


def _year_choices():
    # The years of visits (a few dozen rows off the visits table), not a scan of recommendations.
    years = Visit.objects.order_by("-year").values_list("year", flat=True).distinct()
    return [(str(y), str(y)) for y in years]


RECOMMENDATION_REFERENCE = re.compile(r"^\s*(\S+?)\s*/\s*(\d+)\s*$")


def _search_parts(value: str, *, with_places: bool):
    """The parts of the text search, each a condition on recommendations that an index answers:
    the text (its trigram index), the visit's report reference and, `with_places`, the place's
    name (semi-joins over visits), and a reference as displayed ("NPM-2026-002/1")."""
    # Folded on both sides (core.search), through the trigram indexes of the folded columns.
    places = Place.objects.filter(folded_contains(("name", "name_sr"), value)).values("pk")
    reports = (
        Report.objects.filter(folded_contains(("reference",), value)).order_by().values("visit_id")
    )
    visits = (
        Visit.objects.filter(place_id__in=places).order_by().values("pk").union(reports)
        if with_places
        else reports
    )
    parts = [folded_contains(("text",), value), Q(visit_id__in=visits)]
    match = RECOMMENDATION_REFERENCE.match(value)
    if match:
        prefix, number = match[1], int(match[2])
        numbered = Visit.objects.filter(report__reference__iexact=prefix)
        visit = VISIT_REFERENCE.match(prefix)
        if visit:
            numbered = Visit.objects.filter(year=int(visit[1]), number=int(visit[2]))
        parts.append(Q(number=number, visit_id__in=numbered.values("pk")))
    return parts, visits, places, reports


def search_q(value: str, *, walk: bool = False, with_places: bool = True) -> Q:
    """The tracker's (and the portal's) text search: a recommendation's reference as displayed
    ("NPM-2026-002/1"), or the text in the recommendation, its place's name or its report's
    reference.

    Two forms of the same condition. By default the place and report parts are a semi-join over
    visits, inside a union with the text's trigram index scan (PostgreSQL): time in proportion
    to the matches, never a scan of a four-table join. `walk=True` writes it as one OR over the
    row's own visit, which PostgreSQL can test while walking the list's order and stop at the
    page: cheaper when the matches are many (`recommendations.pagination.prefers_walk`).
    `with_places=False` leaves out the place names (the header search lists places apart: a
    recommendation is found there by its own text or reference)."""
    (text, of_visits, *reference), _visits, places, reports = _search_parts(
        value, with_places=with_places
    )
    if walk:
        # The text too as a set of keys (one trigram index scan, then a hash probe per row
        # walked): folding every walked row's text is some 20 times dearer than the probe.
        texts = Recommendation.objects.filter(text).order_by().values("pk")
        query = Q(pk__in=texts) | Q(visit_id__in=reports)
        if with_places:
            query |= Q(visit__place_id__in=places)
    else:
        # A union of two index scans (the text's trigram index, the visits' key), not one OR
        # that the planner can only answer by reading every recommendation.
        matching = (
            Recommendation.objects.filter(text)
            .order_by()
            .values("pk")
            .union(Recommendation.objects.filter(of_visits).order_by().values("pk"))
        )
        query = Q(pk__in=matching)
    for part in reference:
        query |= part
    return query


# The header search's order: the tracker's default, newest first.
NEWEST_FIRST = ordering("-reference", searching=True)


def first_matches_q(value: str, limit: int, *, with_places: bool = True) -> Q:
    """`search_q` for a list that shows only its first `limit` rows, newest first
    (NEWEST_FIRST; the header search): each part of the search sorted and cut at `limit` by
    itself, then their union, so the time follows the page, not the matches ("NPM-2026-1"
    matches a tenth of a year's reports, 9,000 recommendations at 200,000; joining and sorting
    them all took 70 ms). The part found through the visits takes the first `limit` matching
    visits that have a recommendation, then their recommendations: the first `limit`
    recommendations in this order are among theirs. Where the database cannot cut the parts of
    a union (SQLite), the plain search."""
    if not connection.features.supports_slicing_ordering_in_compound:
        return search_q(value, with_places=with_places)
    (text, _of_visits, *reference), visits, _places, _reports = _search_parts(
        value, with_places=with_places
    )
    newest = ExpressionWrapper(F("year") + Value(0), output_field=IntegerField())
    first_visits = (
        Visit.objects.filter(pk__in=visits)
        .filter(Exists(Recommendation.objects.filter(visit=OuterRef("pk"))))
        .order_by(newest.desc(), "-number")
        .values("pk")[:limit]
    )
    first = [
        Recommendation.objects.filter(part).order_by(*NEWEST_FIRST).values("pk")[:limit]
        for part in (text, Q(visit_id__in=first_visits), *reference)
    ]
    return Q(pk__in=first[0].union(*first[1:]))


def annotate_for_list(queryset):
    """What every tracker row needs, in a fixed number of queries whatever the page size."""
    through = Recommendation.repeats.through
    return (
        queryset.select_related("visit__place", "visit__report", "theme")
        .prefetch_related("addressees")
        .annotate(
            is_repeat=Exists(through.objects.filter(from_recommendation_id=OuterRef("pk"))),
            is_repeated=Exists(through.objects.filter(to_recommendation_id=OuterRef("pk"))),
            priority_rank=Case(
                When(priority=Priority.URGENT, then=Value(0)),
                When(priority=Priority.HIGH, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
        )
    )


class RecommendationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("Any")
    )
    overdue = django_filters.ChoiceFilter(
        label=_("Overdue"), choices=YES_NO[1:], empty_label=_("Any"), method="filter_overdue"
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), queryset=Theme.objects.all(), empty_label=_("Any")
    )
    priority = django_filters.ChoiceFilter(
        label=_("Priority"), choices=Priority.choices, empty_label=_("Any")
    )
    # Picking a ministry also finds recommendations to every body below it.
    authority = LookupFilter(
        label=_("Addressee (and below)"), make_field=authority_field, method="filter_authority"
    )
    place = LookupFilter(label=_("Place"), field_name="visit__place", make_field=place_field)
    category = django_filters.ChoiceFilter(
        label=_("Place category"),
        field_name="visit__place__category",
        choices=Place.Category.choices,
        empty_label=_("Any"),
    )
    district = django_filters.ChoiceFilter(
        label=_("District"),
        field_name="visit__place__district",
        choices=_district_choices,
        empty_label=_("Any"),
    )
    year = django_filters.ChoiceFilter(
        label=_("Year"), field_name="visit__year", choices=_year_choices, empty_label=_("Any")
    )
    visit = LookupFilter(label=_("Visit"), make_field=visit_field)
    repeated = django_filters.ChoiceFilter(
        label=_("Repeated concern"),
        choices=YES_NO[1:],
        empty_label=_("Any"),
        method="filter_repeated",
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=SORT_CHOICES,
        empty_label=None,
        method="filter_sort",
    )

    class Meta:
        model = Recommendation
        fields = [
            "q",
            "status",
            "overdue",
            "theme",
            "priority",
            "authority",
            "place",
            "category",
            "district",
            "year",
            "visit",
            "repeated",
            "sort",
        ]

    def __init__(self, data=None, *args, today=None, **kwargs):
        self.today = today
        super().__init__(data, *args, **kwargs)

    def _search_and_sort(self) -> tuple[str, str]:
        self.form.is_valid()  # an invalid box is ignored; the sort and the rest still apply
        data = getattr(self.form, "cleaned_data", {})
        return (data.get("q") or "").strip(), data.get("sort") or DEFAULT_SORT

    @property
    def qs(self):
        queryset = super().qs  # every filter but the search (`filter_search`)
        text, sort = self._search_and_sort()
        if text:
            queryset = queryset.filter(search_q(text))
        return queryset.order_by(*ordering(sort, searching=bool(text)))

    @property
    def walking_qs(self):
        """The rows of `qs` with the search as one OR, in a reference order PostgreSQL can walk
        (`recommendations.pagination`); None when there is no search or another sort."""
        text, sort = self._search_and_sort()
        if not text or sort not in ("reference", "-reference"):
            return None
        return super().qs.filter(search_q(text, walk=True)).order_by(*ordering(sort))

    @property
    def sort_key(self) -> str:
        return self._search_and_sort()[1]

    def filter_search(self, queryset, name, value):
        return queryset  # applied in `qs`, after the other filters, in one of two forms

    def filter_overdue(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(overdue_q(self.today))
        if value == "no":
            return queryset.exclude(overdue_q(self.today))
        return queryset

    def filter_authority(self, queryset, name, value):
        through = Recommendation.addressees.through
        ids = Authority.objects.subtree_ids(value)
        return queryset.filter(
            pk__in=through.objects.filter(authority_id__in=ids).values("recommendation_id")
        )

    def filter_repeated(self, queryset, name, value):
        through = Recommendation.repeats.through
        linked = Q(pk__in=through.objects.values("from_recommendation_id")) | Q(
            pk__in=through.objects.values("to_recommendation_id")
        )
        if value == "yes":
            return queryset.filter(linked)
        if value == "no":
            return queryset.exclude(linked)
        return queryset

    def filter_sort(self, queryset, name, value):
        return queryset  # applied last, in `qs`
