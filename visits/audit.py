"""The access log's one writer: who saw, downloaded, revealed or was refused which confidential
record. Views, services and the access-log middleware (npm_portal.security) all call `record`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.views.defaults import page_not_found, permission_denied

from .models import AccessAction, AccessLog, Visit


def record(
    *,
    user,
    action: str,
    object_type: str,
    object_id: str,
    visit: Visit | None = None,
    ip: str | None = None,
) -> AccessLog:
    """Append one entry (the log is append-only)."""
    if user is not None and not user.is_authenticated:
        user = None
    return AccessLog.objects.create(
        user=user,
        action=action,
        object_type=str(object_type)[:50],
        object_id=str(object_id)[:50],
        visit=visit,
        ip=ip or None,
    )


def client_ip(request: HttpRequest) -> str | None:
    # ClientIPMiddleware has already put the client's own address here.
    return request.META.get("REMOTE_ADDR") or None


def log_access(request: HttpRequest, action: str, obj, visit: Visit | None) -> AccessLog:
    """`request.user` did `action` on the row `obj`."""
    return record(
        user=request.user,
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        visit=visit,
        ip=client_ip(request),
    )


def denied(
    request: HttpRequest,
    object_type: str,
    object_id: str,
    visit: Visit | None,
    *,
    not_found: bool = False,
) -> HttpResponse:
    """A logged 403 (or 404, where a 403 would tell which records exist). Returned, not raised:
    a raised exception would roll back the log entry (requests are atomic)."""
    record(
        user=request.user,
        action=AccessAction.DENIED,
        object_type=object_type,
        object_id=object_id,
        visit=visit,
        ip=client_ip(request),
    )
    if not_found:
        return page_not_found(request, Http404())
    return permission_denied(request, PermissionDenied())
