"""/visits/: what a visit is, its team and the population on the day. Never its interviews,
identities, interview counts, follow-up checks or attachments. A partner member sees only the
visits they are on the team of: any other is a 404, as on the pages."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from visits.filters import VisitFilter
from visits.models import Place, TeamMember, Visit

from .common import IntegerFilter, ReadOnlyResource


class TeamMemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person_name", read_only=True)
    kind = serializers.SerializerMethodField(help_text=_("NPM staff, or a partner member."))

    class Meta:
        model = TeamMember
        fields = ["role", "name", "kind"]

    def get_kind(self, member: TeamMember) -> str:
        return "staff" if member.user_id else "partner"


class PopulationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Visit
        fields = ["capacity_on_day", "present", "women", "minors", "foreigners"]


class VisitSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:visit-detail")
    reference = serializers.CharField(read_only=True)
    team = TeamMemberSerializer(many=True, read_only=True)
    population = PopulationSerializer(source="*", read_only=True)
    report = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = [
            "id",
            "url",
            "reference",
            "place",
            "year",
            "number",
            "kind",
            "announced",
            "joint_with",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "night",
            "purpose",
            "status",
            "cancel_reason",
            "population",
            "team",
            "report",
        ]

    def get_report(self, visit: Visit) -> int | None:
        report = getattr(visit, "report", None)
        return report.pk if report is not None else None


class ApiVisitFilter(VisitFilter):
    """The visits page's filters, with the place and the year; `district` is free text here."""

    place = django_filters.ModelChoiceFilter(label=_("Place"), queryset=Place.objects.all())
    year = IntegerFilter(label=_("Year"))
    district = django_filters.CharFilter(label=_("District"), field_name="place__district")

    class Meta(VisitFilter.Meta):
        fields = [*VisitFilter.Meta.fields, "place", "year"]


class VisitViewSet(ReadOnlyResource):
    """Visits the caller may see: every visit for the NPM roles, a partner member's own."""

    serializer_class = VisitSerializer
    filterset_class = ApiVisitFilter

    def get_queryset(self):
        return (
            Visit.objects.visible_to(self.request.user)
            .select_related("report")
            .prefetch_related("team__user", "team__member")
        )


def register(router) -> None:
    router.register("visits", VisitViewSet, basename="visit")
