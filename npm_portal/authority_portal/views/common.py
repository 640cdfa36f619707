"""Small helpers the authority area's view modules share."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest

PAGE_SIZE = 25


def page_of(request: HttpRequest, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)
