"""Suggestions for the typed place, authority and visit boxes (visits.lookups): up to 15 labels
as JSON. Each kind asks for the permission its list page asks for; visits are only those the
user may see (a partner member's own)."""

from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from ..access import require_perm
from ..lookups import authority_field, place_field, visit_field
from ..models import Visit


@require_GET
def lookup(request: HttpRequest, kind: str) -> JsonResponse:
    if kind == "place":
        require_perm(request.user, "visits.view_place")
        field = place_field()
    elif kind == "authority":
        require_perm(request.user, "visits.view_authority")
        field = authority_field()
    elif kind == "visit":
        field = visit_field(Visit.objects.visible_to(request.user))
    else:
        raise Http404
    response = JsonResponse({"results": field.suggestions(request.GET.get("q", ""))})
    response["Cache-Control"] = "private, no-store"
    return response
