"""The compliance dashboard and the annual statistics report (PDF).

Figures come from `recommendations.queries.stats` (a fixed number of aggregate queries), cached
until a figure changes (`recommendations.cache`); charts are server-side SVG from
`recommendations.charts`, each with its numbers as a table whose links lead into the tracker with
the matching filters. The per-authority tables of the dashboard are paged (`AUTHORITY_ROWS`).

The annual report of a year that is over is rendered once per language and then served from
storage with its checksum (`services.annual`); the year still running is rendered on each
request and marked provisional.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.http import private_file_response
from core.replica import reads_from_replica
from visits.pdf import html_to_pdf_with_pages

from .. import access, cache, charts
from ..models import Status
from ..queries import stats
from ..services.annual import annual_report_freeze, annual_report_frozen

# Years a request may ask for; anything else is ignored (all years).
MIN_YEAR, MAX_YEAR = 1990, 2100
# Rows of a per-authority table on one page of the dashboard.
AUTHORITY_ROWS = 25
# The PDF's <html lang> (BCP 47, with the script) per interface language: it is the PDF's
# /Lang for screen readers, and it picks the hyphenation patterns of the table headings.
HTML_LANG = {"en": "en", "sr-latn": "sr-Latn", "sr": "sr-Cyrl"}


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


def _linked(rows, href) -> list[dict]:
    """Rows of a bar chart's table, each with its link into the tracker."""
    return [{"row": row, "href": href(row)} for row in rows]


def _summary(year: int | None, today: dt.date) -> dict:
    """The compliance summary and the years of the filter, cached until a figure changes."""
    return cache.cached(
        "dashboard",
        (year or "all", today.isoformat()),
        lambda: {**stats.compliance_summary(year, today), "years": stats.years()},
    )


def _charts(summary: dict) -> dict:
    """The SVG charts of a summary (their links are in the tables beside them)."""
    return {
        "authority": charts.stacked(
            _("Outcome by addressee authority"), summary["by_authority"], limit=15
        ),
        "category": charts.stacked(_("Outcome by place category"), summary["by_category"]),
        "theme": charts.stacked(_("Outcome by theme"), summary["by_theme"]),
        "year": charts.stacked(_("Outcome by year of the visit"), summary["by_year"]),
        "overdue": charts.bars(
            _("Overdue responses by addressee authority"),
            [(r.label, r.count) for r in summary["overdue"].by_authority[:15]],
        ),
        "response_times": charts.bars(
            _("Average days to respond by authority"),
            [(r.label, r.average_days) for r in summary["response_times"].by_authority[:15]],
        ),
        "repeat_themes": charts.bars(
            _("Repeated recommendations by theme"),
            [(r.label, r.count) for r in summary["repeat_themes"]],
        ),
    }


def _common(summary: dict, year: int | None) -> dict:
    """What the dashboard and the annual report both show, but the per-authority tables."""
    return {
        **summary,
        "definitions": [
            (label, [Status(s).label for s in stats.STATUSES_OF_OUTCOME[outcome]])
            for outcome, label in stats.OUTCOMES
        ],
        "excluded_label": Status.NO_LONGER_APPLICABLE.label,
        "legend": charts.legend(),
        "charts": _charts(summary),
        "overdue_url": tracker_url(overdue="yes", year=year),
        "repeated_url": tracker_url(repeated="yes", year=year),
        "all_url": tracker_url(year=year),
    }


def dashboard_context(year: int | None, today=None) -> dict:
    """The annual report's context: every authority in full."""
    context = _common(_summary(year, today or timezone.localdate()), year)
    context["tables"] = {
        "authority": _table(context["by_authority"], year, "authority"),
        "category": _table(context["by_category"], year, "category"),
        "theme": _table(context["by_theme"], year, "theme"),
        "year": _table(context["by_year"], year, "year"),
    }
    return context


def _page(request: HttpRequest, rows: list, param: str):
    return Paginator(rows, AUTHORITY_ROWS).get_page(request.GET.get(param))


