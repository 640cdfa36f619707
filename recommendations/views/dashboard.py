"""The compliance dashboard and the annual statistics report (PDF).

Figures come from `recommendations.queries.stats` (a fixed number of aggregate queries); charts are
server-side SVG from `recommendations.charts`, each with its numbers as a table; links lead into
the tracker with the matching filters.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from visits.pdf import html_to_pdf

from .. import access, charts
from ..models import Status
from ..queries import stats

# Years a request may ask for; anything else is ignored (all years).
MIN_YEAR, MAX_YEAR = 1990, 2100


def _year(value: str | None) -> int | None:
    value = (value or "").strip()
    # isdigit() alone admits "²", which int() refuses: ASCII digits only.
    if value.isascii() and value.isdigit() and MIN_YEAR <= int(value) <= MAX_YEAR:
        return int(value)
    return None


def tracker_url(**filters) -> str:
    """The tracker filtered by the given filters (names as in `queries.filters`)."""
    base = reverse("recommendations:list")
    params = {k: v for k, v in filters.items() if v not in (None, "")}
    return f"{base}?{urlencode(params)}" if params else base


def _row_filters(row, year: int | None, filter_name: str) -> dict | None:
    """The tracker filters that select a row's group (None: the tracker has no such filter,
    e.g. "no theme")."""
    if row.key is None:
        return None
    if filter_name == "year":
        return {"year": row.key}
    return {"year": year, filter_name: row.key}


def _table(rows, year: int | None, filter_name: str) -> list[dict]:
    """Rate rows with links: the group into the tracker, and each outcome that is a single
    status (the tracker filters one status at a time) into the tracker with that status."""
    table = []
    for row in rows:
        filters = _row_filters(row, year, filter_name)
        shares = []
        for share in row.shares:
            href = None
            if filters is not None and len(share.statuses) == 1:
                href = tracker_url(status=share.statuses[0], **filters)
            shares.append({"share": share, "href": href})
        table.append(
            {
                "row": row,
                "href": tracker_url(**filters) if filters is not None else None,
                "shares": shares,
            }
        )
    return table


def _href(filter_name: str, year: int | None):
    def build(row) -> str | None:
        filters = _row_filters(row, year, filter_name)
        return tracker_url(**filters) if filters is not None else None

    return build


def dashboard_context(year: int | None, today=None) -> dict:
    summary = stats.compliance_summary(year, today)
    overdue = summary["overdue"]
    times = summary["response_times"]
    return {
        **summary,
        "definitions": [
            (label, [Status(s).label for s in stats.STATUSES_OF_OUTCOME[outcome]])
            for outcome, label in stats.OUTCOMES
        ],
        "excluded_label": Status.NO_LONGER_APPLICABLE.label,
        "legend": charts.legend(),
        "tables": {
            "authority": _table(summary["by_authority"], year, "authority"),
            "category": _table(summary["by_category"], year, "category"),
            "theme": _table(summary["by_theme"], year, "theme"),
            "year": _table(summary["by_year"], year, "year"),
        },
        "charts": {
            "authority": charts.stacked(
                _("Outcome by addressee authority"),
                summary["by_authority"],
                _href("authority", year),
                limit=15,
            ),
            "category": charts.stacked(
                _("Outcome by place category"),
                summary["by_category"],
                _href("category", year),
            ),
            "theme": charts.stacked(
                _("Outcome by theme"), summary["by_theme"], _href("theme", year)
            ),
            "year": charts.stacked(
                _("Outcome by year of the visit"), summary["by_year"], _href("year", year)
            ),
            "overdue": charts.bars(
                _("Overdue responses by addressee authority"),
                [
                    (r.label, r.count, tracker_url(overdue="yes", authority=r.key, year=year))
                    for r in overdue.by_authority[:15]
                ],
            ),
            "response_times": charts.bars(
                _("Average days to respond by authority"),
                [
                    (r.label, r.average_days, tracker_url(authority=r.key, year=year))
                    for r in times.by_authority[:15]
                ],
            ),
            "repeat_themes": charts.bars(
                _("Repeated recommendations by theme"),
                [
                    (r.label, r.count, tracker_url(repeated="yes", theme=r.key, year=year))
                    for r in summary["repeat_themes"]
                ],
            ),
        },
        "overdue_url": tracker_url(overdue="yes", year=year),
        "repeated_url": tracker_url(repeated="yes", year=year),
        "all_url": tracker_url(year=year),
    }


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    access.require(request.user, access.VIEW_RECOMMENDATION)
    year = _year(request.GET.get("year"))
    context = dashboard_context(year)
    for concern in context["concerns"]:
        concern.href = reverse("recommendations:detail", args=[concern.latest_pk])
    years = stats.years()
    report_year = year or (years[0] if years else timezone.localdate().year)
    context.update(
        {
            "years": years,
            "selected_year": year,
            "report_year": report_year,
            "annual_url": reverse("recommendations:annual_report", args=[report_year]),
        }
    )
    return render(request, "recommendations/dashboard.html", context)


@require_GET
def annual_report(request: HttpRequest, year: int) -> HttpResponse:
    """The annual statistics report of `year` (visits of that year) as an A4 PDF."""
    access.require(request.user, access.VIEW_RECOMMENDATION)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    context = dashboard_context(year)
    for chart in context["charts"].values():
        for row in chart.rows:
            row.href = None  # links into the app mean nothing on paper
    context.update(
        {
            "npm_name": settings.NPM_NAME or _("National Preventive Mechanism"),
            "generated_on": timezone.localdate(),
        }
    )
    html = render_to_string("recommendations/pdf/annual.html", context, request=request)
    pdf = html_to_pdf(html)
    request.npm_access_log = {
        "action": "export",
        "object_type": "recommendations.AnnualReport",
        "object_id": str(year),
    }
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"npm-annual-statistics-{year}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
