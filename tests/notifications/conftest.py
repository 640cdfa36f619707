"""A visit with a drafting report: a staff user heading the team, a partner member on it, and
one partner member who is not; the head of the NPM."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from core.roles import Role
from tests.factories import UserFactory
from tests.factories.visits import MemberFactory, TeamMemberFactory, VisitFactory
from visits.models import Report, Visit
from visits.services import report_create

SECRET_BODY = "The director slapped detainee K. in cell 12 (confidential text)."
SECRET_COMMENT = "Remove the name of the guard Petrović from paragraph 3."


@dataclass
class Case:
    visit: Visit
    report: Report
    staff: object
    head: object
    partner: object
    outsider: object


@pytest.fixture
def case(db) -> Case:
    staff = UserFactory(username="n-staff", roles=[Role.STAFF])
    head = UserFactory(username="n-head", roles=[Role.HEAD])
    partner = UserFactory(username="n-partner", roles=[Role.PARTNER])
    outsider = UserFactory(username="n-outsider", roles=[Role.PARTNER])
    start = timezone.now() - dt.timedelta(days=5)
    visit = VisitFactory(
        status=Visit.Status.CONDUCTED,
        planned_start=start,
        planned_end=start + dt.timedelta(hours=6),
        actual_start=start,
        actual_end=start + dt.timedelta(hours=6),
    )
    TeamMemberFactory(visit=visit, user=staff, role="head")
    TeamMemberFactory(visit=visit, member=MemberFactory(user=partner), role="member")
    MemberFactory(user=outsider)
    report = report_create(visit=visit, by=staff)
    report.sections.all().delete()
    return Case(visit, report, staff, head, partner, outsider)
