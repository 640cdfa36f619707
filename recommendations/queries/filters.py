"""Filters, search and sort of the recommendations tracker (the page and its exports)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _

from visits.models import Authority, Place, Theme, Visit

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
    years = (
        Visit.objects.filter(recommendations__isnull=False)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    return [(str(y), str(y)) for y in years]


class VisitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Visit) -> str:
        return f"{obj.reference} · {obj.place.name}"


class VisitChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = VisitChoiceField


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
    authority = django_filters.ModelChoiceFilter(
        label=_("Addressee (and below)"),
        queryset=Authority.objects.order_by("name"),
        method="filter_authority",
        empty_label=_("Any"),
    )
    place = django_filters.ModelChoiceFilter(
        label=_("Place"),
        field_name="visit__place",
        queryset=Place.objects.order_by("name"),
        empty_label=_("Any"),
    )
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
    visit = VisitChoiceFilter(
        label=_("Visit"),
        queryset=Visit.objects.filter(recommendations__isnull=False)
        .distinct()
        .select_related("place")
        .order_by("-year", "-number"),
        empty_label=_("Any"),
    )
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

    @property
    def qs(self):
        queryset = super().qs
        sort = self.form.cleaned_data.get("sort") if self.form.is_valid() else None
        if not sort:
            queryset = queryset.order_by(*SORTS[DEFAULT_SORT])
        return queryset

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(text__icontains=value)
            | Q(visit__place__name__icontains=value)
            | Q(visit__report__reference__icontains=value)
        )

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
        return queryset.order_by(*SORTS.get(value, SORTS[DEFAULT_SORT]))
