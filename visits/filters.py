import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Authority, Place


def _district_choices():
    districts = Place.objects.order_by("district").values_list("district", flat=True).distinct()
    return [(d, d) for d in districts if d]


class PlaceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=Place.Category.choices, empty_label=_("Any")
    )
    district = django_filters.ChoiceFilter(
        label=_("District"), choices=_district_choices, empty_label=_("Any")
    )
    # Picking a ministry also finds the places of every body below it.
    authority = django_filters.ModelChoiceFilter(
        label=_("Authority (and below)"),
        queryset=Authority.objects.order_by("name"),
        method="filter_authority",
        empty_label=_("Any"),
    )
    active = django_filters.BooleanFilter(
        label=_("Active"),
        widget=forms.Select(
            choices=[("", _("Any")), ("true", _("Active")), ("false", _("Inactive"))]
        ),
    )

    class Meta:
        model = Place
        fields = ["q", "category", "district", "authority", "active"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_authority(self, queryset, name, value):
        return queryset.filter(authority_id__in=Authority.objects.subtree_ids(value))


class AuthorityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Authority.Kind.choices, empty_label=_("Any")
    )

    class Meta:
        model = Authority
        fields = ["q", "kind"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(name__icontains=value) | queryset.filter(short_name__icontains=value)
