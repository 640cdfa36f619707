"""Sortable table headers and the hidden input that keeps the sort in a filter form.

{% load sorting_tags %}
{% sortable_th sorting "name" _("Name") %}
{% sortable_th sorting "capacity" _("Capacity") css_class="text-end" %}
{% sort_input sorting %}   {# inside the filter <form> #}
"""

from __future__ import annotations

from django import template
from django.http import QueryDict
from django.utils.html import format_html

from core.sorting import PARAM, Sorting

register = template.Library()


def _query(params: QueryDict, **changes: str | None) -> str:
    params = params.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.inclusion_tag("includes/sortable_th.html", takes_context=True)
def sortable_th(context, sorting: Sorting, key: str, label: str, css_class: str = "") -> dict:
    """A `<th>` whose link sorts the list on `key` (the other direction when it is already
    sorted on it), keeping every other query parameter but the page number."""
    request = context["request"]
    direction = sorting.direction(key)
    icon = {"ascending": "bi-sort-up", "descending": "bi-sort-down"}.get(
        direction, "bi-arrow-down-up"
    )
    return {
        "href": _query(request.GET, **{PARAM: sorting.next_value(key), "page": None}),
        "label": label,
        "direction": direction,
        "icon": icon,
        "css_class": css_class,
        "key": key,
    }


@register.simple_tag
def sort_input(sorting: Sorting) -> str:
    """A hidden `sort` input, so a filter form submitted after sorting keeps the order."""
    if sorting.is_default:
        return ""
    return format_html('<input type="hidden" name="{}" value="{}">', PARAM, sorting.value)
