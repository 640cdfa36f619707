"""The access log as a CSV file for an auditor: every entry between two dates, with the hashes
that chain it, so `manage.py verify_access_log --file` (or the auditor's own script, following
SECURITY.md) can check that nothing was changed, removed or inserted."""

from __future__ import annotations

import csv
import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.roles import is_partner_only
from recommendations.exports import neutralise
from visits.audit import CHAIN_FIELDS
from visits.models import AccessLog

from .filters import AccessLogFilter

COLUMNS = (*CHAIN_FIELDS[:3], "username", *CHAIN_FIELDS[3:7], "visit_reference", *CHAIN_FIELDS[7:])


class _Echo:
    def write(self, value: str) -> str:
        return value


def _rows(entries):
    yield COLUMNS
    for entry in entries.iterator(chunk_size=2000):
        values = {
            "id": entry.pk,
            "created_at": entry.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "user_id": entry.user_id or "",
            "username": entry.user.username if entry.user else "",
            "action": entry.action,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "visit_id": entry.visit_id or "",
            "visit_reference": entry.visit.reference if entry.visit else "",
            "ip": entry.ip or "",
            "prev_hash": entry.prev_hash,
            "row_hash": entry.row_hash,
        }
        # A leading apostrophe keeps a spreadsheet from running a cell as a formula; the
        # verifier takes it off again before hashing.
        yield [neutralise(str(values[name])) for name in COLUMNS]


def require_log_reader(user) -> None:
    """The access log, on the page and exported, is the NPM head's (a partner gets a 404)."""
    if not user.has_perm("visits.view_accesslog"):
        if is_partner_only(user):
            raise Http404
        raise PermissionDenied


@require_http_methods(["GET"])
def access_log_export(request: HttpRequest) -> HttpResponse:
    """For the NPM head: the whole log between the page's "from" and "until" dates (its other
    filters do not apply: a chain with gaps cannot be verified). A date that is not one sends
    the head back to the page, where the message stands next to the field."""
    require_log_reader(request.user)
    dates = AccessLogFilter(request.GET or None, queryset=AccessLog.objects.none()).form
    if dates.is_bound and not dates.is_valid() and {"since", "until"} & set(dates.errors):
        return redirect(f"{reverse('access_log')}?{request.GET.urlencode()}")
    entries = AccessLog.objects.chain_order().select_related("user", "visit")
    since = until = None
    if dates.is_bound:
        since, until = dates.cleaned_data.get("since"), dates.cleaned_data.get("until")
    if since:
        entries = entries.filter(created_at__date__gte=since)
    if until:
        entries = entries.filter(created_at__date__lte=until)
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in _rows(entries)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="access-log-{stamp}.csv"'
    request.npm_access_log = {
        "action": "export",
        "object_type": "visits.AccessLog",
        "object_id": f"{since or 'start'}..{until or 'now'}",
    }
    return response
