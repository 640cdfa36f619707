"""The authority area is the whole app for an authority user: every other page is a 404.

Default deny, by URL name: an authority user (role "Authority user" and no NPM role) reaches
only the authority area (namespace `authority`), the public portal and open data, and their own
account pages (login, two-factor, password, language). The home page sends them to the
authority area. Runs after the two-factor middleware (the code step comes first) and inside
the access-log middleware (the 404s are logged as denials like any other).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import redirect

from core.roles import is_authority_only

ALLOWED_NAMESPACES = {"authority", "portal", "opendata"}
ALLOWED_NAMES = {
    "login",
    "logout",
    "two_factor",
    "otp_verify",
    "otp_setup",
    "backup_codes",
    "enrolment_link",
    "reauthenticate",
    "password_change",
    "password_change_done",
    "set_language",
    "healthz",
}


def allowed_for_authority_users(match) -> bool:
    """Whether the resolved URL is one an authority user may reach at all."""
    if match is None:
        return False
    if match.namespaces and match.namespaces[0] in ALLOWED_NAMESPACES:
        return True
    return not match.namespaces and match.url_name in ALLOWED_NAMES


class AuthorityAreaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not is_authority_only(user):
            return None
        match = request.resolver_match
        if match is not None and not match.namespaces and match.url_name == "dashboard":
            return redirect("authority:home")
        if not allowed_for_authority_users(match):
            raise Http404
        return None
