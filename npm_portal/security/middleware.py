"""Security middleware: client address, session lifetime, two-factor step, access log, no-store."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from .audit import log_response
from .network import PEER_KEY, client_ip_from_meta
from .twofactor import has_confirmed_device

STARTED_KEY = "npm_session_started"
SEEN_KEY = "npm_session_seen"
# Write "last seen" at most this often: not every request needs a session write.
SEEN_RESOLUTION = 60


def stamp_login(sender, request, user, **kwargs) -> None:
    """At login: the session's lifetime starts now (the `user_logged_in` signal)."""
    if request is not None and hasattr(request, "session"):
        request.session[STARTED_KEY] = request.session[SEEN_KEY] = int(time.time())


class ClientIPMiddleware:
    """REMOTE_ADDR becomes the client's address as the proxies in NPM_TRUSTED_PROXIES report it
    (see `network`), so the lockouts, the access log and everything else agree on one address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.setdefault(PEER_KEY, request.META.get("REMOTE_ADDR", ""))
        address = client_ip_from_meta(request.META)
        if address:
            request.META["REMOTE_ADDR"] = address
        return self.get_response(request)


class SessionLifetimeMiddleware:
    """Idle timeout and absolute lifetime of a login; a session whose user can no longer log in
    (deactivated, deleted, password changed elsewhere) is deleted on the server."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if session.get(SESSION_KEY) is not None:
            if not request.user.is_authenticated:
                session.flush()
            elif self._expired(session):
                logout(request)
                response = redirect_to_login(request.get_full_path())
                if request.headers.get("HX-Request"):
                    # htmx would swap the login page into a fragment: load it as a page.
                    response = HttpResponse(status=204, headers={"HX-Redirect": response.url})
                return response
        return self.get_response(request)

    @staticmethod
    def _expired(session) -> bool:
        now = int(time.time())
        started = session.get(STARTED_KEY)
        seen = session.get(SEEN_KEY)
        if started is None or seen is None:
            session[STARTED_KEY] = session[SEEN_KEY] = now
            return False
        if now - seen > settings.NPM_SESSION_IDLE_MINUTES * 60:
            return True
        if now - started > settings.NPM_SESSION_MAX_HOURS * 3600:
            return True
        if now - seen >= SEEN_RESOLUTION:
            session[SEEN_KEY] = now
        return False


def otp_not_required(view):
    """Mark a view a logged-in user may open before the one-time code step (logout, the OTP
    pages themselves)."""
    view.otp_required = False
    return view


class TwoFactorMiddleware:
    """With NPM_REQUIRE_2FA, a user who has only entered a password sees nothing but the code
    step (or, without an authenticator yet, the enrolment page, which asks for an enrolment link):
    every protected URL, the admin included, redirects there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not settings.NPM_REQUIRE_2FA:
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if not getattr(view_func, "login_required", True):
            return None  # public pages: login, health check, language, public portal
        if not getattr(view_func, "otp_required", True):
            return None
        target = reverse("otp_verify" if has_confirmed_device(user) else "otp_setup")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)


class AccessLogMiddleware:
    """Writes the access log entry a view asked for (`request.npm_access_log`), and a "denied"
    entry for every 403 or 404 an authenticated user gets. Runs after the view's transaction, so
    a denial that rolled the view back is still recorded."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = timezone.now()
        response = self.get_response(request)
        log_response(request, response, started)
        return response


class NoStoreMiddleware:
    """Nothing shown to a logged-in user is kept by browsers or shared caches."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response
