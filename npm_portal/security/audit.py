"""Access log entries written after the response: downloads and exports that a view announced
with `request.npm_access_log`, and every 403/404 an authenticated user receives. The entries
are written by `visits.audit.record`, the log's one writer.

Apps below `npm_portal` (partners) cannot import the log model; they annotate the request:

    request.npm_access_log = {"action": "download", "object": agreement}
    request.npm_access_log = {"action": "export", "object_type": "visits.Visit", "object_id": "*"}
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse

from visits import audit
from visits.models import AccessAction, AccessLog, Visit

from .network import client_ip

DENIED_STATUSES = {403, 404}


def _user(request: HttpRequest):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return user


def _visit_of(request: HttpRequest) -> Visit | None:
    match = request.resolver_match
    # Pages of one visit: /visits/<pk>/...
    if (
        match is None
        or match.namespace != "visits"
        or not match.route.startswith("visits/<int:pk>")
    ):
        return None
    return Visit.objects.filter(pk=match.kwargs["pk"]).first()


def log_response(request: HttpRequest, response: HttpResponse, started: dt.datetime) -> None:
    user = _user(request)
    if user is None:
        return
    wanted = getattr(request, "npm_access_log", None)
    if wanted and response.status_code < 400:
        obj = wanted.get("object")
        audit.record(
            user=user,
            action=wanted["action"],
            object_type=obj._meta.label if obj is not None else wanted["object_type"],
            object_id=obj.pk if obj is not None else wanted["object_id"],
            visit=wanted.get("visit"),
            ip=client_ip(request),
        )
    elif response.status_code in DENIED_STATUSES:
        already = AccessLog.objects.filter(
            user=user, action=AccessAction.DENIED, created_at__gte=started
        ).exists()
        if already:
            return  # the view logged this denial itself, with more detail
        match = request.resolver_match
        audit.record(
            user=user,
            action=AccessAction.DENIED,
            object_type=match.view_name if match else "url",
            object_id=request.path[-50:],
            visit=_visit_of(request),
            ip=client_ip(request),
        )
