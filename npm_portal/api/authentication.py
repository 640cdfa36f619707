"""How the API knows who calls: a personal access token (`Authorization: Bearer <token>`), or a
browser session that has passed two-factor login (the docs page)."""

from __future__ import annotations

import datetime as dt
import hmac

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import (
    BaseAuthentication,
    SessionAuthentication,
    get_authorization_header,
)
from rest_framework.exceptions import AuthenticationFailed

from core.roles import is_authority_only, is_partner_only
from partners.models.logins import linked_member

from .models import ApiToken
from .services import hash_token, split_token

# Write `last_used_at` at most this often: not every request needs a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def may_use_api(user) -> bool:
    """Whoever may still log in: an active account, and a partner login still linked to its
    member (a member whose login was removed keeps an active account but nothing to see)."""
    if user is None or not user.is_active:
        return False
    if is_authority_only(user):
        # Authority users work in the authority area only; the API is not theirs (yet).
        return False
    return not (is_partner_only(user) and linked_member(user) is None)


def find_token(plaintext: str) -> ApiToken | None:
    """The token row this plaintext is (revoked and expired ones included), or None."""
    parts = split_token(plaintext)
    token = None
    if parts is not None:
        token = ApiToken.objects.select_related("user").filter(prefix=parts[0]).first()
    # Compare the hashes in constant time; an unknown prefix still costs one comparison.
    expected = token.key_hash if token is not None else "0" * 64
    if not hmac.compare_digest(expected, hash_token(plaintext)):
        return None
    return token


def bearer_token(request) -> str | None:
    """The plaintext of `Authorization: Bearer <token>`, if the header has that form."""
    header = get_authorization_header(request).split()
    if len(header) != 2 or header[0].lower() != b"bearer":
        return None
    try:
        return header[1].decode("ascii")
    except UnicodeDecodeError:
        return None


class TokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise AuthenticationFailed(
                _("Malformed Authorization header: send 'Authorization: Bearer <token>'.")
            )
        try:
            plaintext = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("Invalid token.")) from None
        return self.authenticate_token(plaintext)

    def authenticate_token(self, plaintext: str):
        token = find_token(plaintext)
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        now = timezone.now()
        if token.is_revoked:
            raise AuthenticationFailed(_("This token has been revoked."))
        if token.is_expired(now):
            raise AuthenticationFailed(_("This token has expired."))
        if not may_use_api(token.user):
            raise AuthenticationFailed(_("This account can no longer sign in."))
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class TwoFactorSessionAuthentication(SessionAuthentication):
    """The browser session, only once the two-factor step is passed (the page middleware does not
    guard API views: they answer anonymous calls with 401 themselves). CSRF applies to writes."""

    def authenticate(self, request):
        user = getattr(request._request, "user", None)
        if user is None or not user.is_authenticated or not may_use_api(user):
            return None
        if settings.NPM_REQUIRE_2FA and not user.is_verified():
            return None
        return super().authenticate(request)
