from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

register = template.Library()

# (label, URL name, URL prefix that marks the item active, permission needed or None). An item
# appears when the user may open it, so the navigation never holds a link that answers 403.
NAVIGATION = [
    (_("Dashboard"), "dashboard", None, None),
    (_("Places"), "visits:place_list", "/places/", None),
    (_("Authorities"), "visits:authority_list", "/authorities/", None),
    (_("Visits"), "visits:visit_list", "/visits/", None),
    (
        _("Recommendations"),
        "recommendations:list",
        "/recommendations/",
        "recommendations.view_recommendation",
    ),
    (_("Partners"), "partners:organisation_list", "/partners/", None),
]


@register.simple_tag(takes_context=True)
def nav_items(context) -> list[dict]:
    request = context["request"]
    path = request.path
    items = []
    for label, name, prefix, permission in NAVIGATION:
        if permission and not request.user.has_perm(permission):
            continue
        url = reverse(name)
        active = path == url if prefix is None else path.startswith(prefix)
        items.append({"label": label, "url": url, "active": active})
    return items


@register.simple_tag(takes_context=True)
def page_url(context, number, param: str = "page") -> str:
    """The current query string with page `number` under `param` (a page may list two lists)."""
    return query_with(context, **{param or "page": number})


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
