"""The global search page. A reference that names exactly one object the user may see goes
straight to it ("V-2025-001", "NPM-2026-002", "NPM-2026-002/1"); otherwise the results are
grouped by type, up to `PER_TYPE` each, with a link to the list page for more.

Authority users never get here: the authority area is their whole app
(npm_portal.authority_portal.middleware answers 404), and base.html shows them no search box."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from .providers import exact_matches, providers_for

PER_TYPE = 10
MAX_QUERY = 200


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_QUERY]
    groups = []
    exact = []
    if query:
        exact = exact_matches(request.user, query)
        if len(exact) == 1:
            return redirect(exact[0].url)
        groups = [
            group
            for provider in providers_for(request.user)
            if (group := provider.group(request.user, query, PER_TYPE)).results
        ]
    return render(
        request,
        "npm_portal/search.html",
        {"query": query, "exact": exact, "groups": groups},
    )
