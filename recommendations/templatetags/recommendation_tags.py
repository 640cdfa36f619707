from django import template
from django.urls import NoReverseMatch, reverse

from recommendations.models import Recommendation
from recommendations.repeats import earlier_ids, first_year, repeat_count

register = template.Library()


def detail_url(recommendation: Recommendation) -> str:
    try:
        return reverse("recommendations:detail", args=[recommendation.pk])
    except NoReverseMatch:  # the detail page is not mounted (yet)
        return ""


def _rows(queryset):
    rows = list(
        queryset.select_related("visit__place", "visit__report").order_by(
            "visit__year", "visit__number", "number"
        )
    )
    for rec in rows:
        rec.detail_url = detail_url(rec)
    return rows


@register.inclusion_tag("recommendations/_repeats.html", takes_context=True)
def repeat_summary(context, recommendation: Recommendation) -> dict:
    """The earlier recommendations this one repeats, the later ones repeating it, and "Issued N
    times since YEAR" (N counts every earlier recommendation reachable through `repeats`)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    can_link = bool(user and user.has_perm("recommendations.change_recommendation"))
    link_url = ""
    if can_link:
        try:
            link_url = reverse("recommendations:edit", args=[recommendation.pk]) + "#repeats"
        except NoReverseMatch:
            link_url = ""
    return {
        "recommendation": recommendation,
        "earlier": _rows(recommendation.repeats.all()),
        "later": _rows(recommendation.repeated_by.all()),
        "times": repeat_count(recommendation),
        "since": first_year(recommendation),
        "link_url": link_url,
    }


@register.simple_tag
def times_raised(recommendation: Recommendation) -> int:
    return repeat_count(recommendation)


@register.filter
def earlier_count(recommendation: Recommendation) -> int:
    return len(earlier_ids(recommendation))


STATUS_CLASSES = {
    "awaiting_response": "text-bg-secondary",
    "response_received": "text-bg-info",
    "implemented": "text-bg-success",
    "partially_implemented": "text-bg-warning",
    "in_progress": "text-bg-primary",
    "not_implemented": "text-bg-danger",
    "rejected": "text-bg-danger",
    "no_longer_applicable": "text-bg-light border",
}
PRIORITY_CLASSES = {
    "urgent": "text-bg-danger",
    "high": "text-bg-warning",
    "normal": "text-bg-light border",
}


@register.filter
def status_badge(status: str) -> str:
    """Bootstrap badge classes for a recommendation status."""
    return STATUS_CLASSES.get(status, "text-bg-secondary")


@register.filter
def priority_badge(priority: str) -> str:
    return PRIORITY_CLASSES.get(priority, "text-bg-light border")
