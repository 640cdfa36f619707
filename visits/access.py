"""Who may see and change what in `visits`: 404 when a user may not see a row, 403 when they may
see it but not change it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.defaults import permission_denied

from .models import (
    AccessAction,
    AccessLog,
    Attachment,
    Authority,
    Interview,
    Place,
    TeamMember,
    TeamRole,
    Visit,
    is_partner_only,
)

# Re-exported: views ask `access` who is a partner-only user.
__all__ = ["is_partner_only"]


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


def get_visit_for_user(user, pk: int, *, write: bool = False) -> Visit:
    """The visit if `user` may see it (else 404); with `write`, 403 unless they may change it."""
    visit = get_object_or_404(
        Visit.objects.visible_to(user).select_related("place__authority"), pk=pk
    )
    if write and not user.has_perm("visits.change_visit"):
        raise PermissionDenied
    return visit


def can_write_visit(user) -> bool:
    return user.has_perm("visits.change_visit")


def can_see_interviews(user) -> bool:
    """Staff and head; a partner on the team sees the non-confidential fields; compliance none."""
    return user.has_perm("visits.view_interview") or is_partner_only(user)


def can_see_interview_notes(user) -> bool:
    return user.has_perm("visits.view_interview") and not is_partner_only(user)


def may_reveal_identity(user, visit: Visit) -> bool:
    """The NPM head, and the visit's head of team when that is an NPM user (never a partner)."""
    if is_partner_only(user):
        return False
    if user.has_perm("visits.view_interviewidentity"):
        return True
    return TeamMember.objects.filter(visit=visit, role=TeamRole.HEAD, user=user).exists()


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def log_access(request: HttpRequest, action: str, obj, visit: Visit | None) -> AccessLog:
    return AccessLog.objects.create(
        user=request.user if request.user.is_authenticated else None,
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        visit=visit,
        ip=client_ip(request),
    )


def denied(request: HttpRequest, object_type: str, object_id: str, visit: Visit | None):
    """A logged 403. Returned, not raised: a raised exception would roll back the log entry
    (requests are atomic)."""
    AccessLog.objects.create(
        user=request.user if request.user.is_authenticated else None,
        action=AccessAction.DENIED,
        object_type=object_type,
        object_id=object_id,
        visit=visit,
        ip=client_ip(request),
    )
    return permission_denied(request, PermissionDenied())


def get_interview(visit: Visit, pk: int) -> Interview:
    """404 for interviews of other visits (check `can_see_interviews` separately)."""
    return get_object_or_404(Interview.objects.filter(visit=visit), pk=pk)


def get_attachment_for_user(user, visit: Visit, pk: int) -> Attachment:
    try:
        return Attachment.objects.visible_to(user).get(visit=visit, pk=pk)
    except Attachment.DoesNotExist as error:
        raise Http404 from error
