"""Password reset by e-mail, within the login rules.

- The same answer whether or not an account has the address: the "sent" page, always.
- Rate-limited per e-mail address (RESETS_PER_ADDRESS an hour) and per client address
  (RESETS_PER_CLIENT an hour, an IPv6 client counting as its /64), in the cache. A request over a
  limit gets the same "sent" page and no e-mail, so the limits reveal nothing either. Every
  request counts, for an existing address or not.
- Only active users with a usable password get a link (Django's rule). Authority users get one
  like NPM users: their account is a password and a second factor too.
- The e-mail holds the link and nothing else about the account (not the username). The link
  lasts PASSWORD_RESET_TIMEOUT and works once (the token changes with the password).
- A new password never logs anyone in: the login page follows, then the one-time code step for
  an account with two-factor login. Nor does it end a lockout: an account or address locked by
  django-axes or `lockout` stays locked until its cool-off ends (a reset proves the mailbox, not
  that the guesses were the owner's).
"""

from __future__ import annotations

import logging

from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.crypto import salted_hmac

from .lockout import address_key
from .network import client_ip

logger = logging.getLogger("npm_portal.security")

RESETS_PER_ADDRESS = 3
RESETS_PER_CLIENT = 10
WINDOW_SECONDS = 3600
SALT = "npm_portal.security.password-reset"


def _key(kind: str, value: str) -> str:
    digest = salted_hmac(SALT, value, algorithm="sha256").hexdigest()[:32]
    return f"password-reset:{kind}:{digest}"


def _count(key: str) -> int:
    """One more request in this window; the number so far."""
    if cache.add(key, 1, WINDOW_SECONDS):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)
        return 1


def reset_allowed(*, email: str, client: str) -> bool:
    """Count this request against both limits; whether it may send an e-mail."""
    per_address = _count(_key("email", email.strip().casefold()))
    per_client = _count(_key("client", client)) if client else 0
    return per_address <= RESETS_PER_ADDRESS and per_client <= RESETS_PER_CLIENT


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view (active users with a usable password only) behind the rate limits."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        if reset_allowed(
            email=form.cleaned_data["email"], client=address_key(client_ip(self.request))
        ):
            return super().form_valid(form)
        logger.warning("Password reset refused: too many requests for an address or client.")
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    # Never a login from the link: the login page and its second factor come next.
    post_reset_login = False
    success_url = reverse_lazy("password_reset_complete")
