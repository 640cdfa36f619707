"""Template tags the lower apps' pages use to show the authority portal (so `visits` does not
import the upper app): the portal users of an authority on its registry page."""

from __future__ import annotations

from django import template

from .. import access
from ..models import AuthorityAccount

register = template.Library()


@register.inclusion_tag("authority_portal/npm/_authority_accounts.html", takes_context=True)
def authority_accounts(context, authority):
    """The authority's portal users, for NPM users who may view accounts (nothing otherwise)."""
    user = context["request"].user
    if not access.can_view_accounts(user):
        return {"show": False}
    accounts = (
        AuthorityAccount.objects.filter(authority=authority)
        .select_related("user")
        .order_by("deactivated_at", "function", "user__last_name", "user__first_name")
    )
    return {
        "show": True,
        "authority": authority,
        "accounts": accounts,
        "can_manage": access.can_manage_accounts(user),
    }
