import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.search import folded_contains

from .lookups import VISIT_REFERENCE, LookupFilter, authority_field
from .models import Authority, Place, Report, TeamMember, Visit

# What each registry's search box (and the header search, npm_portal.search) matches, folded
# (core.search): case, diacritics and script do not matter.
PLACE_SEARCH_FIELDS = (
    "name",
    "name_sr",
    "municipality",
    "district",
    "district_sr",
    "address",
    "authority__name",
    "authority__name_sr",
)
AUTHORITY_SEARCH_FIELDS = ("name", "name_sr", "short_name")


# The registry's tables are read whole by their search (no index on eight fields across a
# join): the fields are folded as one text, one call per row.
def place_search_q(text: str) -> Q:
    return folded_contains(PLACE_SEARCH_FIELDS, text, as_one_text=True)


def authority_search_q(text: str) -> Q:
    return folded_contains(AUTHORITY_SEARCH_FIELDS, text, as_one_text=True)


def visit_search_q(text: str) -> Q:
    """A visit's reference as displayed ("V-2025-001"), or its place's name, its purpose, the
    NPM or body it was joint with, or its report's reference or title."""
    match = VISIT_REFERENCE.match(text)
    if match:
        return Q(year=int(match[1]), number=int(match[2]))
    if not text.strip():
        return Q()
    # Semi-joins through the places' and reports' folded indexes, not an OR across joins.
    places = Place.objects.filter(folded_contains(("name", "name_sr", "municipality"), text))
    reports = Report.objects.filter(folded_contains(("reference", "title"), text))
    own = Visit.objects.filter(folded_contains(("purpose", "joint_with"), text))
    return (
        Q(place_id__in=places.values("pk"))
        | Q(pk__in=own.order_by().values("pk"))
        | Q(pk__in=reports.order_by().values("visit_id"))
    )


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
        return queryset.filter(place_search_q(value))

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
        return queryset.filter(authority_search_q(value))


YES_NO = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]
TEAM_NAME_FIELDS = (
    "user__first_name",
    "user__last_name",
    "member__first_name",
    "member__last_name",
)


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
        return queryset.filter(visit_search_q(value))

    def filter_person(self, queryset, name, value):
        words = value.split()
        if not words:
            return queryset
        team = TeamMember.objects.all()
        for word in words:
            team = team.filter(folded_contains(TEAM_NAME_FIELDS, word))
        return queryset.filter(pk__in=team.values("visit_id"))
