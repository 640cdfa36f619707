"""Every API request in the access log (the hash-chained log; `visits.audit.record` writes it).

- a request by a known user (token or two-factor session): an "API request" entry, whatever the
  answer; a 401/403/404 is a "denied" entry instead, as for pages; a download the view announced
  (`request.npm_access_log`) is the one "download" entry the page middleware writes;
- a 401 for a token that exists but is revoked or expired, or whose user may no longer sign in:
  a denial of that user; a made-up token: a denial without a user;
- anonymous calls without any credential (the schema, open data, a bare 401) write nothing,
  like anonymous page views.

The entry names the method, the view and the path (never the query string or the body):
record type "GET api:visit-detail", record "/api/v1/visits/12/" (its last 50 characters).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from visits import audit
from visits.models import AccessAction, Visit

from .authentication import bearer_token, find_token

API_PATH_PREFIX = "/api/"
DENIED_STATUSES = {401, 403, 404}


class ApiAccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(API_PATH_PREFIX):
            log_api_request(request, response)
        return response


def _visit_of(request: HttpRequest) -> Visit | None:
    match = request.resolver_match
    if match is None or match.namespace != "api":
        return None
    if match.url_name and match.url_name.startswith("visit-"):
        pk = match.kwargs.get("pk")
    else:
        pk = match.kwargs.get("visit_pk")
    if pk is None or not str(pk).isdigit():
        return None
    return Visit.objects.filter(pk=int(pk)).first()


def log_api_request(request: HttpRequest, response: HttpResponse) -> None:
    user = getattr(request, "user", None)
    denied = response.status_code in DENIED_STATUSES
    if getattr(request, "npm_access_log", None) and response.status_code < 400:
        # The view announced its own entry (a PDF download): the page middleware writes it,
        # one entry per request.
        return
    if user is None or not user.is_authenticated:
        user = None
        if not denied or not request.headers.get("Authorization"):
            return
        # Refused, or not an endpoint at all: whose token was it, if it is a real one?
        plaintext = bearer_token(request)
        token = find_token(plaintext) if plaintext else None
        user = token.user if token is not None else None
    match = request.resolver_match
    view = match.view_name if match else "api"
    audit.record(
        user=user,
        action=AccessAction.DENIED if denied else AccessAction.API_REQUEST,
        object_type=f"{request.method} {view}",
        object_id=request.path[-50:],
        visit=_visit_of(request),
        ip=audit.client_ip(request),
    )
