"""Authoring recommendations: create, edit, repeat suggestions and links. Partner-only users
get 404 on all of them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.http import apply_service_errors
from visits.access import get_visit_for_user
from visits.models import Theme, Visit

from .. import access, services
from ..forms.tracker import ChooseVisitForm, RecommendationForm, as_id
from ..models import Recommendation
from ..queries.repeats import earlier_than, repeat_suggestions


def _get_recommendation(request: HttpRequest, pk: int) -> Recommendation:
    return access.get_recommendation_for_user(
        request.user,
        pk,
        queryset=Recommendation.objects.select_related(
            "visit__place__authority", "visit__report", "theme"
        ),
    )


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
    }


@require_GET
def suggestions(request: HttpRequest) -> HttpResponse:
    access.require(request.user, access.CHANGE_RECOMMENDATION)
    visit = _visit_from(request, request.GET.get("visit"))
    exclude = None
    exclude_ids = _selected_ids([request.GET.get("exclude")])
    if exclude_ids:
        exclude = _get_recommendation(request, exclude_ids.pop())
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
        "cancel_url": recommendation.get_absolute_url()
        if recommendation
        else reverse("recommendations:list"),
        **suggestion_context,
    }


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, access.ADD_RECOMMENDATION)
    visit = _visit_from(request, request.GET.get("visit") or request.POST.get("visit"))
    if visit is None:
        choose = ChooseVisitForm(request.GET or None)
        if choose.is_valid():
            return redirect(
                reverse("recommendations:create") + f"?visit={choose.cleaned_data['visit'].pk}"
            )
        return render(request, "recommendations/choose_visit.html", {"form": choose})
    try:
        services.ensure_visit_takes_recommendations(visit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("recommendations:create")
    posted = request.POST if request.method == "POST" else None
    form = RecommendationForm(
        posted,
        visit=visit,
        initial={
            "addressees": services.suggested_addressees(visit),
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
            recommendation = services.recommendation_create(
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
            return redirect(recommendation.get_absolute_url())
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
    access.require(request.user, access.CHANGE_RECOMMENDATION)
    recommendation = _get_recommendation(request, pk)
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
        services.recommendation_ensure_editable(recommendation)
    except ValidationError:
        form.freeze()
    form.ask_for_suggestions(
        reverse("recommendations:suggestions"),
        {"exclude": recommendation.pk},
        "#id_text, #id_theme",
    )
    if posted is not None and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k in services.EDITABLE_FIELDS}
        if form.frozen:
            fields = {k: v for k, v in fields.items() if k not in services.FROZEN_FIELDS}
        try:
            changed = services.recommendation_update(
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
            return redirect(recommendation.get_absolute_url())
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
    access.require(request.user, access.CHANGE_RECOMMENDATION)
    recommendation = _get_recommendation(request, pk)
    back = reverse("recommendations:edit", args=[recommendation.pk]) + "#repeats"
    earlier_ids = _selected_ids([request.POST.get("earlier")])
    if not earlier_ids:
        messages.error(request, _("Choose the earlier recommendation."))
        return redirect(back)
    earlier = _get_recommendation(request, earlier_ids.pop())
    action = request.POST.get("action", "link")
    try:
        if action == "unlink":
            done = services.repeat_unlink(
                recommendation=recommendation, earlier=earlier, by=request.user
            )
            text = _("%(ref)s is no longer linked as repeated.")
        else:
            done = services.repeat_link(
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
