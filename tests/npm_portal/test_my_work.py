"""The home page's "My work" per role: each item links to where the work is done, the queue
queries stay few however much there is, and the navigation shows the figure."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from partners.models import Member
from tests.factories import UserFactory
from tests.factories.partners import AgreementFactory
from tests.factories.visits import (
    MemberFactory,
    ReportFactory,
    ReportSectionFactory,
    TeamMemberFactory,
    VisitFactory,
)
from tests.recommendations.compliance_helpers import issued_case
from visits.models import FollowUp, Report, SectionStatus, Visit

pytestmark = pytest.mark.django_db

HOME = reverse("dashboard")


def _queues(response) -> dict:
    assert response.status_code == 200
    return {queue.key: queue for queue in response.context["work_queues"]}


def _past_visit(**kwargs) -> Visit:
    start = timezone.now() - dt.timedelta(days=10)
    return VisitFactory(planned_start=start, planned_end=start + dt.timedelta(hours=5), **kwargs)


def _partner_section(user, status=SectionStatus.ASSIGNED, **kwargs):
    visit = _past_visit(status=Visit.Status.REPORTING)
    member = Member.objects.filter(user=user).first() or MemberFactory(user=user)
    TeamMemberFactory(visit=visit, member=member)
    return ReportSectionFactory(
        report=ReportFactory(visit=visit), author=user, status=status, **kwargs
    )


def test_partner_sees_the_sections_waiting_for_them(partner_client, partner_member):
    assigned = _partner_section(partner_member, title="Health care")
    returned = _partner_section(partner_member, SectionStatus.RETURNED, review_comment="More.")
    _partner_section(partner_member, SectionStatus.SUBMITTED)  # with staff now
    ReportSectionFactory(status=SectionStatus.ASSIGNED)  # someone else's
    response = partner_client.get(HOME)
    [queue] = response.context["work_queues"]
    urls = {item.url for item in queue.items}
    assert urls == {
        reverse("visits:section_edit", args=[s.report.visit_id, s.pk]) for s in (assigned, returned)
    }
    item = next(i for i in queue.items if i.title == assigned.title)
    assert assigned.report.reference in item.detail
    assert assigned.report.visit.reference in item.detail
    assert item.date == timezone.localdate(assigned.report.visit.planned_start)
    page = response.content.decode()
    assert 'data-queue="sections-mine"' in page
    assert "data-work-count" in page  # the navigation's figure


def test_a_partner_never_sees_a_section_of_a_visit_they_left(partner_client, partner_member):
    section = _partner_section(partner_member)
    section.report.visit.team.all().delete()
    [queue] = _queues(partner_client.get(HOME)).values()
    assert queue.items == []


def test_staff_queue(staff_client):
    submitted = ReportSectionFactory(status=SectionStatus.SUBMITTED)
    ReportSectionFactory(
        status=SectionStatus.SUBMITTED,
        report=ReportFactory(status=Report.Status.ISSUED, issued_at=timezone.now()),
    )
    drafting = ReportFactory()
    overdue_plan = _past_visit()
    unreported = _past_visit(status=Visit.Status.CONDUCTED)
    VisitFactory()  # planned ahead: nothing to do yet
    follow_up = FollowUp.objects.create(
        place=unreported.place, visit=unreported, description="Check on K."
    )
    today = timezone.localdate()
    agreement = AgreementFactory(
        valid_from=today - dt.timedelta(days=300), valid_until=today + dt.timedelta(days=20)
    )
    queues = _queues(staff_client.get(HOME))
    assert [i.url for i in queues["sections-submitted"].items] == [
        reverse("visits:section_edit", args=[submitted.report.visit_id, submitted.pk])
    ]
    assert reverse("visits:report_detail", args=[drafting.visit_id]) in {
        i.url for i in queues["reports-drafting"].items
    }
    assert {i.url for i in queues["visits-to-do"].items} == {
        reverse("visits:visit_detail", args=[overdue_plan.pk]),
        reverse("visits:report_create", args=[unreported.pk]),
    }
    assert [i.url for i in queues["follow-ups"].items] == [
        reverse("visits:follow_up_check", args=[unreported.pk, follow_up.pk])
    ]
    assert [i.url for i in queues["agreements-expiring"].items] == [
        reverse("partners:agreement_detail", args=[agreement.pk])
    ]
    assert "reports-review" not in queues  # the head's


def test_head_queue_has_reports_to_approve_and_issue(head_client):
    in_review = ReportFactory(status=Report.Status.IN_REVIEW)
    approved = ReportFactory(status=Report.Status.APPROVED)
    response = head_client.get(HOME)
    queues = _queues(response)
    assert [i.title for i in queues["reports-review"].items] == [in_review.reference]
    assert [i.title for i in queues["reports-approved"].items] == [approved.reference]
    assert "sections-submitted" in queues  # and the staff's queue
    assert '<span class="badge rounded-pill text-bg-warning" data-work-count>2' in (
        response.content.decode()
    )


def test_compliance_queue(compliance_client):
    _visit, _institution, ministry, recs = issued_case(count=2)
    today = timezone.localdate()
    type(recs[0]).objects.filter(pk=recs[0].pk).update(due_date=today + dt.timedelta(days=3))
    type(recs[1]).objects.filter(pk=recs[1].pk).update(due_date=today - dt.timedelta(days=3))
    queues = _queues(compliance_client.get(HOME))
    assert [i.url for i in queues["responses-due"].items] == [
        reverse("recommendations:detail", args=[recs[0].pk])
    ]
    overdue = {i.url: i.detail for i in queues["overdue-by-authority"].items}
    assert overdue[f"{reverse('recommendations:list')}?overdue=yes&authority={ministry.pk}"] == (
        "1 overdue"
    )
    assert "letters" in queues


def test_the_registry_figures_stay_lower_on_the_page(staff_client):
    page = staff_client.get(HOME).content.decode()
    assert page.index('id="my-work"') < page.index('data-stat="active-places"')


def test_queue_lists_are_bounded(staff_client):
    for _ in range(12):
        ReportFactory()
    queue = _queues(staff_client.get(HOME))["reports-drafting"]
    assert len(queue.items) == 10
    assert queue.more


@pytest.mark.parametrize("more", [1, 8])
def test_staff_home_runs_the_same_queries_with_more_data(
    more, staff_client, django_assert_num_queries
):
    UserFactory(username="other-staff", roles=[Role.STAFF])
    for _ in range(more):
        ReportSectionFactory(status=SectionStatus.SUBMITTED)
        ReportFactory()
        _past_visit()
        _past_visit(status=Visit.Status.CONDUCTED)
    staff_client.get(HOME)  # the cached registry and visit figures
    # Session, user, groups, permissions (2), one per queue (5), the menu's escalation and
    # submission counts, the savepoint and its release (the header's unread notifications come
    # with the user).
    with django_assert_num_queries(14):
        staff_client.get(HOME)


@pytest.mark.parametrize("more", [1, 8])
def test_partner_home_runs_the_same_queries_with_more_data(
    more, partner_client, partner_member, django_assert_num_queries
):
    for _ in range(more):
        _partner_section(partner_member)
    partner_client.get(HOME)
    with django_assert_num_queries(13):
        partner_client.get(HOME)
