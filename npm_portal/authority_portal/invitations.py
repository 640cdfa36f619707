"""Invitation links for new authority users: "choose your password", valid NPM_INVITATION_DAYS,
single-use (the token depends on the password hash and last login, like Django's password reset
links, so setting the password or logging in spends it).

`invitation_url(user)` is the absolute link for the e-mail (NPM_BASE_URL); `user_for(uidb64,
token)` is the invited user if the link is still good, else None.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes, force_str
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Django's password-reset token, with the invitation's own term (not
    PASSWORD_RESET_TIMEOUT) and its own salt (a reset link is not an invitation)."""

    key_salt = "npm_portal.authority_portal.invitations.InvitationTokenGenerator"

    def check_token(self, user, token) -> bool:
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(
                self._make_token_with_timestamp(user, timestamp, secret), token
            ):
                break
        else:
            return False
        term = settings.NPM_INVITATION_DAYS * 24 * 3600
        return (self._num_seconds(self._now()) - timestamp) <= term


tokens = InvitationTokenGenerator()


def invitation_path(user) -> str:
    return reverse(
        "authority:invitation",
        args=[urlsafe_base64_encode(force_bytes(user.pk)), tokens.make_token(user)],
    )


def invitation_url(user) -> str:
    return settings.NPM_BASE_URL.rstrip("/") + invitation_path(user)


def user_for(uidb64: str, token: str):
    """The invited, active user if `token` is good for them, else None."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=True).first()
    if user is None or not tokens.check_token(user, token):
        return None
    return user
