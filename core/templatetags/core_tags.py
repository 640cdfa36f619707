from django import template

from core.badges import badge_classes

register = template.Library()


@register.filter
def badge(value, kind: str) -> str:
    """Badge classes for a state: `{{ visit.status|badge:"visit" }}`."""
    return badge_classes(kind, value)
