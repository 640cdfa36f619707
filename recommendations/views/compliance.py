"""Compliance pages: a recommendation's detail and timeline, its assessment, and a visit's
recommendations (a tab of the visit's page).

Partner-only users get 404 on all of them; the NPM roles see everything, and change what their
permissions allow (403 otherwise): see `recommendations.access`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.http import apply_service_errors
from visits.models import Dispatch
from visits.views.tabs import render_tab

from .. import access, services
from ..forms.compliance import AssessmentForm
from ..models import AuthorityResponse, Basis, Recommendation, ResponseItem, issued_report


def _recommendation(request: HttpRequest, pk: int) -> Recommendation:
    return access.get_recommendation_for_user(
        request.user,
        pk,
        queryset=Recommendation.objects.select_related(
            "visit__place__authority", "visit__report", "theme", "created_by"
        ).prefetch_related("addressees"),
    )


def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _recommendation(request, pk)
    report = issued_report(recommendation.visit)
    if report is not None:  # for the timeline and the addressees it never reached
        prefetch_related_objects(
            [report], Prefetch("dispatches", queryset=Dispatch.objects.select_related("authority"))
        )
    responses = (
        AuthorityResponse.objects.filter(items__recommendation=recommendation)
        .select_related("authority")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=ResponseItem.objects.filter(recommendation=recommendation),
                to_attr="own_items",
            )
        )
        .distinct()
        .order_by("received_on", "pk")
    )
    responses = list(responses)
    items = []  # the timeline's letters, from the same two queries
    for letter in responses:
        for item in letter.own_items:
            item.response = letter
            items.append(item)
    # Loaded once, for the lists and the timeline alike.
    assessments = list(
        recommendation.assessments.select_related(
            "assessed_by", "response__authority", "follow_up_visit"
        ).order_by("-assessed_on", "-pk")
    )
    checks = list(
        recommendation.follow_up_checks.select_related("visit", "recorded_by").order_by(
            "visit__planned_start"
        )
    )
    user = request.user
    open_addressees = []
    if report is not None and recommendation.is_open:
        open_addressees = list(recommendation.addressees.all())
    return render(
        request,
        "recommendations/detail.html",
        {
            "recommendation": recommendation,
            "report": report,
            "overdue": recommendation.is_overdue(),
            "timeline": services.recommendation_timeline(
                recommendation, assessments=assessments, checks=checks, items=items
            ),
            "responses": responses,
            "assessments": assessments,
            "checks": checks,
            "can_assess": report is not None and access.can_assess(user),
            "can_respond": access.can_record_response(user),
            "open_addressees": open_addressees,
            "undispatched": services.undispatched_addressees(recommendation),
            "list_url": reverse("recommendations:list"),
            "edit_url": (
                reverse("recommendations:edit", args=[recommendation.pk])
                if report is None and access.can_change_recommendation(user)
                else None
            ),
        },
    )


def _assess_initial(request: HttpRequest) -> dict:
    """`?basis=response&response=<letter>` pre-fills the form (the authority portal's inbox
    links here from a submission); the form's choices still decide what is valid."""
    initial: dict = {}
    if request.method == "GET":
        basis = request.GET.get("basis", "")
        if basis in Basis.values:
            initial["basis"] = basis
        response = request.GET.get("response", "")
        if response.isdigit():
            initial["response"] = int(response)
    return initial


@require_http_methods(["GET", "POST"])
def recommendation_assess(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _recommendation(request, pk)
    access.require_that(access.can_assess(request.user))
    if issued_report(recommendation.visit) is None:
        messages.error(request, _("A recommendation can be assessed once its report is issued."))
        return redirect(recommendation)
    form = AssessmentForm(
        request.POST if request.method == "POST" else None,
        recommendation=recommendation,
        initial=_assess_initial(request),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.assessment_record(
                recommendation=recommendation,
                status=data["status"],
                reason=data["reason"],
                basis=data["basis"],
                response=data["response"],
                follow_up_visit=data["follow_up_visit"],
                verified_on_site=data["verified_on_site"],
                note=data["note"],
                assessed_on=data["assessed_on"],
                progress=data["progress"],
                by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Assessment recorded."))
            return redirect(recommendation)
    return render(
        request,
        "recommendations/assess.html",
        {"recommendation": recommendation, "form": form},
    )


def visit_recommendations(request: HttpRequest, visit_pk: int) -> HttpResponse:
    visit = access.get_visit_for_user(request.user, visit_pk, access.VIEW_RECOMMENDATION)
    report = getattr(visit, "report", None)
    issued = issued_report(visit) is not None
    recommendations = (
        visit.recommendations.select_related("theme").prefetch_related("addressees").all()
    )
    add_url = None
    if not issued and access.can_add_recommendation(request.user):
        add_url = reverse("recommendations:create") + f"?visit={visit.pk}"
    today = timezone.localdate()
    return render_tab(
        request,
        visit,
        "recommendations",
        "recommendations/visit_recommendations.html",
        {
            "recommendations": recommendations,
            "report": report,
            "issued": issued,
            "add_url": add_url,
            "today": today,
            "can_respond": issued and access.can_record_response(request.user),
        },
    )
