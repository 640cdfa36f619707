"""Report and section services: every transition, who may do it, the optimistic lock,
autosave, history, numbering, default sections and dispatch."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from tests.factories import AuthorityFactory, PlaceFactory
from tests.factories.visits import (
    ReportFactory,
    ReportSectionFactory,
    TeamMemberFactory,
    VisitFactory,
    local,
    theme,
)
from visits import services as rs
from visits import signals
from visits.models import (
    Dispatch,
    Finding,
    Report,
    ReportSection,
    SectionAutosave,
    SectionKind,
    VisitStatus,
)

S = ReportSection.Status
R = Report.Status


def conducted_visit(**kwargs):
    start = local(2026, 3, 10, 9, 0)
    return VisitFactory(
        status=VisitStatus.CONDUCTED,
        planned_start=start,
        actual_start=start,
        actual_end=start + dt.timedelta(hours=5),
        **kwargs,
    )


@pytest.fixture
def visit(db, staff):
    visit = conducted_visit()
    TeamMemberFactory(visit=visit, user=staff, role="head")
    return visit


@pytest.fixture
def report(visit, staff):
    return rs.report_create(visit=visit, by=staff)


def accept_all(report, staff):
    for section in report.sections.all():
        if not section.body:
            section = rs.section_save(section=section, body="Text.", base_version=1, by=staff)
        rs.section_submit(section=section, by=staff)
        rs.section_accept(section=section, by=staff)


# --- Creating the report -------------------------------------------------------------------------


def test_create_numbers_by_year_and_moves_visit_to_reporting(visit, staff):
    other = conducted_visit()
    first = rs.report_create(visit=visit, by=staff)
    second = rs.report_create(visit=other, by=staff)
    assert first.reference == "NPM-2026-001"
    assert second.reference == "NPM-2026-002"
    assert first.title == f"Report on the visit to {visit.place.name}"
    visit.refresh_from_db()
    assert visit.status == VisitStatus.REPORTING


@override_settings(NPM_REPORT_REFERENCE_PATTERN="OPCAT/{year}/{number}")
def test_reference_follows_the_configured_pattern(visit, staff):
    ReportFactory(visit=conducted_visit(), reference="OPCAT/2026/1")
    report = rs.report_create(visit=visit, by=staff)
    # One report of 2026 exists: the next number is 2; a taken reference is skipped.
    assert report.reference == "OPCAT/2026/2"


def test_reference_skips_a_number_already_taken(visit, staff):
    ReportFactory(visit=VisitFactory(year=2025), reference="NPM-2026-001")
    assert rs.report_create(visit=visit, by=staff).reference == "NPM-2026-002"


def test_one_report_per_visit(report, visit, staff):
    with pytest.raises(ValidationError, match="already has a report"):
        rs.report_create(visit=visit, by=staff)


@pytest.mark.parametrize("status", [VisitStatus.PLANNED, VisitStatus.CANCELLED])
def test_no_report_for_a_visit_not_conducted(db, staff, status):
    visit = VisitFactory(status=status, cancel_reason="Lockdown" if status == "cancelled" else "")
    with pytest.raises(ValidationError, match="once the visit is conducted"):
        rs.report_create(visit=visit, by=staff)
    assert not Report.objects.exists()


def test_closed_visit_may_get_a_report_and_stays_closed(db, staff):
    visit = conducted_visit()
    visit.status = VisitStatus.CLOSED
    visit.save()
    rs.report_create(visit=visit, by=staff)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CLOSED


@pytest.mark.parametrize("who", ["compliance", "partner_member"])
def test_only_npm_staff_create_reports(visit, request, who):
    with pytest.raises(PermissionDenied):
        rs.report_create(visit=visit, by=request.getfixturevalue(who))


def test_default_sections_follow_the_findings_themes(visit, staff):
    # Created out of theme order, and a theme twice: one section per theme, in theme order.
    for code in ["health-care", "ill-treatment", "health-care", "material-conditions"]:
        Finding.objects.create(visit=visit, theme=theme(code), text="Seen.")
    report = rs.report_create(visit=visit, by=staff)
    sections = list(report.sections.order_by("order"))
    assert [s.title for s in sections] == [
        "Introduction and methodology",
        "The place and its population",
        "Findings: Treatment and ill-treatment",
        "Findings: Material conditions",
        "Findings: Health care and recording of injuries",
        "Good practices",
        "Recommendations",
    ]
    assert [s.kind for s in sections][2:5] == [SectionKind.FINDINGS] * 3
    assert sections[2].theme == theme("ill-treatment")
    assert {(s.status, s.version) for s in sections} == {(S.ASSIGNED, 1)}
    # History from the start.
    assert all(s.history.count() == 1 for s in sections)


def test_default_section_titles_in_the_report_language(visit, staff):
    report = rs.report_create(visit=visit, by=staff, language="sr-latn")
    assert report.language == "sr-latn"
    titles = list(report.sections.values_list("title", flat=True))
    assert len(titles) == 4
    assert all(title for title in titles)


# --- Report transitions ---------------------------------------------------------------------------


def test_submit_for_review_needs_every_section_submitted(report, staff):
    with pytest.raises(ValidationError, match="Every section must be submitted"):
        rs.report_submit_for_review(report=report, by=staff)
    for section in report.sections.all():
        section = rs.section_save(section=section, body="Text.", base_version=1, by=staff)
        rs.section_submit(section=section, by=staff)
    report = rs.report_submit_for_review(report=report, by=staff)
    assert report.status == R.IN_REVIEW


def test_full_report_workflow_to_issue(
    report, staff, head, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    accept_all(report, staff)
    rs.report_submit_for_review(report=report, by=staff)
    rs.report_return_to_drafting(report=report, by=staff, comment="One more look")
    report.refresh_from_db()
    assert report.status == R.DRAFTING
    assert report.history.first().history_change_reason == "One more look"
    rs.report_submit_for_review(report=report, by=staff)
    with pytest.raises(PermissionDenied):
        rs.report_approve(report=report, by=staff)
    rs.report_approve(report=report, by=head)
    report.refresh_from_db()
    assert (report.status, report.approved_by) == (R.APPROVED, head)
    rs.report_reopen(report=report, by=head)
    report.refresh_from_db()
    assert report.status == R.IN_REVIEW
    assert report.approved_by is None
    rs.report_approve(report=report, by=head)
    with pytest.raises(PermissionDenied):
        rs.report_issue(report=report, by=staff)
    report.visit.refresh_from_db()
    assert report.visit.status == "reporting"

    with (
        time_machine.travel(local(2026, 4, 2, 11, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        rs.report_issue(report=report, by=head)
        report.refresh_from_db()  # issued, its PDFs queued: not rendered in the transaction
        assert report.status == R.ISSUED
        assert not report.pdf
        assert report.renders.get(kind="issued").state == "queued"
    report.refresh_from_db()
    assert report.issued_on == dt.date(2026, 4, 2)
    assert report.issued_by == head
    assert report.issued_at is not None
    # Rendered once the issue committed: the frozen PDF and its checksum.
    assert len(report.pdf_sha256) == 64
    assert report.renders.get(kind="issued").state == "done"
    # Issuing the report ends the visit's own work: it is closed.
    report.visit.refresh_from_db()
    assert report.visit.status == "closed"


def test_approve_needs_every_section_accepted(report, staff, head):
    for section in report.sections.all():
        section = rs.section_save(section=section, body="Text.", base_version=1, by=staff)
        rs.section_submit(section=section, by=staff)
    rs.report_submit_for_review(report=report, by=staff)
    with pytest.raises(ValidationError, match="Every section must be accepted"):
        rs.report_approve(report=report, by=head)


@pytest.mark.parametrize(
    ("service", "status"),
    [
        (rs.report_approve, R.DRAFTING),
        (rs.report_issue, R.DRAFTING),
        (rs.report_issue, R.IN_REVIEW),
        (rs.report_reopen, R.DRAFTING),
        (rs.report_return_to_drafting, R.DRAFTING),
        (rs.report_submit_for_review, R.APPROVED),
    ],
)
def test_transitions_outside_the_table_are_refused(db, head, service, status):
    report = ReportFactory(visit=conducted_visit(), status=status)
    ReportSectionFactory(report=report, status=S.ACCEPTED)
    with pytest.raises(ValidationError, match="cannot become"):
        service(report=report, by=head)
    report.refresh_from_db()
    assert report.status == status


@pytest.mark.parametrize("who", ["compliance", "partner_member"])
def test_compliance_and_partners_cannot_move_a_report(report, request, who):
    user = request.getfixturevalue(who)
    for service in (rs.report_submit_for_review, rs.report_approve, rs.report_issue):
        with pytest.raises(PermissionDenied):
            service(report=report, by=user)


# --- Sections -----------------------------------------------------------------------------------


@pytest.fixture
def partner_on_visit(visit, partner_as_member):
    TeamMemberFactory(visit=visit, member=partner_as_member)
    return partner_as_member.user


def test_author_must_be_npm_staff_or_a_partner_on_the_team(
    report, staff, head, partner_member, partner_as_member, other_partner_member, compliance
):
    section = report.sections.first()
    kwargs = {"title": "Intro", "kind": SectionKind.INTRODUCTION, "order": 10}
    for outsider in (partner_member, other_partner_member, compliance):
        with pytest.raises(ValidationError) as error:
            rs.section_update_settings(section=section, by=staff, author=outsider, **kwargs)
        assert "author" in error.value.error_dict
    TeamMemberFactory(visit=report.visit, member=partner_as_member)
    for author in (partner_member, head, staff):
        section = rs.section_update_settings(section=section, by=staff, author=author, **kwargs)
        assert section.author == author


def test_section_settings_and_create_are_for_staff_only(report, staff, partner_on_visit):
    section = report.sections.first()
    with pytest.raises(PermissionDenied):
        rs.section_update_settings(
            section=section, by=partner_on_visit, title="X", kind="other", order=1
        )
    with pytest.raises(PermissionDenied):
        rs.section_create(report=report, by=partner_on_visit, title="Mine")
    created = rs.section_create(report=report, by=staff, title="Annex", author=partner_on_visit)
    assert created.order == 50
    assert created.status == S.ASSIGNED


def test_save_bumps_version_writes_history_and_drops_autosave(report, staff):
    section = report.sections.first()
    rs.section_autosave(section=section, user=staff, body="typing", base_version=1)
    section = rs.section_save(section=section, body="First text", base_version=1, by=staff)
    assert (section.version, section.status, section.updated_by) == (2, S.DRAFT, staff)
    assert not SectionAutosave.objects.exists()
    latest = section.history.first()
    assert (latest.body, latest.version, latest.history_user) == ("First text", 2, staff)
    assert section.history.count() == 2


def test_stale_version_raises_conflict_and_keeps_the_first_save(report, staff, head):
    section = report.sections.first()
    rs.section_save(section=section, body="Staff text", base_version=1, by=staff)
    with pytest.raises(rs.SectionConflict) as conflict:
        rs.section_save(section=section, body="Head text", base_version=1, by=head)
    assert conflict.value.section.body == "Staff text"
    assert conflict.value.section.version == 2
    section.refresh_from_db()
    assert (section.body, section.version) == ("Staff text", 2)
    # On top of the latest version, the second text saves.
    section = rs.section_save(section=section, body="Head text", base_version=2, by=head)
    assert section.version == 3


def test_autosave_upserts_without_version_or_history(report, staff):
    section = report.sections.first()
    rs.section_autosave(section=section, user=staff, body="a", base_version=1)
    rs.section_autosave(section=section, user=staff, body="ab", base_version=1)
    autosave = SectionAutosave.objects.get()
    assert autosave.body == "ab"
    section.refresh_from_db()
    assert section.version == 1
    assert section.history.count() == 1


def test_partner_edits_only_own_section_in_partner_states(report, staff, partner_on_visit):
    mine, other = list(report.sections.all())[:2]
    rs.section_update_settings(
        section=mine, by=staff, title=mine.title, kind=mine.kind, order=1, author=partner_on_visit
    )
    with pytest.raises(PermissionDenied):
        rs.section_save(section=other, body="x", base_version=1, by=partner_on_visit)
    with pytest.raises(PermissionDenied):
        rs.section_autosave(section=other, user=partner_on_visit, body="x", base_version=1)
    mine = rs.section_save(section=mine, body="Draft", base_version=1, by=partner_on_visit)
    mine = rs.section_submit(section=mine, by=partner_on_visit)
    assert mine.status == S.SUBMITTED
    with pytest.raises(ValidationError, match="returned to you"):
        rs.section_save(section=mine, body="More", base_version=2, by=partner_on_visit)
    with pytest.raises(PermissionDenied):
        rs.section_accept(section=mine, by=partner_on_visit)
    with pytest.raises(PermissionDenied):
        rs.section_submit(section=other, by=partner_on_visit)
    mine = rs.section_return(section=mine, comment="Add dates", by=staff)
    assert (mine.status, mine.review_comment) == (S.RETURNED, "Add dates")
    mine = rs.section_save(
        section=mine, body="Draft with dates", base_version=2, by=partner_on_visit
    )
    assert mine.status == S.DRAFT
    rs.section_submit(section=mine, by=partner_on_visit)
    mine = rs.section_accept(section=mine, by=staff)
    assert mine.status == S.ACCEPTED


def test_return_needs_a_comment(report, staff):
    section = rs.section_save(
        section=report.sections.first(), body="Text", base_version=1, by=staff
    )
    rs.section_submit(section=section, by=staff)
    with pytest.raises(ValidationError) as error:
        rs.section_return(section=section, comment="  ", by=staff)
    assert "comment" in error.value.error_dict


def test_section_transitions_outside_the_table(report, staff):
    section = report.sections.first()
    with pytest.raises(ValidationError, match="cannot become"):
        rs.section_accept(section=section, by=staff)
    with pytest.raises(ValidationError, match="cannot become"):
        rs.section_return(section=section, comment="x", by=staff)
    with pytest.raises(ValidationError, match="Write the section"):
        rs.section_submit(section=section, by=staff)


def test_compliance_cannot_touch_sections(report, staff, compliance):
    section = report.sections.first()
    with pytest.raises(PermissionDenied):
        rs.section_save(section=section, body="x", base_version=1, by=compliance)
    with pytest.raises(PermissionDenied):
        rs.section_submit(section=section, by=compliance)


def test_approved_report_must_be_reopened_first(report, staff, head):
    accept_all(report, staff)
    rs.report_submit_for_review(report=report, by=staff)
    rs.report_approve(report=report, by=head)
    section = report.sections.first()
    with pytest.raises(ValidationError, match="reopen it"):
        rs.section_save(section=section, body="Late", base_version=section.version, by=head)
    with pytest.raises(ValidationError, match="reopen it"):
        rs.report_update(report=report, by=head, title="New", language="en")


def test_issued_report_refuses_every_edit(report, staff, head, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    accept_all(report, staff)
    rs.report_submit_for_review(report=report, by=staff)
    rs.report_approve(report=report, by=head)
    rs.report_issue(report=report, by=head)
    section = report.sections.first()
    attempts = [
        lambda: rs.section_save(section=section, body="x", base_version=section.version, by=head),
        lambda: rs.section_autosave(section=section, user=head, body="x", base_version=1),
        lambda: rs.section_return(section=section, comment="x", by=head),
        lambda: rs.section_update_settings(
            section=section, by=head, title="x", kind="other", order=1
        ),
        lambda: rs.section_create(report=report, by=head, title="x"),
        lambda: rs.report_update(report=report, by=head, title="x", language="en"),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="Issued reports are immutable"):
            attempt()
    with pytest.raises(ValidationError, match="cannot become"):
        rs.report_reopen(report=report, by=head)
    section.refresh_from_db()
    assert section.body == "Text."
    assert section.status == S.ACCEPTED


# --- Dispatch -----------------------------------------------------------------------------------


@pytest.fixture
def issued(db, head, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ministry = AuthorityFactory(name="Ministry of Justice")
    administration = AuthorityFactory(name="Administration for Enforcement", parent=ministry)
    prison = AuthorityFactory(name="District Prison", kind="institution", parent=administration)
    visit = conducted_visit(place=PlaceFactory(authority=prison))
    return ReportFactory(
        visit=visit,
        status=R.ISSUED,
        issued_on=dt.date(2026, 4, 2),
        issued_at=local(2026, 4, 2, 11, 0),
    )


def test_suggested_addressees_are_the_authority_chain(issued):
    names = [a.name for a in rs.suggested_addressees(issued)]
    assert names == ["District Prison", "Administration for Enforcement", "Ministry of Justice"]


@time_machine.travel(local(2026, 4, 10, 12, 0), tick=False)
def test_dispatch_rules_and_signal(issued, staff):
    prison, _admin, ministry = rs.suggested_addressees(issued)
    received = []

    def listener(sender, dispatch, **kwargs):
        received.append(dispatch)

    signals.report_dispatched.connect(listener)
    try:
        dispatch = rs.dispatch_record(
            report=issued,
            authority=prison,
            sent_on=dt.date(2026, 4, 3),
            reference="71-123/26",
            channel="post",
            by=staff,
        )
    finally:
        signals.report_dispatched.disconnect(listener)
    assert received == [dispatch]
    assert dispatch.recorded_by == staff
    base = {"report": issued, "reference": "", "channel": "email", "by": staff}
    cases = [
        ({"authority": prison, "sent_on": dt.date(2026, 4, 4)}, "authority"),
        ({"authority": ministry, "sent_on": dt.date(2026, 4, 1)}, "sent_on"),
        ({"authority": ministry, "sent_on": dt.date(2026, 4, 11)}, "sent_on"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as error:
            rs.dispatch_record(**base, **kwargs)
        assert field in error.value.error_dict
    # Any authority may be an addressee, not only the suggested ones.
    rs.dispatch_record(**base, authority=AuthorityFactory(), sent_on=dt.date(2026, 4, 10))
    assert Dispatch.objects.count() == 2


def test_only_issued_reports_are_dispatched(report, staff):
    with pytest.raises(ValidationError, match="Only an issued report"):
        rs.dispatch_record(
            report=report,
            authority=AuthorityFactory(),
            sent_on=timezone.localdate(),
            reference="",
            channel="post",
            by=staff,
        )


def test_partner_and_compliance_cannot_record_dispatches(issued, compliance, partner_member):
    for user in (compliance, partner_member):
        with pytest.raises(PermissionDenied):
            rs.dispatch_record(
                report=issued,
                authority=AuthorityFactory(),
                sent_on=dt.date(2026, 4, 3),
                reference="",
                channel="post",
                by=user,
            )
