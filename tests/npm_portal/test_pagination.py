"""The shared pagination include: its own page parameter when a page lists two lists."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def _render(query: str, **context) -> str:
    request = RequestFactory().get(f"/portal/?{query}")
    return render_to_string("includes/pagination.html", context, request=request)


def test_default_parameter_is_page_and_keeps_the_filters():
    html = _render("q=x&page=2", page=Paginator(range(30), 10).page(2))
    assert 'href="?q=x&amp;page=1"' in html
    assert 'href="?q=x&amp;page=3"' in html


def test_a_second_list_pages_with_its_own_parameter_and_anchor():
    html = _render(
        "page=3&reports_page=1",
        page=Paginator(range(30), 10).page(1),
        param="reports_page",
        anchor="reports",
        label="Pages of reports",
    )
    assert 'href="?page=3&amp;reports_page=2#reports"' in html
    assert 'aria-label="Pages of reports"' in html


def test_one_page_shows_no_pagination():
    assert "pagination" not in _render("", page=Paginator(range(5), 10).page(1))
