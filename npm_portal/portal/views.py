"""The public portal: issued reports' public versions and public recommendations with their
current status. No login and no two-factor step; nothing unissued, non-public or confidential:
every query starts from `issued_reports()` or `public_recommendations()`, and the templates
show only the fields listed here (no response explanations, notes, assessments or names)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.http import private_file_response
from core.replica import reads_from_replica
from recommendations.models import Recommendation, Status
from recommendations.pagination import CachedCountPaginator, cached_count
from visits.models import Report

from ..security.middleware import otp_not_required
from .forms import PortalSearchForm, issued_reports, public_recommendations

REPORTS_PER_PAGE = 10
RECOMMENDATIONS_PER_PAGE = 20


def public_view(view):
    """No login, no one-time code step: the portal is for everyone. It reads from the replica
    when one is configured (DATABASE_REPLICA_URL): it only reads."""
    return login_not_required(otp_not_required(require_GET(reads_from_replica(view))))


@public_view
def lookup(request: HttpRequest, kind: str) -> JsonResponse:
    """Suggestions for the portal's place and authority boxes: public names only (places with an
    issued report, authorities the portal shows), up to 15."""
    if kind not in ("place", "authority"):
        raise Http404
    field = PortalSearchForm().fields[kind]
    return JsonResponse({"results": field.suggestions(request.GET.get("q", ""))})


@public_view
def index(request: HttpRequest) -> HttpResponse:
    form = PortalSearchForm(request.GET or None)
    reports = issued_reports().order_by("-issued_on", "-pk")
    # Newest report first, following the reports' index (visits.Report "report_issued_order").
    order = ("-visit__report__issued_on", "-visit_id", "number")
    recommendations = public_recommendations().order_by(*order)
    walk = None
    if form.is_bound:
        form.is_valid()  # invalid fields are ignored; the others still filter
        reports = form.filter_reports(reports)
        walk = form.filter_recommendations(recommendations, walk=True)
        recommendations = form.filter_recommendations(recommendations)
    # Read key first, a search with many matches by walking the order (as in the tracker).
    recommendation_pages = CachedCountPaginator(
        recommendations,
        RECOMMENDATIONS_PER_PAGE,
        rows=lambda keys: (
            Recommendation.objects.filter(pk__in=keys)
            .select_related("visit__place", "visit__report", "theme")
            .prefetch_related("addressees")
            .order_by(*order)
        ),
        walk=walk if form.is_bound and form.cleaned_data.get("q", "").strip() else None,
        total=lambda: cached_count(public_recommendations()),
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/index.html",
        {
            "form": form,
            "searching": form.is_bound and any(v for v in request.GET.dict().values()),
            # The page's keys first (a search can match thousands of reports: sorting their
            # keys, not their rows joined to visits and places), then its ten rows.
            "reports": CachedCountPaginator(
                reports,
                REPORTS_PER_PAGE,
                rows=lambda keys: (
                    Report.objects.filter(pk__in=keys)
                    .select_related("visit__place")
                    .order_by("-issued_on", "-pk")
                ),
            ).get_page(request.GET.get("reports_page")),
            "recommendations": recommendation_pages,
        },
    )


def _status_history(recommendation) -> list[tuple]:
    """(date, status label) from the issue of the report: dates and statuses only."""
    report = recommendation.visit.report
    history = [(report.issued_on, _("Issued, awaiting response"))]
    previous = Status.AWAITING_RESPONSE
    rows = recommendation.history.order_by("history_date", "history_id").values_list(
        "status", "status_changed_on", "history_date"
    )
    for status, changed_on, recorded_at in rows:
        if status == previous:
            continue
        date = changed_on or timezone.localdate(recorded_at)
        history.append((date, Status(status).label if status in Status.values else status))
        previous = status
    return history


@public_view
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = get_object_or_404(
        public_recommendations().select_related("visit__place", "visit__report", "theme"),
        pk=pk,
    )
    return render(
        request,
        "portal/recommendation_detail.html",
        {
            "recommendation": recommendation,
            "report": recommendation.visit.report,
            "addressees": list(recommendation.addressees.order_by("name")),
            "history": _status_history(recommendation),
        },
    )


@public_view
def report_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """The stored public version of an issued report, byte for byte; 404 for anything else."""
    report = get_object_or_404(issued_reports(), pk=pk)
    # Public: no private cache headers; a download by an anonymous visitor is not logged (a
    # logged-in user's is, like every download).
    return private_file_response(
        request,
        report.public_pdf,
        logged_as=report,
        visit=report.visit,
        filename=f"{report.reference}-public.pdf",
        content_type="application/pdf",
        inline=True,
        sha256=report.public_pdf_sha256,
        private=False,
    )
