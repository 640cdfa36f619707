"""Repeated concerns on a recommendation's page. Badge colours come from `core_tags`
(`{{ rec.status|badge:"recommendation" }}`), not from here."""

from django import template
from django.urls import reverse

from recommendations import access
from recommendations.models import Recommendation
from recommendations.queries.repeats import earlier_ids, first_year, repeat_count

register = template.Library()


def detail_url(recommendation: Recommendation) -> str:
    return reverse("recommendations:detail", args=[recommendation.pk])


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
    link_url = ""
    if user is not None and access.can_change_recommendation(user):
        link_url = reverse("recommendations:edit", args=[recommendation.pk]) + "#repeats"
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
