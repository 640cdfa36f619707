import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from visits.models import AccessAction, AccessLog


class IPAddressFilter(django_filters.Filter):
    """An address is checked before it reaches the database (PostgreSQL's inet refuses others)."""

    field_class = forms.GenericIPAddressField


class AccessLogFilter(django_filters.FilterSet):
    user = django_filters.ModelChoiceFilter(
        label=_("User"),
        queryset=get_user_model().objects.order_by("username"),
        empty_label=_("Anyone"),
    )
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=AccessAction.choices, empty_label=_("Any")
    )
    # Bounded like the column, so an odd value is a message next to the field, not a 500.
    visit = django_filters.NumberFilter(
        label=_("Visit number"), field_name="visit_id", min_value=1, max_value=2**31 - 1
    )
    object_type = django_filters.CharFilter(label=_("Record type"), lookup_expr="icontains")
    since = django_filters.DateFilter(
        label=_("From"),
        field_name="created_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("Until"),
        field_name="created_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ip = IPAddressFilter(label=_("IP address"), field_name="ip")

    class Meta:
        model = AccessLog
        fields = ["user", "action", "visit", "object_type", "since", "until", "ip"]
