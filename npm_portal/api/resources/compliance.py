"""/responses/ (authority response letters with their items) and /assessments/ (the NPM's
verdicts): read, and created through the same services as the pages (`response_record`,
`assessment_record`), so every rule, history row and status refresh is the same. Letter and
assessment notes may be written but are never read back through the API (internal notes).
Partner-only users get 404, as on the pages; a role without the right, 403."""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from recommendations import access, services
from recommendations.models import (
    Assessment,
    AuthorityResponse,
    Basis,
    Progress,
    Reason,
    Recommendation,
    ResponseItem,
)
from visits.models import Authority, Visit

from ..base import ApiViewSet
from .common import STATED_STATUS_CHOICES, ResourceMixin, SubtreeFilter, as_drf_error

VIEW_ASSESSMENT = "recommendations.view_assessment"


# --- Letters -----------------------------------------------------------------------------------


class ResponseItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResponseItem
        fields = ["recommendation", "stated_status", "explanation", "promised_by"]


class ResponseSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:response-detail")
    items = ResponseItemSerializer(many=True, read_only=True)
    has_document = serializers.SerializerMethodField()

    class Meta:
        model = AuthorityResponse
        fields = [
            "id",
            "url",
            "visit",
            "authority",
            "received_on",
            "reference",
            "has_document",
            "created_at",
            "items",
        ]

    def get_has_document(self, response: AuthorityResponse) -> bool:
        return bool(response.document)


class ResponseItemInput(serializers.Serializer):
    recommendation = serializers.PrimaryKeyRelatedField(queryset=Recommendation.objects.all())
    stated_status = serializers.ChoiceField(choices=STATED_STATUS_CHOICES)
    explanation = serializers.CharField(required=False, allow_blank=True, default="")
    promised_by = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("Promised completion."),
    )


class ResponseInput(serializers.Serializer):
    visit = serializers.PrimaryKeyRelatedField(
        queryset=Visit.objects.all(),
        required=False,
        help_text=gettext_lazy(
            "The visit whose report the letter answers; by default the visit "
            "of the items' recommendations."
        ),
    )
    authority = serializers.PrimaryKeyRelatedField(queryset=Authority.objects.all())
    received_on = serializers.DateField()
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        write_only=True,
        help_text=gettext_lazy("An internal note: stored, never shown by the API."),
    )
    items = ResponseItemInput(many=True, allow_empty=False)

    def validate(self, data):
        items = data["items"]
        visit = data.get("visit")
        if visit is None:
            visits = {item["recommendation"].visit_id for item in items}
            if len(visits) != 1:
                raise serializers.ValidationError(
                    {
                        "visit": _(
                            "The items answer recommendations of several visits: give the "
                            "visit whose report the letter answers."
                        )
                    }
                )
            visit = data["visit"] = Visit.objects.get(pk=visits.pop())
        # As the page: only the rows it would offer may be answered.
        offered = {
            r.pk
            for r in services.response_recommendations(visit=visit, authority=data["authority"])
        }
        errors = [
            {}
            if item["recommendation"].pk in offered
            else {
                "recommendation": [
                    _(
                        "Recommendation %(reference)s cannot be answered by this letter: only open "
                        "recommendations of visit %(visit)s addressed to %(authority)s can."
                    )
                    % {
                        "reference": item["recommendation"].reference,
                        "visit": visit.reference,
                        "authority": data["authority"],
                    }
                ]
            }
            for item in items
        ]
        if any(errors):
            raise serializers.ValidationError({"items": errors})
        return data


class ResponseFilter(django_filters.FilterSet):
    authority = SubtreeFilter(
        label=gettext_lazy("Authority (and below)"),
        field_name="authority",
        queryset=Authority.objects.all(),
        subtree_of=Authority.objects.subtree_ids,
    )
    visit = django_filters.ModelChoiceFilter(queryset=Visit.objects.all())
    recommendation = django_filters.ModelChoiceFilter(
        field_name="items__recommendation", queryset=Recommendation.objects.all(), distinct=True
    )
    received_from = django_filters.DateFilter(field_name="received_on", lookup_expr="gte")
    received_to = django_filters.DateFilter(field_name="received_on", lookup_expr="lte")

    class Meta:
        model = AuthorityResponse
        fields = ["authority", "visit", "recommendation", "received_from", "received_to"]


