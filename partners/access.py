"""Who may see and change what in `partners`.

NPM roles carry model permissions (staff and head change, compliance officers view). Partner
members carry none: they see, row by row, their own organisation and their own member profile,
nothing else (the models' `visible_to(user)`). 404 when a user may not see a row, 403 when they
may see it but not change it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import (
    Agreement,
    Event,
    Member,
    Network,
    Organisation,
    Project,
    ProjectResult,
    PublicCall,
    linked_member,
)


def require_perm(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def own_member(user) -> Member | None:
    """The member profile linked to this login, if any."""
    return linked_member(user)


def reads_all(user, model: type[Model]) -> bool:
    return user.has_perm(f"partners.view_{model._meta.model_name}")


def can_add(user, model: type[Model]) -> bool:
    return user.has_perm(f"partners.add_{model._meta.model_name}")


def can_change(user, model: type[Model]) -> bool:
    return user.has_perm(f"partners.change_{model._meta.model_name}")


def check_can_add(user, model: type[Model]) -> None:
    if not can_add(user, model):
        raise PermissionDenied


def _check_can_change(user, obj: Model) -> None:
    if not can_change(user, type(obj)):
        raise PermissionDenied


# --- Organisations, agreements, members: partner members see their own rows --------------------


def get_organisations_for_user(user) -> QuerySet[Organisation]:
    """The organisation list: every row for NPM roles, their own for a partner member, and a 403
    for anyone else."""
    if not reads_all(user, Organisation) and own_member(user) is None:
        raise PermissionDenied
    return Organisation.objects.visible_to(user)


def get_organisation_for_user(user, pk: int, *, write: bool = False) -> Organisation:
    if not reads_all(user, Organisation) and own_member(user) is None:
        raise Http404
    organisation = get_object_or_404(Organisation.objects.visible_to(user), pk=pk)
    if write:
        _check_can_change(user, organisation)
    return organisation


def get_agreement_for_user(user, pk: int, *, write: bool = False) -> Agreement:
    agreement = get_object_or_404(
        Agreement.objects.visible_to(user).select_related("organisation", "call"), pk=pk
    )
    if write:
        _check_can_change(user, agreement)
    return agreement


def get_member_for_user(user, pk: int, *, write: bool = False) -> Member:
    member = get_object_or_404(
        Member.objects.visible_to(user).select_related("organisation", "user"), pk=pk
    )
    if write:
        _check_can_change(user, member)
    return member


def member_participation_shown(user, member: Member) -> bool:
    """Whose visit teams a user sees on an organisation's page: everyone's for NPM roles, a
    partner member only their own (a colleague's visits are not theirs)."""
    if reads_all(user, Member):
        return True
    own = own_member(user)
    return own is not None and own.pk == member.pk


# --- The rest: NPM roles only; partner members get a 404 as for anything not theirs -------------


def require_list_access(user, model: type[Model]) -> None:
    """List pages that partner members have no part in: they do not exist for them."""
    if not reads_all(user, model):
        raise Http404


def _get_for_npm(user, queryset: QuerySet, pk: int, *, write: bool) -> Model:
    require_list_access(user, queryset.model)
    obj = get_object_or_404(queryset, pk=pk)
    if write:
        _check_can_change(user, obj)
    return obj


def get_call_for_user(user, pk: int, *, write: bool = False) -> PublicCall:
    return _get_for_npm(user, PublicCall.objects.all(), pk, write=write)


def check_can_decide(user) -> None:
    """Recording a call's selection decision changes the call and its applications."""
    require_perm(user, "partners.change_publiccall")
    require_perm(user, "partners.change_application")


def get_network_for_user(user, pk: int, *, write: bool = False) -> Network:
    return _get_for_npm(user, Network.objects.all(), pk, write=write)


def get_event_for_user(user, pk: int, *, write: bool = False) -> Event:
    return _get_for_npm(user, Event.objects.all(), pk, write=write)


def get_project_for_user(user, pk: int, *, write: bool = False) -> Project:
    return _get_for_npm(user, Project.objects.select_related("organisation"), pk, write=write)


def get_result_for_user(user, project: Project, pk: int) -> ProjectResult:
    """An expected result of a project the user may see, for editing."""
    require_perm(user, "partners.change_projectresult")
    return get_object_or_404(project.results.all(), pk=pk)
