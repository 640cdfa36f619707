"""core.sorting and its template tag: a whitelist of sort keys, both directions, a pk
tie-breaker, anything else the default order; sortable headers keep the other parameters."""

from __future__ import annotations

import re

import pytest
from django.db.models import F
from django.template import Context, Template
from django.test import RequestFactory

from core.sorting import Sorts

SORTS = Sorts(
    {"name": ("name",), "date": ("starts_on", "name"), "size": ("size",), "kind": ("kind",)},
    default="-date",
    descending_first=("date",),
    one_way=("kind",),
)


def rows_in_order(response, attribute: str) -> list[str]:
    """The values of `data-<attribute>` in the page, top to bottom (one per table row)."""
    assert response.status_code == 200
    return re.findall(rf'data-{attribute}="([^"]+)"', response.content.decode())


def assert_sorts(client, url: str, attribute: str, key: str, expected: list, *, both_ways=True):
    """`?sort=key` lists the rows (their data-attribute values) in `expected` order, and
    `?sort=-key` in the reverse order."""
    expected = [str(value) for value in expected]
    separator = "&" if "?" in url else "?"
    assert rows_in_order(client.get(f"{url}{separator}sort={key}"), attribute) == expected
    if both_ways:
        reverse = rows_in_order(client.get(f"{url}{separator}sort=-{key}"), attribute)
        assert reverse == expected[::-1]


def assert_invalid_sort_is_default(client, url: str, attribute: str) -> None:
    """An unknown, malformed or SQL-looking sort key gives the page's default order, not an
    error."""
    default = rows_in_order(client.get(url), attribute)
    assert default, "the list needs rows for this check"
    for bad in ("nope", "-", "--name", "pk;drop table", "password", "place__authority__name"):
        assert rows_in_order(client.get(url, {"sort": bad}), attribute) == default


# --- Sorts -----------------------------------------------------------------------------------


def test_a_key_sorts_ascending_and_its_minus_descending_with_the_pk_last():
    assert SORTS.resolve("name").order_by == ("name", "pk")
    assert SORTS.resolve("-name").order_by == ("-name", "-pk")
    assert SORTS.resolve("-date").order_by == ("-starts_on", "-name", "-pk")


@pytest.mark.parametrize("value", [None, "", "-", "--name", "unknown", "name ", "NAME", 3, "-kind"])
def test_anything_outside_the_whitelist_is_the_default(value):
    sorting = SORTS.resolve(value)
    assert sorting.value == "-date"
    assert sorting.is_default
    assert sorting.order_by == ("-starts_on", "-name", "-pk")


def test_an_ordering_that_already_ends_on_the_pk_gets_no_second_one():
    sorts = Sorts({"newest": ("created_at", "pk")}, default="newest")
    assert sorts.resolve("-newest").order_by == ("-created_at", "-pk")


def test_expressions_reverse_too():
    sorts = Sorts({"size": (F("size").asc(nulls_last=True),)}, default="size")
    (expression, tie) = sorts.resolve("-size").order_by
    assert expression.descending
    assert expression.nulls_first
    assert not expression.nulls_last
    assert tie == "-pk"


def test_a_click_on_the_sorted_column_turns_it_round_and_others_start_their_own_way():
    by_name = SORTS.resolve("name")
    assert by_name.direction("name") == "ascending"
    assert by_name.direction("date") is None
    assert by_name.next_value("name") == "-name"
    assert SORTS.resolve("-name").next_value("name") == "name"
    assert by_name.next_value("date") == "-date"  # dates newest first
    assert by_name.next_value("size") == "size"
    # A one-way column stays one way.
    assert by_name.next_value("kind") == "kind"
    assert SORTS.resolve("kind").next_value("kind") == "kind"


def test_a_default_outside_the_keys_is_a_programming_error():
    with pytest.raises(ValueError, match="default"):
        Sorts({"name": ("name",)}, default="size")
    with pytest.raises(ValueError, match="unknown keys"):
        Sorts({"name": ("name",)}, default="name", descending_first=("date",))


# --- the template tag --------------------------------------------------------------------------


def _render(source: str, query: str, sort: str | None = None) -> str:
    request = RequestFactory().get(f"/list/?{query}")
    template = Template("{% load sorting_tags %}" + source)
    return template.render(Context({"request": request, "sorting": SORTS.resolve(sort)}))


def test_the_header_link_keeps_the_filters_and_the_search_and_drops_the_page():
    html = _render('{% sortable_th sorting "name" "Name" %}', "q=Po%C5%BEarevac&status=open&page=3")
    href = re.search(r'href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert href.startswith("?")
    params = dict(part.split("=") for part in href[1:].split("&"))
    assert params == {"q": "Po%C5%BEarevac", "status": "open", "sort": "name"}


def test_the_sorted_column_says_so_to_screen_readers_and_shows_its_direction():
    html = _render('{% sortable_th sorting "name" "Name" css_class="text-end" %}', "", "-name")
    assert 'aria-sort="descending"' in html
    assert 'class="text-end"' in html
    assert "bi-sort-down" in html
    assert "sorted descending" in html
    assert "sort=name" in html  # the next click sorts A to Z
    other = _render('{% sortable_th sorting "size" "Size" %}', "", "-name")
    assert "aria-sort" not in other
    assert "bi-arrow-down-up" in other


def test_the_hidden_input_keeps_a_chosen_sort_in_the_filter_form():
    assert _render("{% sort_input sorting %}", "", "name") == (
        '<input type="hidden" name="sort" value="name">'
    )
    assert _render("{% sort_input sorting %}", "", None) == ""
