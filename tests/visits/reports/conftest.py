"""Fixtures of the report tests: a conducted visit with a partner on the team, its report with
one section written by the partner and one by staff, and the same report issued (its PDFs
rendered); `render_now`, a render job requested and run as the commit runs it."""

import datetime as dt

import pytest

from tests.factories import AuthorityFactory, PlaceFactory
from tests.factories.visits import TeamMemberFactory, VisitFactory, local
from tests.visits.reports.sections import PARTNER_TEXT, STAFF_TEXT
from visits import services as rs
from visits.models import VisitStatus
from visits.pdf.tasks import request_render


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
def render_now(django_capture_on_commit_callbacks):
    """`request_render` and then the commit: the test settings' "inline" runner runs the job
    there. Returns the job as it is afterwards."""

    def render(*, report, kind: str, by):
        with django_capture_on_commit_callbacks(execute=True):
            job = request_render(report=report, kind=kind, by=by)
        job.refresh_from_db()
        return job

    return render


@pytest.fixture
def issued(report, staff, head, django_capture_on_commit_callbacks):
    for section in report.sections.all():
        section.refresh_from_db()
        if not section.body:
            section = rs.section_save(section=section, body="Text.", base_version=1, by=staff)
        rs.section_submit(section=section, by=staff)
        rs.section_accept(section=section, by=staff)
    rs.report_submit_for_review(report=report, by=staff)
    rs.report_approve(report=report, by=head)
    with django_capture_on_commit_callbacks(execute=True):  # the frozen PDFs' render job
        rs.report_issue(report=report, by=head)
    report.refresh_from_db()
    return report
