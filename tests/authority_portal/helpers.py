"""Authority users and an issued, dispatched report for the authority portal's tests."""

from __future__ import annotations

import datetime as dt

from core.roles import Role
from npm_portal.authority_portal.models import AuthorityAccount
from tests.factories import UserFactory
from tests.recommendations.compliance_helpers import dispatch, issued_case


def authority_user(authority, function=AuthorityAccount.Function.FOCAL_POINT, **kwargs):
    """An active authority account of `authority` (returns the account; `.user` logs in)."""
    user = UserFactory(roles=[Role.AUTHORITY], email=kwargs.pop("email", None) or "", **kwargs)
    return AuthorityAccount.objects.create(user=user, authority=authority, function=function)


def dispatched_case(*, count: int = 2, sent_on: dt.date = dt.date(2025, 10, 2), **kwargs):
    """`issued_case`, dispatched to the institution and the ministry on `sent_on`. Returns
    (visit, institution, ministry, recommendations)."""
    visit, institution, ministry, recommendations = issued_case(count=count, **kwargs)
    dispatch(visit, institution, sent_on)
    dispatch(visit, ministry, sent_on)
    for recommendation in recommendations:
        recommendation.refresh_from_db()
    return visit, institution, ministry, recommendations
