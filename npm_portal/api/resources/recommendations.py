"""/recommendations/: the tracker's rows with their current status, filtered like the tracker
(its own FilterSet), and each one's timeline. Partner-only users get 404, as on the pages."""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from recommendations import access
from recommendations.models import Reason, Recommendation
from recommendations.queries.filters import RecommendationFilter, annotate_for_list
from recommendations.queries.timeline import recommendation_timeline
from visits.models import Authority, Theme

from .common import IdFilter, IntegerFilter, ReadOnlyResource


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["id", "code", "name", "name_sr"]


class RecommendationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:recommendation-detail")
    reference = serializers.CharField(read_only=True)
    theme = ThemeSerializer(read_only=True, allow_null=True)
    place = serializers.IntegerField(source="visit.place_id", read_only=True)
    report = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField(
        help_text=_("The response is due and no letter has come.")
    )
    repeats = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    # Empty unless the status is partial or non-implementation.
    reason = serializers.ChoiceField(choices=Reason.choices, allow_blank=True, read_only=True)
    timeline = serializers.HyperlinkedIdentityField(view_name="api:recommendation-timeline")

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "url",
            "reference",
            "visit",
            "place",
            "report",
            "number",
            "text",
            "theme",
            "priority",
            "addressees",
            "status",
            "reason",
            "status_changed_on",
            "due_date",
            "dispatched_on",
            "responded_on",
            "overdue",
            "verified_on_site",
            "public",
            "repeats",
            "timeline",
        ]

    def get_report(self, recommendation: Recommendation) -> int | None:
        report = getattr(recommendation.visit, "report", None)
        return report.pk if report is not None else None

    def get_overdue(self, recommendation: Recommendation) -> bool:
        return recommendation.is_overdue(self.context["today"])


class TimelineEventSerializer(serializers.Serializer):
    date = serializers.DateField()
    kind = serializers.ChoiceField(
        choices=["created", "issued", "dispatched", "response", "follow_up", "assessment", "due"]
    )
    label = serializers.CharField()
    detail = serializers.CharField(allow_blank=True)
    page = serializers.SerializerMethodField(help_text=_("The page of the event, if any."))

    def get_page(self, event) -> str | None:
        return self.context["request"].build_absolute_uri(event.url) if event.url else None


class ApiRecommendationFilter(RecommendationFilter):
    """The tracker's filters, as they are; the year is a number and the district free text
    here (the page offers lists of the values in use), and the order is the cursor's."""

    year = IntegerFilter(label=_("Year"), field_name="visit__year")
    district = django_filters.CharFilter(label=_("District"), field_name="visit__place__district")
    authority = IdFilter(
        label=_("Addressee (and below)"),
        queryset=Authority.objects.all(),
        method="filter_authority",
    )
    sort = None

    class Meta(RecommendationFilter.Meta):
        fields = [name for name in RecommendationFilter.Meta.fields if name != "sort"]


class RecommendationViewSet(ReadOnlyResource):
    """Recommendations with their current status (the latest assessment)."""

    serializer_class = RecommendationSerializer
    filterset_class = ApiRecommendationFilter

    def require_access(self, request) -> None:
        access.require(request.user, access.VIEW_RECOMMENDATION)

    def get_queryset(self):
        return annotate_for_list(
            Recommendation.objects.visible_to(self.request.user)
        ).prefetch_related("repeats")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    @extend_schema(responses=TimelineEventSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def timeline(self, request, pk=None):
        """Everything that happened to the recommendation, oldest first."""
        recommendation = self.get_object()
        events = recommendation_timeline(recommendation)
        return Response(
            TimelineEventSerializer(events, many=True, context={"request": request}).data
        )


def register(router) -> None:
    router.register("recommendations", RecommendationViewSet, basename="recommendation")
