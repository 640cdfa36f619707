"""Who may do what in `recommendations`: every permission predicate of the app.

The recommendations area does not exist for partner-only users: they get 404 on every page of
it. The NPM roles see everything, and change what their permissions allow (403 otherwise).
Role-wide abilities are Django permissions on the role groups (`core.roles.ROLE_PERMISSIONS`).
Services that change state check `by` with the `can_*` predicates here (`by=None` is the system
itself: signals, the demo loader)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.roles import is_partner_only
from visits import access as visits_access
from visits.models import Visit

from .models import AuthorityResponse, FollowUpCheck, Recommendation

VIEW_RECOMMENDATION = "recommendations.view_recommendation"
ADD_RECOMMENDATION = "recommendations.add_recommendation"
CHANGE_RECOMMENDATION = "recommendations.change_recommendation"
VIEW_RESPONSE = "recommendations.view_authorityresponse"
ADD_RESPONSE = "recommendations.add_authorityresponse"
CHANGE_RESPONSE = "recommendations.change_authorityresponse"
ADD_ASSESSMENT = "recommendations.add_assessment"
VIEW_CHECK = "recommendations.view_followupcheck"
CHANGE_CHECK = "recommendations.change_followupcheck"


def _may(user, perm: str) -> bool:
    return not is_partner_only(user) and user.has_perm(perm)


# --- Abilities (template flags and service checks) ---------------------------------------------


def can_view(user) -> bool:
    return _may(user, VIEW_RECOMMENDATION)


def can_add_recommendation(user) -> bool:
    return _may(user, ADD_RECOMMENDATION)


def can_change_recommendation(user) -> bool:
    """Edit, link repeats, bulk theme and public flag."""
    return _may(user, CHANGE_RECOMMENDATION)


def can_record_response(user) -> bool:
    return _may(user, ADD_RESPONSE)


def can_correct_response(user) -> bool:
    return _may(user, CHANGE_RESPONSE)


def can_assess(user) -> bool:
    return _may(user, ADD_ASSESSMENT)


def can_record_checks(user) -> bool:
    """Record what a follow-up visit saw, refresh its checklist."""
    return _may(user, CHANGE_CHECK)


def require(user, perm: str) -> None:
    """404 for partner-only users (the recommendations area does not exist for them), 403 for
    anyone else without `perm`."""
    if is_partner_only(user):
        raise Http404
    if not user.has_perm(perm):
        raise PermissionDenied


def require_that(allowed: bool) -> None:
    """403 unless `allowed` (for services checking `by`)."""
    if not allowed:
        raise PermissionDenied


# --- Rows for a user ----------------------------------------------------------------------------


def get_recommendation_for_user(user, pk: int, *, queryset=None) -> Recommendation:
    """404 for partner-only users and unknown rows, 403 without the view permission."""
    require(user, VIEW_RECOMMENDATION)
    queryset = queryset if queryset is not None else Recommendation.objects.all()
    return get_object_or_404(queryset.visible_to(user), pk=pk)


def get_response_for_user(user, pk: int, *, write: bool = False) -> AuthorityResponse:
    """An authority's letter; with `write`, 403 unless the user may correct letters."""
    require(user, VIEW_RESPONSE)
    response = get_object_or_404(
        # "submission": the authority portal's submission that formed the letter, if any.
        AuthorityResponse.objects.select_related(
            "authority", "visit__place", "visit__report", "recorded_by", "submission"
        ),
        pk=pk,
    )
    if write and (not user.has_perm(CHANGE_RESPONSE) or response.came_through_portal):
        # A letter signed off by the authority in its portal is corrected by the authority only.
        raise PermissionDenied
    return response


def get_visit_for_user(user, pk: int, perm: str = VIEW_RECOMMENDATION) -> Visit:
    """A visit's recommendations or checklist: `perm` here, then the visit's own visibility."""
    require(user, perm)
    return visits_access.get_visit_for_user(user, pk)


def get_check_for_user(user, pk: int) -> tuple[FollowUpCheck, Visit]:
    """A checklist line to record (the caller has passed `require(user, VIEW_CHECK)`): 404
    unless the user may see its visit, 403 unless they may record checks."""
    check = get_object_or_404(FollowUpCheck.objects.select_related("visit"), pk=pk)
    visit = visits_access.get_visit_for_user(user, check.visit_id)
    if not user.has_perm(CHANGE_CHECK):
        raise PermissionDenied
    return check, visit
