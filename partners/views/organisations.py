"""Organisation pages: NPM roles see every organisation, a partner member their own."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.http import posted, save_form_page
from core.sorting import Sorts

from .. import access, services
from ..filters import OrganisationFilter
from ..forms import OrganisationForm
from ..models import Agreement, Member, Network, Organisation, PublicCall
from .common import crumbs, page_of

# A few dozen associations: every column orders cheaply.
ORGANISATION_SORTS = Sorts(
    {"name": ("name",), "kind": ("kind", "name"), "members": ("active_member_count", "name")},
    default="name",
    descending_first=("members",),
)


def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = (
        access.get_organisations_for_user(request.user)
        .annotate(
            active_member_count=Count("members", filter=Q(members__active=True), distinct=True),
        )
        .order_by("name")
    )
    organisations = organisations.prefetch_related(
        Prefetch("agreements", queryset=Agreement.objects.order_by("-valid_until"))
    )
    organisation_filter = OrganisationFilter(request.GET or None, queryset=organisations)
    sorting = ORGANISATION_SORTS.from_request(request)
    page = page_of(request, organisation_filter.qs.order_by(*sorting.order_by))
    template = "partners/organisation_list.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {
            "filter": organisation_filter,
            "page": page,
            "sorting": sorting,
            "can_add": access.can_add(request.user, Organisation),
            "tab": "organisations",
        },
    )


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = access.get_organisation_for_user(request.user, pk)
    user = request.user
    members = list(organisation.members.select_related("user"))
    shown = [m.pk for m in members if access.member_participation_shown(user, m)]
    participation = services.members_participation(member_pks=shown)
    member_rows = [(member, participation.get(member.pk)) for member in members]
    return render(
        request,
        "partners/organisation_detail.html",
        {
            "organisation": organisation,
            "agreements": organisation.agreements.select_related("call"),
            "member_rows": member_rows,
            "own_member": access.own_member(user),
            "reads_members": access.reads_all(user, Member),
            "applications": organisation.applications.select_related("call")
            if access.reads_all(user, PublicCall)
            else [],
            "projects": organisation.projects.all(),
            "memberships": organisation.network_memberships.select_related("network")
            if access.reads_all(user, Network)
            else [],
            "can_edit": access.can_change(user, Organisation),
            "can_add_agreement": access.can_add(user, Agreement),
            "can_add_member": access.can_add(user, Member),
            "history": organisation.history.select_related("history_user")[:10]
            if access.reads_all(user, Organisation)
            else [],
            "tab": "organisations",
        },
    )


@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    access.check_can_add(request.user, Organisation)
    form = OrganisationForm(posted(request))
    return save_form_page(
        request,
        form,
        lambda saved: _("Organisation “%(name)s” added.") % {"name": saved},
        None,
        _("Add an organisation"),
        reverse("partners:organisation_list"),
        crumbs(),
    )


@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = access.get_organisation_for_user(request.user, pk, write=True)
    form = OrganisationForm(posted(request), instance=organisation)
    return save_form_page(
        request,
        form,
        lambda saved: _("Changes to “%(name)s” saved.") % {"name": organisation},
        organisation,
        _("Edit organisation"),
        organisation.get_absolute_url(),
        crumbs((organisation.name, organisation.get_absolute_url())),
    )
