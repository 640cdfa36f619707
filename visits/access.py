"""Who may see and change what in `visits`: 404 when a user may not see a row, 403 when they may
see it but not change it."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Authority, Place


def require_perm(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def get_place_for_user(user, pk: int, *, write: bool = False) -> Place:
    # The registry of places is not confidential: every role may read it.
    require_perm(user, "visits.view_place")
    place = get_object_or_404(Place.objects.select_related("authority__parent"), pk=pk)
    if write:
        require_perm(user, "visits.change_place")
    return place


def get_authority_for_user(user, pk: int, *, write: bool = False) -> Authority:
    require_perm(user, "visits.view_authority")
    authority = get_object_or_404(Authority.objects.select_related("parent"), pk=pk)
    if write:
        require_perm(user, "visits.change_authority")
    return authority


def check_can_add(user, model: type) -> None:
    require_perm(user, f"{model._meta.app_label}.add_{model._meta.model_name}")
