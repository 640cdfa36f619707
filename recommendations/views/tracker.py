"""The recommendations tracker: filters, bulk actions, exports. Partner-only users get 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core.replica import reads_from_replica
from core.sorting import Sorts
from visits.models import Theme

from .. import access, exports, services
from ..forms.tracker import BulkAction, BulkForm
from ..models import Recommendation
from ..pagination import CachedCountPaginator, cached_count
from ..queries.filters import (
    DEFAULT_SORT,
    SORTS,
    RecommendationFilter,
    annotate_for_list,
    ordering,
)
from ..queries.repeats import repeat_counts

PAGE_SIZES = (10, 25, 50, 100)
DEFAULT_PAGE_SIZE = 25
# The query parameters that are not filters.
NOT_FILTERS = ("page", "per_page")
# The filters behind the "Filters (n active)" button (the search box stays in view).
PANEL_FILTERS = (
    "status",
    "overdue",
    "priority",
    "repeated",
    "theme",
    "authority",
    "place",
    "category",
    "district",
    "year",
    "visit",
)
# The column headers' links (core.sorting); the order itself is `queries.filters.ordering`,
# whose keys these are (status, place and priority sort one way, as the select offers).
TRACKER_HEADERS = Sorts(
    {key: SORTS[key] for key in ("reference", "due", "status", "place", "priority")},
    default=DEFAULT_SORT,
    descending_first=("reference",),
    one_way=("status", "place", "priority"),
)


def _filter(request: HttpRequest) -> RecommendationFilter:
    data = request.GET.copy()
    for key in NOT_FILTERS:
        data.pop(key, None)
    return RecommendationFilter(
        data or None, queryset=annotate_for_list(Recommendation.objects.visible_to(request.user))
    )


def _paginator(request: HttpRequest, rec_filter: RecommendationFilter, per_page: int):
    """Pages read key first, a search with many matches by walking the order
    (`recommendations.pagination`)."""
    order = ordering(rec_filter.sort_key)
    return CachedCountPaginator(
        rec_filter.qs,
        per_page,
        rows=lambda keys: annotate_for_list(Recommendation.objects.filter(pk__in=keys)).order_by(
            *order
        ),
        walk=rec_filter.walking_qs,
        total=lambda: cached_count(Recommendation.objects.visible_to(request.user)),
    )


def _filter_query(request: HttpRequest) -> str:
    """The current filters as a query string (for export links and returning after bulk)."""
    data = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        values = [v for v in values if v]
        if key not in NOT_FILTERS and values:
            data.setlist(key, values)
    return data.urlencode()


def _page_size(request: HttpRequest) -> int:
    try:
        size = int(request.GET.get("per_page", DEFAULT_PAGE_SIZE))
    except ValueError:
        return DEFAULT_PAGE_SIZE
    return size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE


@require_GET
def tracker(request: HttpRequest) -> HttpResponse:
    access.require(request.user, access.VIEW_RECOMMENDATION)
    rec_filter = _filter(request)
    per_page = _page_size(request)
    page = _paginator(request, rec_filter, per_page).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    today = timezone.localdate()
    counts = repeat_counts(rows)
    for rec in rows:
        rec.overdue = rec.is_overdue(today)
        rec.times_raised = counts.get(rec.pk, 1)
    can_change = access.can_change_recommendation(request.user)
    query = _filter_query(request)
    template = "recommendations/list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(
        request,
        template,
        {
            "filter": rec_filter,
            "page": page,
            "rows": rows,
            "per_page": per_page,
            "page_sizes": PAGE_SIZES,
            "query": query,
            "can_change": can_change,
            "can_add": access.can_add_recommendation(request.user),
            "bulk_actions": BulkAction.choices,
            "themes": Theme.objects.filter(active=True) if can_change else [],
            "current_sort": rec_filter.form.data.get("sort", "") if rec_filter.is_bound else "",
            "sorting": TRACKER_HEADERS.resolve(rec_filter.sort_key),
            "active_filters": sum(
                1 for key in PANEL_FILTERS if any(v for v in request.GET.getlist(key))
            ),
        },
    )


@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    access.require(request.user, access.CHANGE_RECOMMENDATION)
    # Back to the same filtered list; the query is re-encoded so it cannot be a URL.
    query = QueryDict(request.POST.get("query", ""), mutable=True)
    query.pop("page", None)
    back = reverse("recommendations:list") + (f"?{query.urlencode()}" if query else "")
    form = BulkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(back)
    if form.needs_confirmation:
        return _confirm_publication(request, form, back)
    action = form.cleaned_data["action"]
    fields = {}
    if action == BulkAction.THEME:
        fields["theme"] = form.cleaned_data["theme"]
    else:
        fields["public"] = action == BulkAction.PUBLIC
    ids = [rec.pk for rec in form.cleaned_data["ids"]]
    try:
        changed = services.recommendations_bulk_update(ids=ids, by=request.user, **fields)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d of %(selected)d selected recommendation changed.",
                "%(count)d of %(selected)d selected recommendations changed.",
                len(ids),
            )
            % {"count": changed, "selected": len(ids)},
        )
    return redirect(back)


def _confirm_publication(request: HttpRequest, form: BulkForm, back: str) -> HttpResponse:
    """The confirmation step of "Mark public": nothing changes until it is posted back."""
    return render(
        request,
        "recommendations/bulk_confirm.html",
        {
            "summary": form.publication_summary(),
            "ids": [rec.pk for rec in form.cleaned_data["ids"]],
            "query": request.POST.get("query", ""),
            "action": form.cleaned_data["action"],
            "back": back,
        },
    )


def _export(request: HttpRequest, kind: str) -> exports.ExportResponse:
    """The filtered set, streamed (`exports`); the access log counts its rows first."""
    access.require(request.user, access.VIEW_RECOMMENDATION)
    recommendations = _filter(request).qs
    count = recommendations.count()
    if kind == "csv":
        response = exports.csv_response(recommendations)
    else:
        response = exports.xlsx_response(recommendations)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="recommendations-{stamp}.{kind}"'
    request.npm_access_log = {
        "action": "export",
        "object_type": "recommendations.Recommendation",
        "object_id": f"{count} rows",
    }
    return response


@require_GET
@reads_from_replica
def export_csv(request: HttpRequest) -> exports.ExportResponse:
    return _export(request, "csv")


@require_GET
@reads_from_replica
def export_xlsx(request: HttpRequest) -> exports.ExportResponse:
    return _export(request, "xlsx")
