"""Login lockouts beyond django-axes' (a username from one address, AXES_FAILURE_LIMIT):

- per account across addresses: NPM_ACCOUNT_FAILURE_LIMIT failed passwords for one username,
  from anywhere, within the cool-off (AXES_COOLOFF_MINUTES) refuse further attempts on it;
- per address across usernames: NPM_ADDRESS_FAILURE_LIMIT failed passwords from one address (an
  IPv6 address counts as its /64) refuse further attempts from it.

Refused attempts are not counted, so a lock ends one cool-off after the failure that caused it,
however long an attacker keeps trying: the owner is slowed, never locked out for good. A browser
the owner has logged in with before carries a signed "known browser" cookie and is not subject to
these two locks (only to axes' own, and to a lock of its own after AXES_FAILURE_LIMIT failures),
so an attack on the account does not keep its owner out. Everything is keyed on the username as
typed, so an unknown username gets exactly what an existing one gets.

Checked in `ThrottledModelBackend`, the project's ModelBackend, so every password check (login
page, admin login, re-authentication) goes through it. A refusal is answered with the axes lockout
page.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import LoginFailure
from .network import client_ip

logger = logging.getLogger("npm_portal.security")

ACCOUNT_SALT = "npm_portal.security.login-account"
BROWSER_SALT = "npm_portal.security.known-browser"
KNOWN_BROWSER_DAYS = 30
# Set on the request when this module refused an attempt (axes then records nothing).
REFUSED_ATTR = "npm_login_refused"


def account_key(username: str) -> str:
    return salted_hmac(ACCOUNT_SALT, username, algorithm="sha256").hexdigest()


def address_key(address: str | None) -> str:
    if not address:
        return ""
    parsed = ipaddress.ip_address(address)
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def known_browser_cookie_name() -> str:
    return "__Host-npm_browser" if settings.SESSION_COOKIE_SECURE else "npm_browser"


def remember_browser(response: HttpResponse, username: str) -> None:
    """After a successful login: this browser is known for this username."""
    value = signing.dumps(
        {"a": account_key(username), "n": secrets.token_urlsafe(16)}, salt=BROWSER_SALT
    )
    response.set_cookie(
        known_browser_cookie_name(),
        value,
        max_age=KNOWN_BROWSER_DAYS * 24 * 3600,
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _browser_key(request: HttpRequest, username: str) -> str:
    """The hash of a valid known-browser cookie for `username`, or ""."""
    value = request.COOKIES.get(known_browser_cookie_name())
    if not value:
        return ""
    try:
        data = signing.loads(value, salt=BROWSER_SALT, max_age=timedelta(days=KNOWN_BROWSER_DAYS))
    except signing.BadSignature:
        return ""
    if not isinstance(data, dict) or not hmac.compare_digest(
        str(data.get("a", "")), account_key(username)
    ):
        return ""
    return hashlib.sha256(value.encode()).hexdigest()


def _recent():
    return LoginFailure.objects.filter(at__gte=timezone.now() - settings.AXES_COOLOFF_TIME)


def _over(limit: int, **filters) -> bool:
    return bool(limit) and _recent().filter(**filters).count() >= limit


def _locked(*, account: str, address: str, browser: str) -> bool:
    if browser and not _over(settings.AXES_FAILURE_LIMIT, browser=browser):
        return False  # a known browser, not itself the source of many failures
    if _over(settings.NPM_ACCOUNT_FAILURE_LIMIT, account=account):
        return True
    return bool(address) and _over(settings.NPM_ADDRESS_FAILURE_LIMIT, address=address)


def _record_failure(*, account: str, address: str, browser: str) -> None:
    now = timezone.now()
    LoginFailure.objects.filter(at__lt=now - settings.AXES_COOLOFF_TIME).delete()
    LoginFailure.objects.create(account=account, address=address, browser=browser, at=now)


def refused_before_axes(request: HttpRequest, credentials=None) -> bool:
    """AXES_WHITELIST_CALLABLE: axes does not record an attempt this module refused unchecked
    (recording it would extend axes' own lock on an owner who tries during an account lock)."""
    return bool(getattr(request, REFUSED_ATTR, False))


class ThrottledModelBackend(ModelBackend):
    """Django's ModelBackend behind the account- and address-wide lockouts. The user of each
    request is read with their unread notifications counted in the same query (the header's
    bell: npm_portal.notifications.services.unread_count), so no page spends a query on it."""

    def get_user(self, user_id):
        from npm_portal.notifications.services import with_unread_count

        try:
            user = with_unread_count(get_user_model()._default_manager.all()).get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if request is None or username is None or password is None:
            return super().authenticate(request, username=username, password=password, **kwargs)
        keys = {
            "account": account_key(username),
            "address": address_key(client_ip(request)),
            "browser": _browser_key(request, username),
        }
        if _locked(**keys):
            logger.warning("Login refused: too many failures for this account or address.")
            setattr(request, REFUSED_ATTR, True)
            request.axes_locked_out = True  # AxesMiddleware answers with the lockout page
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            _record_failure(**keys)
            if _locked(**keys):
                # The failure that reaches a limit is answered with the lockout page, as axes does.
                request.axes_locked_out = True
        return user