def _body_context(request: HttpRequest, year: int | None, today: dt.date) -> dict:
    context = _common(_summary(year, today), year)
    for concern in context["concerns"]:
        concern.href = reverse("recommendations:detail", args=[concern.latest_pk])
    # Hundreds of authorities: a page of each per-authority table at a time, the largest (the
    # most overdue, the slowest) first.
    authorities = _page(request, context["by_authority"], "authority_page")
    overdue = _page(request, context["overdue"].by_authority, "overdue_page")
    days = _page(request, context["response_times"].by_authority, "days_page")
    context["tables"] = {
        "authority": _table(authorities.object_list, year, "authority"),
        "category": _table(context["by_category"], year, "category"),
        "theme": _table(context["by_theme"], year, "theme"),
        "year": _table(context["by_year"], year, "year"),
        "overdue": _linked(
            overdue.object_list,
            lambda r: tracker_url(overdue="yes", authority=r.key, year=year),
        ),
        "days": _linked(days.object_list, lambda r: tracker_url(authority=r.key, year=year)),
        "repeat_themes": _linked(
            context["repeat_themes"],
            lambda r: tracker_url(repeated="yes", theme=r.key, year=year) if r.key else None,
        ),
    }
    report_year = year or _latest_year_with_data(context, today)
    context.update(
        {
            "pages": {"authority": authorities, "overdue": overdue, "days": days},
            "selected_year": year,
            "report_year": report_year,
            "annual_url": reverse("recommendations:annual_report", args=[report_year]),
            "annual_provisional": report_year >= today.year,
            "annual_frozen": annual_report_frozen(year=report_year, language=_language()),
        }
    )
    return context


def _latest_year_with_data(summary: dict, today: dt.date) -> int:
    """The year the annual report link offers when no year is chosen: the latest with
    recommendations of issued reports (what the report is about), else the latest with a visit
    made, else this year. The summary's periods (all years, newest first) hold both."""
    periods = summary["periods"]
    with_recommendations = [p.year for p in periods if p.recommendations]
    if with_recommendations:
        return with_recommendations[0]
    return periods[0].year if periods else today.year


def _language() -> str:
    """The interface language, which the annual report is rendered (and frozen) in."""
    language = get_language() or settings.LANGUAGE_CODE
    return language if language in HTML_LANG else "en"


@require_GET
@reads_from_replica
def dashboard(request: HttpRequest) -> HttpResponse:
    """The figures' HTML (tables, charts, links: the same for every user who may see it) is
    rendered once per figures version, language, day and query string, and kept with the
    figures (`cache.cached`): drawing hundreds of rows and the charts is most of the page's
    time, the aggregates themselves are cached already."""
    access.require(request.user, access.VIEW_RECOMMENDATION)
    year = _year(request.GET.get("year"))
    today = timezone.localdate()
    query = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:24]
    body = cache.cached(
        "dashboard-html",
        (year or "all", today.isoformat(), query),
        lambda: render_to_string(
            "recommendations/_dashboard_body.html",
            _body_context(request, year, today),
            request=request,
        ),
    )
    # Rendered by the template engine (escaped there); a cache may hand back a plain str.
    return render(request, "recommendations/dashboard.html", {"body": mark_safe(body)})  # nosec B308, B703 - template output


def _annual_pdf(request: HttpRequest, year: int, *, provisional: bool) -> tuple[bytes, int, bool]:
    """The PDF of `year`'s report, its page count and whether it counts any recommendation.
    A past year's is archival (tagged, PDF/A-3u, PDF/UA-1) like an issued visit report: it is
    kept and quoted."""
    context = dashboard_context(year)
    context.update(
        {
            "npm_name": settings.NPM_NAME or _("National Preventive Mechanism"),
            "generated_on": timezone.localdate(),
            "html_lang": HTML_LANG[_language()],
            "provisional": provisional,
        }
    )
    html = render_to_string("recommendations/pdf/annual.html", context, request=request)
    pdf, pages = html_to_pdf_with_pages(html, archival=not provisional)
    return pdf, pages, bool(context["overall"].all_count)


def _rendered(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _annual_response(request: HttpRequest, year: int, filename: str) -> HttpResponse:
    """The year still running: rendered now, provisional. A year that is over: as stored the
    first time it was asked for in this language; a year without recommendations is not
    stored (its records may still be entered, e.g. by an import of past years)."""
    if year >= timezone.localdate().year:
        return _rendered(_annual_pdf(request, year, provisional=True)[0], filename)
    language = _language()
    stored = annual_report_frozen(year=year, language=language)
    if stored is None:
        pdf, pages, has_data = _annual_pdf(request, year, provisional=False)
        if not has_data:
            return _rendered(pdf, filename)
        stored = annual_report_freeze(year=year, language=language, pdf=pdf, pages=pages)
    return private_file_response(
        request,
        stored.pdf,
        logged_as=stored,
        filename=filename,
        content_type="application/pdf",
        inline=True,
        sha256=stored.sha256,
    )


@require_GET
@reads_from_replica
def annual_report(request: HttpRequest, year: int) -> HttpResponse:
    """The annual statistics report of `year` (visits of that year) as an A4 PDF."""
    access.require(request.user, access.VIEW_RECOMMENDATION)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    response = _annual_response(request, year, f"npm-annual-statistics-{year}.pdf")
    # An export of the year's figures, frozen or not (not a download of the stored row).
    request.npm_access_log = {
        "action": "export",
        "object_type": "recommendations.AnnualReport",
        "object_id": str(year),
    }
    return response
