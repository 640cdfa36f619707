"""A small world for the resource tests: a visit with the partner member on its team, a visit
elsewhere, an issued report with dispatched recommendations, and one read-token client per role
(`clients["head"]`, ...; `clients["anonymous"]` has no token)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from tests.factories import AuthorityFactory, PlaceFactory
from tests.factories.visits import MemberFactory, TeamMemberFactory
from tests.recommendations.compliance_helpers import dispatch, issued_case, visit_at

ROLES = ["anonymous", "head", "staff", "compliance", "partner_on", "partner_off"]


@dataclass
class Case:
    visit: object  # the partner's visit, with the issued report
    institution: object
    ministry: object
    recommendations: list
    elsewhere: object  # a visit the partner is not on


@pytest.fixture
def members(db, partner_member, other_partner_member):
    """Both partner logins linked to a member (a login without one cannot use the API)."""
    return MemberFactory(user=partner_member), MemberFactory(user=other_partner_member)


@pytest.fixture
def case(db, members, staff):
    ministry = AuthorityFactory(name="Ministry of Justice")
    directorate = AuthorityFactory(name="Administration for Enforcement", parent=ministry)
    institution = AuthorityFactory(name="District Prison", kind="institution", parent=directorate)
    place = PlaceFactory(name="District Prison Niš", authority=institution, district="Nišava")
    visit, institution, ministry, recs = issued_case(place=place, count=2)
    # issued_case makes its own ministry: the addressees are the institution and that ministry.
    TeamMemberFactory(visit=visit, member=members[0], role="member")
    TeamMemberFactory(visit=visit, user=staff, role="head")
    dispatch(visit, institution, dt.date(2025, 10, 3))
    elsewhere = visit_at(PlaceFactory(name="Police Station Vranje", district="Pčinja"))
    return Case(visit, institution, ministry, recs, elsewhere)


@pytest.fixture
def clients(
    token_for, api_client, members, head, staff, compliance, partner_member, other_partner_member
):
    users = {
        "head": head,
        "staff": staff,
        "compliance": compliance,
        "partner_on": partner_member,
        "partner_off": other_partner_member,
    }
    made: dict[str, APIClient] = {"anonymous": api_client(None)}
    for role, user in users.items():
        made[role] = api_client(token_for(user))
    return made


@pytest.fixture
def writers(
    token_for, api_client, members, head, staff, compliance, partner_member, other_partner_member
):
    """Read+write token clients per role."""
    users = {
        "head": head,
        "staff": staff,
        "compliance": compliance,
        "partner_on": partner_member,
        "partner_off": other_partner_member,
    }
    made: dict[str, APIClient] = {"anonymous": api_client(None)}
    for role, user in users.items():
        made[role] = api_client(token_for(user, scopes=("read", "write")))
    return made


def codes(clients, path: str) -> str:
    return " ".join(str(clients[role].get(path).status_code) for role in ROLES)


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def ids(response) -> set[int]:
    return {row["id"] for row in results(response)}
