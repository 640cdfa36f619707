"""Fixtures of the report tests: a conducted visit with a partner on the team, its report with
one section written by the partner and one by staff, and the same report issued."""

import datetime as dt

import pytest

from tests.factories import AuthorityFactory, PlaceFactory
from tests.factories.visits import TeamMemberFactory, VisitFactory, local
from tests.visits.reports.sections import PARTNER_TEXT, STAFF_TEXT
from visits import services as rs
from visits.models import VisitStatus


@pytest.fixture
def visit(db, staff, partner_as_member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ministry = AuthorityFactory(name="Ministry of Justice")
    prison = AuthorityFactory(name="District Prison Niš", kind="institution", parent=ministry)
    start = local(2026, 3, 10, 9, 0)
    visit = VisitFactory(
        place=PlaceFactory(name="District Prison Niš", authority=prison),
        status=VisitStatus.CONDUCTED,
        planned_start=start,
        actual_start=start,
        actual_end=start + dt.timedelta(hours=5),
    )
    TeamMemberFactory(visit=visit, user=staff, role="head")
    TeamMemberFactory(visit=visit, member=partner_as_member)
    return visit


@pytest.fixture
def report(visit, staff, partner_member):
    report = rs.report_create(visit=visit, by=staff)
    mine, other = list(report.sections.all())[:2]
    rs.section_update_settings(
        section=mine, by=staff, title=mine.title, kind=mine.kind, order=1, author=partner_member
    )
    rs.section_save(section=mine, body=PARTNER_TEXT, base_version=1, by=partner_member)
    rs.section_update_settings(
        section=other, by=staff, title=other.title, kind=other.kind, order=2, author=staff
    )
    rs.section_save(section=other, body=STAFF_TEXT, base_version=1, by=staff)
    return report


@pytest.fixture
def issued(report, staff, head):
    for section in report.sections.all():
        section.refresh_from_db()
        if not section.body:
            section = rs.section_save(section=section, body="Text.", base_version=1, by=staff)
        rs.section_submit(section=section, by=staff)
        rs.section_accept(section=section, by=staff)
    rs.report_submit_for_review(report=report, by=staff)
    rs.report_approve(report=report, by=head)
    rs.report_issue(report=report, by=head)
    report.refresh_from_db()
    return report
