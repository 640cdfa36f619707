from django import template

from core.roles import is_authority_only

from ..services import UNREAD_SHOWN, unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> dict | None:
    """The header bell's figure: None for those without NPM notifications (authority users)."""
    user = context["request"].user
    if not user.is_authenticated or is_authority_only(user):
        return None
    count = unread_count(user)
    return {"count": count, "shown": f"{UNREAD_SHOWN}+" if count > UNREAD_SHOWN else str(count)}
