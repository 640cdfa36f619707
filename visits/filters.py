import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .lookups import LookupFilter, authority_field
from .models import Authority, Place, TeamMember, Visit


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
    authority = LookupFilter(
        label=_("Authority (and below)"), make_field=authority_field, method="filter_authority"
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
        return queryset.search(value)


YES_NO = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]


class VisitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Visit.Status.choices, empty_label=_("Any")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Type"), choices=Visit.Kind.choices, empty_label=_("Any")
    )
    category = django_filters.ChoiceFilter(
        label=_("Place category"),
        field_name="place__category",
        choices=Place.Category.choices,
        empty_label=_("Any"),
    )
    district = django_filters.ChoiceFilter(
        label=_("District"),
        field_name="place__district",
        choices=_district_choices,
        empty_label=_("Any"),
    )
    date_from = django_filters.DateFilter(
        label=_("From"),
        field_name="planned_start",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("To"),
        field_name="planned_start",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    night = django_filters.BooleanFilter(
        label=_("Night visit"), widget=forms.Select(choices=YES_NO)
    )
    announced = django_filters.BooleanFilter(
        label=_("Announced"), widget=forms.Select(choices=YES_NO)
    )
    person = django_filters.CharFilter(label=_("Team member"), method="filter_person")

    class Meta:
        model = Visit
        fields = [
            "q",
            "status",
            "kind",
            "category",
            "district",
            "date_from",
            "date_to",
            "night",
            "announced",
            "person",
        ]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_person(self, queryset, name, value):
        words = value.split()
        if not words:
            return queryset
        team = TeamMember.objects.all()
        for word in words:
            team = team.filter(
                Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(member__first_name__icontains=word)
                | Q(member__last_name__icontains=word)
            )
        return queryset.filter(pk__in=team.values("visit_id"))
