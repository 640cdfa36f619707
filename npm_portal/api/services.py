"""Personal access tokens: create (the plaintext is returned once) and revoke."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import DEFAULT_LIFETIME, MAX_LIFETIME, TOKEN_PREFIX, ApiToken

SCOPES = ("read", "write")
SECRET_BYTES = 32


def hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def split_token(plaintext: str) -> tuple[str, str] | None:
    """(prefix, secret) of a well-formed token, else None."""
    parts = plaintext.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def _scope_for(scopes: list[str]) -> str:
    wanted = set(scopes or [])
    if not wanted or wanted - set(SCOPES):
        raise ValidationError(
            {"scopes": _("Choose the scopes from: %(scopes)s.") % {"scopes": ", ".join(SCOPES)}}
        )
    # Writing without reading makes no sense for an API client: write includes read.
    return ApiToken.Scope.READ_WRITE if "write" in wanted else ApiToken.Scope.READ


@transaction.atomic
def token_create(
    *,
    user,
    name: str,
    scopes: list[str],
    expires_at: dt.datetime | None = None,
    by,
) -> tuple[ApiToken, str]:
    """A new token of `user`; returns the row and the plaintext, which is never stored.

    `by` is who asks: the user themselves (or None for the system). Nobody creates tokens for
    someone else."""
    if by is not None and by.pk != user.pk:
        raise PermissionDenied(_("You can only create tokens for yourself."))
    if not user.is_active:
        raise ValidationError(_("An inactive account cannot have API tokens."))
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the token a name, to recognise it later.")
    elif len(name) > ApiToken._meta.get_field("name").max_length:
        errors["name"] = _("The name is too long (at most 100 characters).")
    now = timezone.now()
    if expires_at is None:
        expires_at = now + DEFAULT_LIFETIME
    if expires_at <= now:
        errors["expires_at"] = _("The expiry must be in the future.")
    elif expires_at > now + MAX_LIFETIME:
        errors["expires_at"] = _("A token can be valid for at most %(days)d days.") % {
            "days": MAX_LIFETIME.days
        }
    try:
        scope = _scope_for(scopes)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)

    for _attempt in range(5):
        prefix = secrets.token_hex(4)
        plaintext = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    user=user,
                    name=name,
                    prefix=prefix,
                    key_hash=hash_token(plaintext),
                    scope=scope,
                    expires_at=expires_at,
                    created_at=now,
                )
        except IntegrityError:  # the prefix is taken (1 in 4 billion): draw again
            continue
        return token, plaintext
    raise RuntimeError("Could not draw a free token prefix.")


@transaction.atomic
def token_revoke(*, token: ApiToken, by) -> ApiToken:
    """The token stops working at once. Its owner (or the system) may revoke it."""
    if by is not None and by.pk != token.user_id and not by.is_superuser:
        raise PermissionDenied(_("You can only revoke your own tokens."))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
