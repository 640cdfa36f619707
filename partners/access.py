"""Who may see and change what in `partners`.

NPM roles carry model permissions (staff and head change, compliance officers view). Partner
members carry none: they see, row by row, their own organisation and their own member profile,
nothing else. 404 when a user may not see a row, 403 when they may see it but not change it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Agreement, Event, Member, Network, Organisation, Project, PublicCall


def require_perm(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def own_member(user) -> Member | None:
    """The member profile linked to this login, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.partner_member
    except Member.DoesNotExist:
        return None


def reads_all(user, model: type[Model]) -> bool:
    return user.has_perm(f"partners.view_{model._meta.model_name}")


def check_can_add(user, model: type[Model]) -> None:
    require_perm(user, f"partners.add_{model._meta.model_name}")


def _check_can_change(user, obj: Model) -> None:
    require_perm(user, f"partners.change_{obj._meta.model_name}")


# --- Organisations, agreements, members: partner members see their own rows --------------------


def organisations_visible_to(user) -> QuerySet[Organisation]:
    if reads_all(user, Organisation):
        return Organisation.objects.all()
    member = own_member(user)
    if member is not None:
        return Organisation.objects.filter(pk=member.organisation_id)
    raise PermissionDenied


def agreements_visible_to(user) -> QuerySet[Agreement]:
    if reads_all(user, Agreement):
        return Agreement.objects.all()
    member = own_member(user)
    if member is not None:
        return Agreement.objects.filter(organisation_id=member.organisation_id)
    return Agreement.objects.none()


def members_visible_to(user) -> QuerySet[Member]:
    if reads_all(user, Member):
        return Member.objects.all()
    member = own_member(user)
    if member is not None:
        return Member.objects.filter(pk=member.pk)
    return Member.objects.none()


def get_organisation_for_user(user, pk: int, *, write: bool = False) -> Organisation:
    if not reads_all(user, Organisation) and own_member(user) is None:
        raise Http404
    organisation = get_object_or_404(organisations_visible_to(user), pk=pk)
    if write:
        _check_can_change(user, organisation)
    return organisation


def get_agreement_for_user(user, pk: int, *, write: bool = False) -> Agreement:
    agreement = get_object_or_404(
        agreements_visible_to(user).select_related("organisation", "call"), pk=pk
    )
    if write:
        _check_can_change(user, agreement)
    return agreement


def get_member_for_user(user, pk: int, *, write: bool = False) -> Member:
    member = get_object_or_404(
        members_visible_to(user).select_related("organisation", "user"), pk=pk
    )
    if write:
        _check_can_change(user, member)
    return member


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


def get_network_for_user(user, pk: int, *, write: bool = False) -> Network:
    return _get_for_npm(user, Network.objects.all(), pk, write=write)


def get_event_for_user(user, pk: int, *, write: bool = False) -> Event:
    return _get_for_npm(user, Event.objects.all(), pk, write=write)


def get_project_for_user(user, pk: int, *, write: bool = False) -> Project:
    return _get_for_npm(user, Project.objects.select_related("organisation"), pk, write=write)
