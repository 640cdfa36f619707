"""The portal's filters for open data (year, theme, place category, place, status, authority,
report, text). Every filter that crosses a many-to-many is a `pk__in` semi-join, so no list needs
DISTINCT (issue #12: a DISTINCT over an OR join of millions of rows); an unknown value is a 400
with the field's message, never an empty page that looks like an answer."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from recommendations.models import Recommendation, Status
from visits.models import Authority, PlaceCategory, Report, Theme

from .querysets import open_authorities, open_places, open_recommendations, open_reports


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.NumberFilter):
    """A whole number: "1.5" or "1e309" is a 400, not a silent match."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class ThemeCodeFilter(django_filters.ModelChoiceFilter):
    """A theme by its code (the dictionary lists them)."""


@extend_schema_field(OpenApiTypes.INT)
class AuthorityFilter(django_filters.ModelChoiceFilter):
    """An authority by its id, and every body below it."""


class TextFilter(django_filters.CharFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)


def _subtree(authority: Authority) -> set[int]:
    return Authority.objects.subtree_ids(authority)


class _OpenFilter(django_filters.FilterSet):
    year = YearFilter(label=_("Year of the visit"), field_name="visit__year")
    theme = ThemeCodeFilter(
        label=_("Theme (its code)"),
        queryset=Theme.objects.all(),
        to_field_name="code",
        method="filter_theme",
    )
    category = django_filters.ChoiceFilter(
        label=_("Place category"),
        field_name="visit__place__category",
        choices=PlaceCategory.choices,
    )
    place = django_filters.ModelChoiceFilter(
        label=_("Place (its id)"), field_name="visit__place", queryset=open_places()
    )
    authority = AuthorityFilter(
        label=_("Authority (its id) and every body below it"),
        queryset=open_authorities(),
        method="filter_authority",
    )
    q = TextFilter(label=_("Search"), method="filter_search")


class RecommendationFilter(_OpenFilter):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    report = django_filters.ModelChoiceFilter(
        label=_("Report (its id)"), field_name="visit__report", queryset=open_reports()
    )

    class Meta:
        model = Recommendation
        fields = ["year", "theme", "category", "place", "status", "authority", "report", "q"]

    def filter_theme(self, queryset, name, value):
        return queryset.filter(theme=value)

    def filter_authority(self, queryset, name, value):
        through = Recommendation.addressees.through
        addressed = through.objects.filter(authority_id__in=_subtree(value))
        return queryset.filter(pk__in=addressed.values("recommendation_id"))

    def filter_search(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(
            Q(text__icontains=text)
            | Q(visit__place__name__icontains=text)
            | Q(visit__report__reference__icontains=text)
        )


class ReportFilter(_OpenFilter):
    class Meta:
        model = Report
        fields = ["year", "theme", "category", "place", "authority", "q"]

    def filter_theme(self, queryset, name, value):
        themed = open_recommendations().filter(theme=value).values("visit_id")
        return queryset.filter(visit_id__in=themed)

    def filter_authority(self, queryset, name, value):
        # As the portal: the reports on places it operates, or addressing it a recommendation.
        ids = _subtree(value)
        through = Recommendation.addressees.through
        addressed = open_recommendations().filter(
            pk__in=through.objects.filter(authority_id__in=ids).values("recommendation_id")
        )
        return queryset.filter(
            Q(visit__place__authority_id__in=ids) | Q(visit_id__in=addressed.values("visit_id"))
        )

    def filter_search(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(
            Q(reference__icontains=text)
            | Q(title__icontains=text)
            | Q(visit__place__name__icontains=text)
            | Q(visit__place__municipality__icontains=text)
        )
