"""/places/ and /authorities/: the registry, readable by every role (as on the pages)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from visits.access import require_perm
from visits.filters import AuthorityFilter, PlaceFilter
from visits.models import Authority, Place

from .common import ReadOnlyResource, SubtreeFilter


class PlaceSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:place-detail")

    class Meta:
        model = Place
        # Not `notes`: internal notes stay on the pages.
        fields = [
            "id",
            "url",
            "name",
            "category",
            "authority",
            "address",
            "municipality",
            "district",
            "capacity",
            "holds_women",
            "holds_minors",
            "active",
        ]


class AuthoritySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:authority-detail")

    class Meta:
        model = Authority
        fields = [
            "id",
            "url",
            "name",
            "short_name",
            "kind",
            "parent",
            "address",
            "email",
            "phone",
            "active",
        ]


class ApiPlaceFilter(PlaceFilter):
    """The places page's filters; `district` is free text here (the page offers a list)."""

    district = django_filters.CharFilter(label=_("District"))


class ApiAuthorityFilter(AuthorityFilter):
    """The authorities page's filters, and the tree: direct children of `parent`, or `within`
    an authority (itself and every body below it)."""

    parent = django_filters.ModelChoiceFilter(
        label=_("Reports to"), queryset=Authority.objects.all()
    )
    within = SubtreeFilter(
        label=_("This authority and every body below it"),
        field_name="pk",
        queryset=Authority.objects.all(),
        subtree_of=Authority.objects.subtree_ids,
    )
    active = django_filters.BooleanFilter(label=_("Active"))

    class Meta(AuthorityFilter.Meta):
        fields = [*AuthorityFilter.Meta.fields, "parent", "within", "active"]


class PlaceViewSet(ReadOnlyResource):
    """Places of deprivation of liberty."""

    serializer_class = PlaceSerializer
    filterset_class = ApiPlaceFilter
    queryset = Place.objects.all()
    ordering = "name"

    def require_access(self, request) -> None:
        require_perm(request.user, "visits.view_place")


class AuthorityViewSet(ReadOnlyResource):
    """Institutions, directorates and ministries, in a tree (`parent`)."""

    serializer_class = AuthoritySerializer
    filterset_class = ApiAuthorityFilter
    queryset = Authority.objects.all()
    ordering = "name"

    def require_access(self, request) -> None:
        require_perm(request.user, "visits.view_authority")


def register(router) -> None:
    router.register("places", PlaceViewSet, basename="place")
    router.register("authorities", AuthorityViewSet, basename="authority")
