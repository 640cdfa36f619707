"""Which member profile a login belongs to (partner members see their own rows only)."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist


def linked_member(user):
    """The partner member profile linked to this login, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.partner_member
    except ObjectDoesNotExist:
        return None
