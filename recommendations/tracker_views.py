"""The recommendations tracker (filters, bulk actions, exports) and authoring pages (create, edit,
repeat suggestions and links). Partner-only users get 404 on all of them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from visits.access import get_visit_for_user
from visits.forms import apply_service_errors
from visits.models import Visit, is_partner_only

from . import authoring, exports
from .filters import RecommendationFilter, annotate_for_list
from .models import Recommendation, Theme
from .repeats import earlier_than, repeat_counts, repeat_suggestions
from .services import recommendation_ensure_editable
from .tracker_forms import BulkAction, BulkForm, ChooseVisitForm, RecommendationForm, as_id

PAGE_SIZES = (10, 25, 50, 100)
DEFAULT_PAGE_SIZE = 25
# The query parameters that are not filters.
NOT_FILTERS = ("page", "per_page")


# --- Access -------------------------------------------------------------------------------------


def _require(user, perm: str) -> None:
    """404 for partner-only users (the recommendations area does not exist for them), 403 for
    anyone else without the permission."""
    if is_partner_only(user):
        raise Http404
    if not user.has_perm(perm):
        raise PermissionDenied


def _get_recommendation(pk: int) -> Recommendation:
    return get_object_or_404(
        Recommendation.objects.select_related("visit__place__authority", "visit__report", "theme"),
        pk=pk,
    )


def _detail_url(recommendation: Recommendation) -> str:
    """The compliance detail page; the tracker until that page exists."""
    try:
        return reverse("recommendations:detail", args=[recommendation.pk])
    except NoReverseMatch:
        return reverse("recommendations:list")


def _has_detail() -> bool:
    try:
        reverse("recommendations:detail", args=[1])
    except NoReverseMatch:
        return False
    return True


def _is_issued(visit: Visit) -> bool:
    report = getattr(visit, "report", None)
    return report is not None and report.is_issued


# --- Tracker ------------------------------------------------------------------------------------


def _filter(request: HttpRequest) -> RecommendationFilter:
    data = request.GET.copy()
    for key in NOT_FILTERS:
        data.pop(key, None)
    return RecommendationFilter(
        data or None, queryset=annotate_for_list(Recommendation.objects.all())
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
    _require(request.user, "recommendations.view_recommendation")
    rec_filter = _filter(request)
    per_page = _page_size(request)
    page = Paginator(rec_filter.qs, per_page).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    today = timezone.localdate()
    counts = repeat_counts(rows)
    for rec in rows:
        rec.overdue = rec.is_overdue(today)
        rec.times_raised = counts.get(rec.pk, 1)
    can_change = request.user.has_perm("recommendations.change_recommendation")
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
            "can_add": request.user.has_perm("recommendations.add_recommendation"),
            "has_detail": _has_detail(),
            "bulk_actions": BulkAction.choices,
            "themes": Theme.objects.filter(active=True) if can_change else [],
            "current_sort": rec_filter.form.data.get("sort", "") if rec_filter.is_bound else "",
        },
    )


@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    _require(request.user, "recommendations.change_recommendation")
    # Back to the same filtered list; the query is re-encoded so it cannot be a URL.
    query = QueryDict(request.POST.get("query", ""), mutable=True)
    query.pop("page", None)
    back = reverse("recommendations:list") + (f"?{query.urlencode()}" if query else "")
    form = BulkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(back)
    action = form.cleaned_data["action"]
    fields = {}
    if action == BulkAction.THEME:
        fields["theme"] = form.cleaned_data["theme"]
    else:
        fields["public"] = action == BulkAction.PUBLIC
    ids = [rec.pk for rec in form.cleaned_data["ids"]]
    try:
        changed = authoring.recommendations_bulk_update(ids=ids, by=request.user, **fields)
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


def _export(request: HttpRequest, kind: str) -> HttpResponse:
    _require(request.user, "recommendations.view_recommendation")
    rec_filter = _filter(request)
    recommendations = list(rec_filter.qs)
    stamp = timezone.localdate().isoformat()
    if kind == "csv":
        response = HttpResponse(
            exports.to_csv(recommendations), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exports.to_xlsx(recommendations),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="recommendations-{stamp}.{kind}"'
    request.npm_access_log = {
        "action": "export",
        "object_type": "recommendations.Recommendation",
        "object_id": f"{len(recommendations)} rows",
    }
    return response


@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    return _export(request, "csv")


@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponse:
    return _export(request, "xlsx")


# --- Authoring ----------------------------------------------------------------------------------


def _visit_from(request: HttpRequest, value) -> Visit | None:
    if value in (None, ""):
        return None
    pk = as_id(value)
    if pk is None:
        raise Http404
    return get_visit_for_user(request.user, pk)


def _selected_ids(values) -> set[int]:
    return {pk for pk in map(as_id, values) if pk is not None}


def _suggestions_context(
    *,
    visit: Visit,
    theme: Theme | None,
    text: str,
    exclude: Recommendation | None = None,
    selected: set[int] = frozenset(),
    mode: str = "select",
) -> dict:
    suggestions = repeat_suggestions(
        visit=visit, theme=theme, text=text, exclude_pk=exclude.pk if exclude else None
    )
    linked = set()
    if exclude is not None:
        linked = set(exclude.repeats.values_list("pk", flat=True))
    shown = {rec.pk for rec in suggestions}
    # Keep what the user already ticked even when the text no longer matches it.
    missing = selected - shown
    if missing:
        extra = list(
            Recommendation.objects.filter(earlier_than(visit), pk__in=missing).select_related(
                "visit__place", "visit__report", "theme"
            )
        )
        for rec in extra:
            rec.same_place = rec.visit.place_id == visit.place_id
            rec.similarity = 0.0
        suggestions = extra + suggestions
    for rec in suggestions:
        rec.selected = rec.pk in selected
        rec.linked = rec.pk in linked
    return {
        "suggestions": suggestions,
        "visit": visit,
        "mode": mode,
        "recommendation": exclude,
        "asked": bool(text.strip() or theme or suggestions),
        "has_detail": _has_detail(),
    }


@require_GET
def suggestions(request: HttpRequest) -> HttpResponse:
    _require(request.user, "recommendations.change_recommendation")
    visit = _visit_from(request, request.GET.get("visit"))
    exclude = None
    exclude_ids = _selected_ids([request.GET.get("exclude")])
    if exclude_ids:
        exclude = _get_recommendation(exclude_ids.pop())
        visit = exclude.visit
    if visit is None:
        return render(
            request, "recommendations/_suggestions.html", {"suggestions": [], "asked": False}
        )
    theme = None
    theme_ids = _selected_ids([request.GET.get("theme")])
    if theme_ids:
        theme = Theme.objects.filter(pk=theme_ids.pop()).first()
    text = request.GET.get("text")
    if text is None:
        # A frozen (disabled) text field is not sent: suggest from the stored text.
        text = exclude.text if exclude is not None else ""
    context = _suggestions_context(
        visit=visit,
        theme=theme,
        text=text,
        exclude=exclude,
        selected=_selected_ids(request.GET.getlist("repeats")),
        mode="link" if exclude is not None else "select",
    )
    return render(request, "recommendations/_suggestions.html", context)


def _form_context(request, *, form, visit, recommendation=None, title, suggestion_context):
    return {
        "form": form,
        "visit": visit,
        "recommendation": recommendation,
        "page_title": title,
        "cancel_url": _detail_url(recommendation)
        if recommendation
        else reverse("recommendations:list"),
        **suggestion_context,
    }


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    _require(request.user, "recommendations.add_recommendation")
    visit = _visit_from(request, request.GET.get("visit") or request.POST.get("visit"))
    if visit is None:
        choose = ChooseVisitForm(request.GET or None)
        if choose.is_valid():
            return redirect(
                reverse("recommendations:create") + f"?visit={choose.cleaned_data['visit'].pk}"
            )
        return render(request, "recommendations/choose_visit.html", {"form": choose})
    try:
        authoring.ensure_visit_takes_recommendations(visit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("recommendations:create")
    posted = request.POST if request.method == "POST" else None
    form = RecommendationForm(
        posted,
        visit=visit,
        initial={
            "addressees": authoring.suggested_addressees(visit),
            "priority": Recommendation.Priority.NORMAL,
        },
    )
    form.ask_for_suggestions(
        reverse("recommendations:suggestions"),
        {"visit": visit.pk},
        "#id_text, #id_theme, [name=repeats]:checked",
    )
    if posted is not None and "refresh" not in posted and form.is_valid():
        data = form.cleaned_data
        try:
            recommendation = authoring.recommendation_create(
                visit=visit,
                text=data["text"],
                theme=data["theme"],
                addressees=data["addressees"],
                priority=data["priority"],
                public=data["public"],
                repeats=data["repeats"],
                by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Recommendation %(ref)s added.") % {"ref": recommendation.reference},
            )
            return redirect(_detail_url(recommendation))
    theme = None
    if posted is not None:
        theme = Theme.objects.filter(pk__in=_selected_ids([posted.get("theme")])).first()
    suggestion_context = _suggestions_context(
        visit=visit,
        theme=theme,
        text=posted.get("text", "") if posted is not None else "",
        selected=_selected_ids(posted.getlist("repeats")) if posted is not None else set(),
    )
    return render(
        request,
        "recommendations/form.html",
        _form_context(
            request,
            form=form,
            visit=visit,
            title=_("New recommendation"),
            suggestion_context=suggestion_context,
        ),
    )


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, "recommendations.change_recommendation")
    recommendation = _get_recommendation(pk)
    visit = recommendation.visit
    posted = request.POST if request.method == "POST" else None
    form = RecommendationForm(
        posted,
        visit=visit,
        instance=recommendation,
        initial={
            "text": recommendation.text,
            "theme": recommendation.theme,
            "addressees": list(recommendation.addressees.all()),
            "priority": recommendation.priority,
            "public": recommendation.public,
        },
    )
    try:
        recommendation_ensure_editable(recommendation)
    except ValidationError:
        form.freeze()
    form.ask_for_suggestions(
        reverse("recommendations:suggestions"),
        {"exclude": recommendation.pk},
        "#id_text, #id_theme",
    )
    if posted is not None and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k in authoring.EDITABLE_FIELDS}
        if form.frozen:
            fields = {k: v for k, v in fields.items() if k not in authoring.FROZEN_FIELDS}
        try:
            changed = authoring.recommendation_update(
                recommendation=recommendation, by=request.user, **fields
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if changed:
                messages.success(
                    request,
                    _("Changes to %(ref)s saved.") % {"ref": recommendation.reference},
                )
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(_detail_url(recommendation))
    suggestion_context = _suggestions_context(
        visit=visit,
        theme=recommendation.theme,
        text=recommendation.text,
        exclude=recommendation,
        mode="link",
    )
    context = _form_context(
        request,
        form=form,
        visit=visit,
        recommendation=recommendation,
        title=_("Edit recommendation %(ref)s") % {"ref": recommendation.reference},
        suggestion_context=suggestion_context,
    )
    context["earlier"] = list(
        recommendation.repeats.select_related("visit__place", "visit__report").order_by(
            "visit__year", "visit__number", "number"
        )
    )
    return render(request, "recommendations/form.html", context)


@require_POST
def repeat_link(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, "recommendations.change_recommendation")
    recommendation = _get_recommendation(pk)
    back = reverse("recommendations:edit", args=[recommendation.pk]) + "#repeats"
    earlier_ids = _selected_ids([request.POST.get("earlier")])
    if not earlier_ids:
        messages.error(request, _("Choose the earlier recommendation."))
        return redirect(back)
    earlier = _get_recommendation(earlier_ids.pop())
    action = request.POST.get("action", "link")
    try:
        if action == "unlink":
            done = authoring.repeat_unlink(
                recommendation=recommendation, earlier=earlier, by=request.user
            )
            text = _("%(ref)s is no longer linked as repeated.")
        else:
            done = authoring.repeat_link(
                recommendation=recommendation, earlier=earlier, by=request.user
            )
            text = _("Linked as a repeat of %(ref)s.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if done:
            messages.success(request, text % {"ref": earlier.reference})
        else:
            messages.info(request, _("Nothing was changed."))
    return redirect(back)
