from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from npm_portal.authority_portal import access as authority_access
from npm_portal.authority_portal.models import Escalation, Submission
from visits.models import Authority, Place
from visits.services import visit_stats


@login_not_required
@never_cache
@require_GET
@transaction.non_atomic_requests
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers; no login, no details beyond ok/error."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def dashboard(request: HttpRequest) -> HttpResponse:
    by_category = dict(
        Place.objects.values_list("category").annotate(n=Count("pk", filter=Q(active=True)))
    )
    categories = [
        (value, label, by_category.get(value, 0)) for value, label in Place.Category.choices
    ]
    place_totals = Place.objects.aggregate(
        total=Count("pk"),
        active_count=Count("pk", filter=Q(active=True)),
        active_capacity=Sum("capacity", filter=Q(active=True)),
    )
    authority_totals = Authority.objects.aggregate(
        total=Count("pk"),
        ministries=Count("pk", filter=Q(parent__isnull=True)),
    )
    return render(
        request,
        "npm_portal/dashboard.html",
        {
            "categories": categories,
            "place_totals": place_totals,
            "authority_totals": authority_totals,
            "districts": Place.objects.active().values("district").distinct().count(),
            "visit_stats": visit_stats(request.user),
            "authority_portal": _authority_portal_panel(request.user),
        },
    )


def _authority_portal_panel(user) -> dict[str, int]:
    """What the authority portal asks of this NPM user: escalations still open, submissions to
    review (only the figures the user may open)."""
    panel = {}
    if authority_access.can_view_escalations(user):
        panel["escalated"] = (
            Escalation.objects.filter(recommendation__responded_on__isnull=True)
            .values("recommendation")
            .distinct()
            .count()
        )
    if authority_access.can_review_submissions(user):
        panel["awaiting_review"] = Submission.objects.awaiting_review().count()
    return panel
