import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.search import folded_contains

from .models import Agreement, Event, Member, Organisation

# What the search boxes (and the header search, npm_portal.search) match, folded (core.search).
ORGANISATION_SEARCH_FIELDS = ("name", "name_sr", "short_name", "focus_areas", "country")
MEMBER_SEARCH_FIELDS = ("first_name", "last_name", "expertise_note")


def organisation_search_q(text: str) -> Q:
    # Partners' tables are small and read whole: the fields folded as one text (core.search).
    return folded_contains(ORGANISATION_SEARCH_FIELDS, text, as_one_text=True)


def member_search_q(text: str) -> Q:
    """Every word in a name or the expertise note: "Ana Petrović" finds first and last name."""
    condition = Q()
    for word in text.split():
        condition &= folded_contains(MEMBER_SEARCH_FIELDS, word, as_one_text=True)
    return condition


ACTIVE_WIDGET = forms.Select(
    choices=[("", _("Any")), ("true", _("Active")), ("false", _("Inactive"))]
)


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Organisation.Kind.choices, empty_label=_("Any")
    )
    active = django_filters.BooleanFilter(label=_("Active"), widget=ACTIVE_WIDGET)

    class Meta:
        model = Organisation
        fields = ["q", "kind", "active"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(organisation_search_q(value))


class AgreementFilter(django_filters.FilterSet):
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(agreements__isnull=False).distinct(),
        empty_label=_("Any"),
    )
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=Agreement.State.choices,
        empty_label=_("Any"),
        method="filter_state",
    )
    expiring = django_filters.BooleanFilter(
        label=_("Expiring soon only"),
        method="filter_expiring",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Agreement
        fields = ["organisation", "state", "expiring"]

    def filter_state(self, queryset, name, value):
        return queryset.with_state(value)

    def filter_expiring(self, queryset, name, value):
        return queryset.expiring_within() if value else queryset


class MemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    expertise = django_filters.ChoiceFilter(
        label=_("Expertise"), choices=Member.Expertise.choices, empty_label=_("Any")
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(members__isnull=False).distinct(),
        empty_label=_("Any"),
    )
    active = django_filters.BooleanFilter(label=_("Active"), widget=ACTIVE_WIDGET)

    class Meta:
        model = Member
        fields = ["q", "expertise", "organisation", "active"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(member_search_q(value))


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Event.Kind.choices, empty_label=_("Any")
    )
    # A calendar year: an odd value is a message next to the field, not a 500.
    year = django_filters.NumberFilter(
        label=_("Year"), field_name="starts_on", lookup_expr="year", min_value=1, max_value=9999
    )

    class Meta:
        model = Event
        fields = ["kind", "year"]
