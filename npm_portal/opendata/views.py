"""The JSON side of open data: cursor-paged lists and single records of issued reports and public
recommendations, the root (what there is) and the data dictionary."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from . import dictionary
from .filters import RecommendationFilter, ReportFilter
from .http import OpenDataView, OpenDataViewSet
from .querysets import open_recommendations, open_reports
from .serializers import OpenDataRecommendationSerializer, OpenDataReportSerializer

TAG = "open data"
OPEN = {"tags": [TAG], "auth": []}


def resource_links(request: Request) -> dict[str, dict[str, str]]:
    def url(name: str) -> str:
        return request.build_absolute_uri(reverse(name))

    return {
        resource: {
            "list": url(f"opendata:{single}-list"),
            "csv": url(f"opendata:{resource}_csv"),
            "json": url(f"opendata:{resource}_json"),
        }
        for resource, single in (("reports", "report"), ("recommendations", "recommendation"))
    }


@extend_schema_view(
    list=extend_schema(
        operation_id="open_reports_list",
        summary="Issued reports (public metadata)",
        **OPEN,
    ),
    retrieve=extend_schema(
        operation_id="open_reports_retrieve", summary="An issued report", **OPEN
    ),
)
class ReportViewSet(OpenDataViewSet):
    """Issued reports: reference, place, visit, issue date and the public PDF with its SHA-256.
    Paged with a cursor (`next` / `previous`); newest first."""

    serializer_class = OpenDataReportSerializer
    filterset_class = ReportFilter

    def get_queryset(self):
        return open_reports()


@extend_schema_view(
    list=extend_schema(
        operation_id="open_recommendations_list",
        summary="Public recommendations of issued reports",
        **OPEN,
    ),
    retrieve=extend_schema(
        operation_id="open_recommendations_retrieve", summary="A public recommendation", **OPEN
    ),
)
class RecommendationViewSet(OpenDataViewSet):
    """Public recommendations of issued reports with their current status, theme (and its UHRI
    themes and SDG targets), place and addressees. Paged with a cursor; newest first."""

    serializer_class = OpenDataRecommendationSerializer
    filterset_class = RecommendationFilter

    def get_queryset(self):
        return open_recommendations()


LINKS = inline_serializer(
    "OpenDataResourceLinks",
    {"list": serializers.URLField(), "csv": serializers.URLField(), "json": serializers.URLField()},
)


class RootView(OpenDataView):
    """What open data there is: each resource's JSON list and bulk files, and the dictionary."""

    @extend_schema(
        operation_id="open_root",
        summary="Open data: what there is",
        responses=inline_serializer(
            "OpenDataRoot",
            {
                "resources": serializers.DictField(child=LINKS),
                "dictionary": serializers.URLField(),
                "licence": serializers.CharField(allow_null=True),
            },
        ),
        **OPEN,
    )
    def get(self, request: Request) -> Response:
        return Response(
            {
                "resources": resource_links(request),
                "dictionary": request.build_absolute_uri(reverse("opendata:dictionary")),
                "licence": settings.NPM_OPEN_DATA_LICENCE or None,
            }
        )


class DictionaryView(OpenDataView):
    """The data dictionary: every field of every resource, enumerations with their labels in
    English and Serbian, and the mapping to the OHCHR UHRI / NRTD vocabulary."""

    @extend_schema(
        operation_id="open_dictionary",
        summary="The data dictionary and the OHCHR vocabulary mapping",
        responses={200: OpenApiTypes.OBJECT},
        **OPEN,
    )
    def get(self, request: Request) -> Response:
        return Response(dictionary.build(resource_links(request)))
