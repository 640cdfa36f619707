from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.roles import is_authority_only
from npm_portal.work import work_count

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
    # Answers submitted through the authority portal (the dashboard counts those awaiting review).
    (_("Submissions"), "answers:inbox", "/answers/", "authority_portal.view_submission"),
]

# An authority user's whole navigation: the NPM's pages do not exist for them (404).
AUTHORITY_NAVIGATION = [
    (_("My recommendations"), "authority:home", "/authority/recommendations/"),
    (_("Reports"), "authority:reports", "/authority/reports/"),
    (_("Answers"), "authority:submissions", "/authority/submissions/"),
]


def _authority_items(path: str) -> list[dict]:
    items = []
    for label, name, prefix in AUTHORITY_NAVIGATION:
        url = reverse(name)
        active = path == url or path.startswith(prefix)
        items.append({"label": label, "url": url, "active": active})
    return items


@register.simple_tag(takes_context=True)
def nav_items(context) -> list[dict]:
    request = context["request"]
    path = request.path
    if is_authority_only(request.user):
        return _authority_items(path)
    items = []
    for label, name, prefix, permission in NAVIGATION:
        if permission and not request.user.has_perm(permission):
            continue
        url = reverse(name)
        active = path == url if prefix is None else path.startswith(prefix)
        items.append({"label": label, "url": url, "active": active})
    # The home page's "My work" figure, as the home page last counted it (npm_portal.work).
    if items and (count := work_count(request.user)):
        items[0]["count"] = count
    return items


@register.filter
def authority_only(user) -> bool:
    """An authority user: the NPM's menus (API tokens, documentation) do not exist for them."""
    return is_authority_only(user)


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
