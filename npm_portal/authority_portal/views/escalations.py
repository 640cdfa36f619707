"""The escalations list for the NPM: recommendations overdue by NPM_ESCALATION_DAYS at an
addressee, escalated to its parent authority (`reminders.escalations_run`)."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import access
from ..models import Escalation

PAGE_SIZE = 50


def escalation_rows():
    """Open ones first (the recommendation still has no response), the newest first within."""
    return (
        Escalation.objects.select_related(
            "recommendation__visit__report",
            "recommendation__visit__place",
            "authority",
            "escalated_to",
        )
        .annotate(
            still_open=Case(
                When(Q(recommendation__responded_on__isnull=True), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-still_open", "-escalated_on", "-pk")
    )


@require_GET
def escalations(request: HttpRequest) -> HttpResponse:
    access.require_npm(request.user, access.VIEW_ESCALATION)
    rows = escalation_rows()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "authority_portal/escalations.html",
        {
            "page": page,
            "open_count": Escalation.objects.filter(
                recommendation__responded_on__isnull=True
            ).count(),
            "days": settings.NPM_ESCALATION_DAYS,
        },
    )
