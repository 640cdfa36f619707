from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

register = template.Library()

# (label, URL name, URL prefix that marks the item active). An item appears once its URL exists,
# so a capability shows up in the navigation when it is built, never as a dead link.
NAVIGATION = [
    (_("Dashboard"), "dashboard", None),
    (_("Places"), "visits:place_list", "/places/"),
    (_("Authorities"), "visits:authority_list", "/authorities/"),
    (_("Visits"), "visits:visit_list", "/visits/"),
    (_("Recommendations"), "recommendations:list", "/recommendations/"),
    (_("Partners"), "partners:organisation_list", "/partners/"),
]


@register.simple_tag(takes_context=True)
def nav_items(context) -> list[dict]:
    path = context["request"].path
    items = []
    for label, name, prefix in NAVIGATION:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        active = path == url if prefix is None else path.startswith(prefix)
        items.append({"label": label, "url": url, "active": active})
    return items


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (for pagination and sorting)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
