"""The API's front door: the root (what there is), the OpenAPI schema and its docs page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from .base import ApiView


class ApiRootView(ApiView):
    """The resource collections of the API, and where its schema and documentation are."""

    router = None  # set in urls.py

    @extend_schema(
        operation_id="api_root",
        tags=["root"],
        responses=inline_serializer(
            "ApiRoot",
            {
                "resources": serializers.DictField(child=serializers.URLField()),
                "open_data": serializers.URLField(allow_null=True),
                "schema": serializers.URLField(),
                "docs": serializers.URLField(),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        resources = {}
        for prefix, _viewset, basename in sorted(self.router.registry):
            try:
                resources[prefix] = request.build_absolute_uri(reverse(f"api:{basename}-list"))
            except NoReverseMatch:  # a viewset without a list
                continue
        try:
            open_data = request.build_absolute_uri(reverse("opendata:root"))
        except NoReverseMatch:
            open_data = None
        return Response(
            {
                "resources": resources,
                "open_data": open_data,
                "schema": request.build_absolute_uri(reverse("api:schema")),
                "docs": request.build_absolute_uri(reverse("api:docs")),
            }
        )


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema, readable without a token so tools can fetch it."""

    authentication_classes: list = []
    permission_classes: list = []

    @classmethod
    def as_view(cls, *args, **kwargs):
        return login_not_required(super().as_view(*args, **kwargs))


def docs_page(request):
    """Swagger UI over the schema (a page: login and two-factor as for every page)."""
    return render(request, "api/docs.html", {"schema_url": reverse("api:schema")})
