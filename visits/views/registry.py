"""The registry: places of detention and the authorities responsible for them."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.http import posted, save_form_page
from core.sorting import PARAM as SORT_PARAM
from core.sorting import Sorts

from ..access import (
    check_can_add,
    get_authority_for_user,
    get_place_for_user,
    require_perm,
)
from ..filters import AuthorityFilter, PlaceFilter
from ..forms import AuthorityForm, PlaceForm
from ..models import Authority, FollowUp, Place, Visit

PAGE_SIZE = 25
AUTHORITY_PAGE_SIZE = 100

# The registry holds a few thousand places: name, category and district are indexed, the
# municipality and capacity are ordered within that small table.
PLACE_SORTS = Sorts(
    {
        "name": ("name",),
        "category": ("category", "name"),
        "authority": ("authority__name", "name"),
        "municipality": ("municipality", "name"),
        "district": ("district", "name"),
        "capacity": ("capacity",),
    },
    default="name",
    descending_first=("capacity",),
)

# A region's registry runs to hundreds of bodies, all read for the tree: any order is cheap.
AUTHORITY_SORTS = Sorts(
    {"name": ("name",), "kind": ("kind", "name"), "places": ("place_count", "name")},
    default="name",
    descending_first=("places",),
)


def _place_crumbs(place: Place | None = None) -> list[tuple[str, str]]:
    crumbs = [(_("Places"), reverse("visits:place_list"))]
    if place:
        crumbs.append((place.name, place.get_absolute_url()))
    return crumbs


def _authority_crumbs(authority: Authority | None = None) -> list[tuple[str, str]]:
    crumbs = [(_("Authorities"), reverse("visits:authority_list"))]
    if authority:
        crumbs.append((authority.name, authority.get_absolute_url()))
    return crumbs


def place_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "visits.view_place")
    places = Place.objects.select_related("authority")
    place_filter = PlaceFilter(request.GET or None, queryset=places)
    sorting = PLACE_SORTS.from_request(request)
    page = Paginator(place_filter.qs.order_by(*sorting.order_by), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    template = "visits/place_list.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {
            "filter": place_filter,
            "page": page,
            "sorting": sorting,
            "can_add": request.user.has_perm("visits.add_place"),
        },
    )


def place_detail(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_place_for_user(request.user, pk)
    return render(
        request,
        "visits/place_detail.html",
        {
            "place": place,
            "can_edit": request.user.has_perm("visits.change_place"),
            "history": place.history.select_related("history_user")[:10],
            "visits": Visit.objects.visible_to(request.user)
            .filter(place=place)
            .select_related("place")
            .order_by("-planned_start"),
            "can_add_visit": request.user.has_perm("visits.add_visit"),
            "follow_ups": FollowUp.objects.open()
            .visible_to(request.user)
            .filter(place=place)
            .select_related("visit", "interview"),
        },
    )


@require_http_methods(["GET", "POST"])
def place_create(request: HttpRequest) -> HttpResponse:
    check_can_add(request.user, Place)
    form = PlaceForm(posted(request))
    return save_form_page(
        request,
        form,
        lambda saved: _("Place “%(name)s” registered.") % {"name": saved.name},
        None,
        _("Register a place"),
        reverse("visits:place_list"),
        _place_crumbs(),
    )


@require_http_methods(["GET", "POST"])
def place_edit(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_place_for_user(request.user, pk, write=True)
    form = PlaceForm(posted(request), instance=place)
    return save_form_page(
        request,
        form,
        lambda saved: _("Changes to “%(name)s” saved.") % {"name": place.name},
        place,
        _("Edit place"),
        place.get_absolute_url(),
        _place_crumbs(place),
    )


def authority_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "visits.view_authority")
    authorities = Authority.objects.select_related("parent").annotate(
        place_count=Count("places", filter=Q(places__active=True), distinct=True),
        child_count=Count("children", distinct=True),
    )
    authority_filter = AuthorityFilter(request.GET or None, queryset=authorities)
    filtering = authority_filter.is_bound and any(request.GET.get(k) for k in ("q", "kind"))
    sorting = AUTHORITY_SORTS.from_request(request)
    # Unfiltered and unsorted, the list is the tree; filtered or sorted, a flat list.
    flat = filtering or request.GET.get(SORT_PARAM) in AUTHORITY_SORTS
    rows = list(authority_filter.qs.order_by(*sorting.order_by))
    rows = [(a, 0) for a in rows] if flat else _as_tree(rows)
    # A region's registry runs to hundreds of bodies: the tree (or the matches) in pages.
    page = Paginator(rows, AUTHORITY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "visits/authority_list.html",
        {
            "filter": authority_filter,
            "rows": page.object_list,
            "sorting": sorting,
            "page": page,
            "can_add": request.user.has_perm("visits.add_authority"),
        },
    )


def _as_tree(authorities: list[Authority]) -> list[tuple[Authority, int]]:
    """Depth-first order with the depth of each row, ministries first."""
    by_parent: dict[int | None, list[Authority]] = {}
    for authority in authorities:
        by_parent.setdefault(authority.parent_id, []).append(authority)
    rows: list[tuple[Authority, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for child in by_parent.get(parent_id, []):
            rows.append((child, depth))
            walk(child.pk, depth + 1)

    walk(None, 0)
    return rows


def authority_detail(request: HttpRequest, pk: int) -> HttpResponse:
    authority = get_authority_for_user(request.user, pk)
    return render(
        request,
        "visits/authority_detail.html",
        {
            "authority": authority,
            "ancestors": list(reversed(authority.ancestors())),
            "children": authority.children.order_by("name"),
            "places": authority.places.order_by("-active", "name"),
            "subtree_place_count": Place.objects.filter(
                authority_id__in=Authority.objects.subtree_ids(authority), active=True
            ).count(),
            "can_edit": request.user.has_perm("visits.change_authority"),
        },
    )


@require_http_methods(["GET", "POST"])
def authority_create(request: HttpRequest) -> HttpResponse:
    check_can_add(request.user, Authority)
    form = AuthorityForm(posted(request), initial={"parent": request.GET.get("parent")})
    return save_form_page(
        request,
        form,
        lambda saved: _("Authority “%(name)s” added.") % {"name": saved.name},
        None,
        _("Add an authority"),
        reverse("visits:authority_list"),
        _authority_crumbs(),
    )


@require_http_methods(["GET", "POST"])
def authority_edit(request: HttpRequest, pk: int) -> HttpResponse:
    authority = get_authority_for_user(request.user, pk, write=True)
    form = AuthorityForm(posted(request), instance=authority)
    return save_form_page(
        request,
        form,
        lambda saved: _("Changes to “%(name)s” saved.") % {"name": authority.name},
        authority,
        _("Edit authority"),
        authority.get_absolute_url(),
        _authority_crumbs(authority),
    )