class ResponseViewSet(
    ResourceMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    ApiViewSet,
):
    """Authority response letters, each with the recommendations it answers."""

    serializer_class = ResponseSerializer
    filterset_class = ResponseFilter
    queryset = AuthorityResponse.objects.select_related("visit").prefetch_related("items")

    def require_access(self, request) -> None:
        access.require(request.user, access.VIEW_RESPONSE)
        if self.action == "create":
            access.require(request.user, access.ADD_RESPONSE)

    @extend_schema(request=ResponseInput, responses={201: ResponseSerializer})
    def create(self, request, *args, **kwargs):
        """Record a letter and what it states about each recommendation (`response_record`)."""
        data = ResponseInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            response = services.response_record(
                visit=values["visit"],
                authority=values["authority"],
                received_on=values["received_on"],
                reference=values["reference"],
                note=values["note"],
                items=[dict(item) for item in values["items"]],
                by=request.user,
            )
        except ValidationError as error:
            raise as_drf_error(error) from error
        response = self.get_queryset().get(pk=response.pk)
        return Response(self.get_serializer(response).data, status=status.HTTP_201_CREATED)


# --- Assessments -------------------------------------------------------------------------------


class AssessmentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:assessment-detail")

    class Meta:
        model = Assessment
        fields = [
            "id",
            "url",
            "recommendation",
            "status",
            "reason",
            "basis",
            "response",
            "follow_up_visit",
            "verified_on_site",
            "progress",
            "assessed_on",
            "created_at",
        ]


class AssessmentInput(serializers.Serializer):
    recommendation = serializers.PrimaryKeyRelatedField(queryset=Recommendation.objects.all())
    status = serializers.ChoiceField(choices=STATED_STATUS_CHOICES)
    reason = serializers.ChoiceField(
        choices=Reason.choices, required=False, allow_blank=True, default=""
    )
    basis = serializers.ChoiceField(choices=Basis.choices)
    response = serializers.PrimaryKeyRelatedField(
        queryset=AuthorityResponse.objects.all(), required=False, allow_null=True, default=None
    )
    follow_up_visit = serializers.PrimaryKeyRelatedField(
        queryset=Visit.objects.all(), required=False, allow_null=True, default=None
    )
    verified_on_site = serializers.BooleanField(required=False, default=False)
    progress = serializers.ChoiceField(
        choices=Progress.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy(
            "Optional, at follow-up: the four-level judgement of progress, beside the status."
        ),
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        write_only=True,
        help_text=gettext_lazy("An internal note: stored, never shown by the API."),
    )
    assessed_on = serializers.DateField()


class AssessmentFilter(django_filters.FilterSet):
    recommendation = django_filters.ModelChoiceFilter(queryset=Recommendation.objects.all())
    response = django_filters.ModelChoiceFilter(queryset=AuthorityResponse.objects.all())
    assessed_from = django_filters.DateFilter(field_name="assessed_on", lookup_expr="gte")
    assessed_to = django_filters.DateFilter(field_name="assessed_on", lookup_expr="lte")

    class Meta:
        model = Assessment
        fields = [
            "recommendation",
            "response",
            "status",
            "basis",
            "progress",
            "assessed_from",
            "assessed_to",
        ]


class AssessmentViewSet(
    ResourceMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    ApiViewSet,
):
    """The NPM's verdicts; the latest one is the recommendation's current status."""

    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter
    queryset = Assessment.objects.all()

    def require_access(self, request) -> None:
        access.require(request.user, VIEW_ASSESSMENT)
        if self.action == "create":
            access.require(request.user, access.ADD_ASSESSMENT)

    @extend_schema(request=AssessmentInput, responses={201: AssessmentSerializer})
    def create(self, request, *args, **kwargs):
        """Record an assessment (`assessment_record`): the recommendation's status follows."""
        data = AssessmentInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        try:
            assessment = services.assessment_record(**data.validated_data, by=request.user)
        except ValidationError as error:
            raise as_drf_error(error) from error
        return Response(self.get_serializer(assessment).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("responses", ResponseViewSet, basename="response")
    router.register("assessments", AssessmentViewSet, basename="assessment")
