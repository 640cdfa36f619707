"""What the resource modules share: numeric ids in URLs, service errors as 400s with field
messages, a PDF renderer for the download actions, and the filters the pages' FilterSets lack."""

from __future__ import annotations

import json

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer
from rest_framework.settings import api_settings

from recommendations.models import STATED_STATUSES

from ..base import ReadOnlyApiViewSet

# Ids in URLs are numbers: anything else is an unknown URL (404), never a lookup error.
ID_PATTERN = r"[0-9]+"
# What an authority may state, and what the NPM may assess (one enum in the schema).
STATED_STATUS_CHOICES = [(s.value, s.label) for s in STATED_STATUSES]


class ResourceMixin:
    """Numeric ids, the cursor ordering of this list (`ordering`: one unique field, so pages
    never overlap), and the role-wide check of the pages after authentication (401 first)."""

    lookup_value_regex = ID_PATTERN
    ordering = "-pk"

    @property
    def paginator(self):
        if not hasattr(self, "_paginator"):
            paginator = super().paginator
            if paginator is not None:
                paginator.ordering = (self.ordering,)
        return super().paginator

    def require_access(self, request) -> None:
        """404 / 403 as the pages answer, for the whole resource."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.require_access(request)


class ReadOnlyResource(ResourceMixin, ReadOnlyApiViewSet):
    pass


def as_drf_error(error: DjangoValidationError) -> serializers.ValidationError:
    """A service's ValidationError as the API's 400: its fields as they are, an error without a
    field under `non_field_errors`."""
    if hasattr(error, "error_dict"):
        return serializers.ValidationError(
            {
                field: [str(m) for m in DjangoValidationError(errors).messages]
                for field, errors in error.error_dict.items()
            }
        )
    return serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: error.messages})


class PdfRenderer(BaseRenderer):
    """Lets a client ask for `Accept: application/pdf`; the file itself is sent as it is stored
    (a FileResponse, never rendered). An error on the way is still JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return json.dumps(data, default=str).encode()


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(django_filters.NumberFilter):
    """A whole number (a year): "1.5" or "1e309" is a 400, not a silent match."""

    field_class = forms.IntegerField


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.ModelChoiceFilter):
    """An id (the schema cannot tell the type of a filter with a `method`)."""


@extend_schema_field(OpenApiTypes.INT)
class SubtreeFilter(django_filters.ModelChoiceFilter):
    """An authority and every body below it (as the pages' "and below" filters)."""

    def __init__(self, *args, subtree_of, **kwargs):
        self.subtree_of = subtree_of
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if value is None:
            return queryset
        ids = self.subtree_of(value)
        return queryset.filter(**{f"{self.field_name}__in": ids}).distinct()
