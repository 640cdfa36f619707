"""Base classes of every API view. They do what the page views get from middleware and
decorators: the API answers tokens itself, so Django's login redirect does not apply
(`login_not_required`); authentication, scopes and errors come from REST_FRAMEWORK in settings.

- `ApiViewSet` / `ReadOnlyApiViewSet`: for signed-in users (a token, or a session that passed
  two-factor login); anonymous requests get 401.
- `PublicApiView` / `PublicReadOnlyViewSet`: open data, no login, throttled per client address.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from rest_framework import mixins, viewsets
from rest_framework.views import APIView


class _NoLoginRedirect:
    @classmethod
    def as_view(cls, *args, **kwargs):
        return login_not_required(super().as_view(*args, **kwargs))


class ApiView(_NoLoginRedirect, APIView):
    pass


class ApiViewSet(_NoLoginRedirect, viewsets.GenericViewSet):
    """Add the mixins (list, retrieve, create, ...) an endpoint needs."""


class ReadOnlyApiViewSet(_NoLoginRedirect, viewsets.ReadOnlyModelViewSet):
    pass


class PublicApiView(_NoLoginRedirect, APIView):
    authentication_classes: list = []
    permission_classes: list = []


class PublicReadOnlyViewSet(
    _NoLoginRedirect, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    authentication_classes: list = []
    permission_classes: list = []
