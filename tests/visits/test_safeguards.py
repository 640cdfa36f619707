"""Safeguards on irreversible steps: a confirmation page before issuing a report, closing,
cancelling a visit and removing a team member (the action refuses a POST without it); closing
refused until the report is issued; the NPM head reopening a closed visit with a reason."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories.visits import ReportFactory, TeamMemberFactory, VisitFactory, local
from visits import services
from visits.models import Report, TeamMember, VisitStatus

YES = {"confirm": "yes"}


@pytest.fixture
def reporting_visit(db, staff):
    start = local(2026, 3, 10, 9, 0)
    visit = VisitFactory(
        status=VisitStatus.REPORTING,
        planned_start=start,
        actual_start=start,
        actual_end=start + dt.timedelta(hours=5),
    )
    TeamMemberFactory(visit=visit, user=staff, role="head")
    return visit


def issued_report(visit) -> Report:
    return ReportFactory(visit=visit, status="issued", issued_at=timezone.now())


def page(response) -> str:
    return response.content.decode()


# --- Issuing a report ---------------------------------------------------------------------------


@pytest.fixture
def approved(reporting_visit):
    return ReportFactory(visit=reporting_visit, status="approved")


def test_issue_confirmation_page_says_what_happens_and_posts_to_the_action(head_client, approved):
    visit = approved.visit
    response = head_client.get(reverse("visits:report_issue_confirm", args=[visit.pk]))
    assert response.status_code == 200
    text = page(response)
    assert "cannot be undone" in text
    assert "frozen" in text
    assert "Yes, issue the report" in text
    assert "No, go back" in text
    assert reverse("visits:report_transition", args=[visit.pk, "issue"]) in text
    approved.refresh_from_db()
    assert approved.status == "approved"  # the page itself changes nothing


def test_issue_without_confirmation_is_refused_and_sends_to_the_confirmation(head_client, approved):
    visit = approved.visit
    response = head_client.post(reverse("visits:report_transition", args=[visit.pk, "issue"]))
    assert response.url == reverse("visits:report_issue_confirm", args=[visit.pk])
    approved.refresh_from_db()
    assert approved.status == "approved"
    assert approved.issued_at is None


def test_issue_with_confirmation_issues_and_closes_the_visit(head_client, approved):
    visit = approved.visit
    head_client.post(reverse("visits:report_transition", args=[visit.pk, "issue"]), YES)
    approved.refresh_from_db()
    visit.refresh_from_db()
    assert approved.status == "issued"
    assert visit.status == VisitStatus.CLOSED


def test_report_page_links_to_the_confirmation_not_a_one_click_issue(head_client, approved):
    text = page(head_client.get(reverse("visits:report_detail", args=[approved.visit.pk])))
    assert reverse("visits:report_issue_confirm", args=[approved.visit.pk]) in text
    assert reverse("visits:report_transition", args=[approved.visit.pk, "issue"]) not in text


def test_only_the_issuer_sees_the_issue_confirmation(staff_client, approved):
    url = reverse("visits:report_issue_confirm", args=[approved.visit.pk])
    assert staff_client.get(url).status_code == 403


def test_issue_confirmation_of_a_report_not_approved_goes_back(head_client, reporting_visit):
    ReportFactory(visit=reporting_visit)
    response = head_client.get(reverse("visits:report_issue_confirm", args=[reporting_visit.pk]))
    assert response.url == reverse("visits:report_detail", args=[reporting_visit.pk])


# --- Closing ------------------------------------------------------------------------------------


def test_close_is_refused_while_the_report_is_drafting(reporting_visit):
    ReportFactory(visit=reporting_visit)
    with pytest.raises(ValidationError, match="Issue the visit's report"):
        services.visit_close(visit=reporting_visit)
    reporting_visit.refresh_from_db()
    assert reporting_visit.status == VisitStatus.REPORTING


def test_close_is_refused_without_a_report(reporting_visit):
    with pytest.raises(ValidationError, match="Issue the visit's report"):
        services.visit_close(visit=reporting_visit)


def test_close_is_allowed_once_the_report_is_issued(reporting_visit):
    issued_report(reporting_visit)
    services.visit_close(visit=reporting_visit)
    reporting_visit.refresh_from_db()
    assert reporting_visit.status == VisitStatus.CLOSED


def test_close_button_is_disabled_with_the_reason_while_drafting(staff_client, reporting_visit):
    ReportFactory(visit=reporting_visit)
    text = page(staff_client.get(reverse("visits:visit_detail", args=[reporting_visit.pk])))
    assert 'id="close-visit-blocked"' in text
    assert "Issue the report first" in text
    assert reverse("visits:visit_close_confirm", args=[reporting_visit.pk]) not in text


def test_close_confirmation_while_drafting_explains_and_offers_no_yes(
    staff_client, reporting_visit
):
    ReportFactory(visit=reporting_visit)
    response = staff_client.get(reverse("visits:visit_close_confirm", args=[reporting_visit.pk]))
    text = page(response)
    assert 'id="confirm-refusal"' in text
    assert "Yes, close the visit" not in text


def test_close_post_while_drafting_is_refused_with_a_message(staff_client, reporting_visit):
    ReportFactory(visit=reporting_visit)
    url = reverse("visits:visit_transition", args=[reporting_visit.pk, "close"])
    response = staff_client.post(url, YES, follow=True)
    assert "Issue the visit&#x27;s report before closing" in page(response)
    reporting_visit.refresh_from_db()
    assert reporting_visit.status == VisitStatus.REPORTING


def test_close_without_confirmation_goes_to_the_confirmation(staff_client, reporting_visit):
    issued_report(reporting_visit)
    url = reverse("visits:visit_transition", args=[reporting_visit.pk, "close"])
    response = staff_client.post(url)
    assert response.url == reverse("visits:visit_close_confirm", args=[reporting_visit.pk])
    reporting_visit.refresh_from_db()
    assert reporting_visit.status == VisitStatus.REPORTING
    confirm = page(staff_client.get(response.url))
    assert "Yes, close the visit" in confirm
    staff_client.post(url, YES)
    reporting_visit.refresh_from_db()
    assert reporting_visit.status == VisitStatus.CLOSED


# --- Reopening ----------------------------------------------------------------------------------


@pytest.fixture
def closed_visit(reporting_visit):
    issued_report(reporting_visit)
    return services.visit_close(visit=reporting_visit)


def test_head_reopens_a_closed_visit_with_a_reason_kept_in_history(head_client, closed_visit):
    url = reverse("visits:visit_reopen", args=[closed_visit.pk])
    assert "Reopen the visit?" in page(head_client.get(url))
    head_client.post(url, {**YES, "reason": "Attachments from the doctor arrived late"})
    closed_visit.refresh_from_db()
    assert closed_visit.status == VisitStatus.REPORTING
    latest = closed_visit.history.order_by("-history_id").first()
    assert latest.status == VisitStatus.REPORTING
    assert latest.history_change_reason == "Attachments from the doctor arrived late"
    overview = page(head_client.get(closed_visit.get_absolute_url()))
    assert "Attachments from the doctor arrived late" in overview


def test_reopen_needs_a_reason_and_the_confirmation(head_client, closed_visit):
    url = reverse("visits:visit_reopen", args=[closed_visit.pk])
    response = head_client.post(url, {**YES, "reason": "  "})
    assert response.status_code == 200
    assert "This field is required" in page(response)
    head_client.post(url, {"reason": "Late evidence"})  # no "Yes"
    closed_visit.refresh_from_db()
    assert closed_visit.status == VisitStatus.CLOSED


def test_staff_cannot_reopen(staff_client, staff, closed_visit):
    url = reverse("visits:visit_reopen", args=[closed_visit.pk])
    assert staff_client.get(url).status_code == 403
    assert staff_client.post(url, {**YES, "reason": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.visit_reopen(visit=closed_visit, reason="x", by=staff)
    closed_visit.refresh_from_db()
    assert closed_visit.status == VisitStatus.CLOSED


def test_reopen_button_only_for_the_head(head_client, staff_client, closed_visit):
    url = reverse("visits:visit_reopen", args=[closed_visit.pk])
    assert url in page(head_client.get(closed_visit.get_absolute_url()))
    assert url not in page(staff_client.get(closed_visit.get_absolute_url()))


def test_start_reporting_does_not_reopen_a_closed_visit(closed_visit):
    with pytest.raises(ValidationError, match="cannot become"):
        services.visit_start_reporting(visit=closed_visit)


def test_reopen_of_an_open_visit_is_refused(head, reporting_visit):
    with pytest.raises(ValidationError, match="cannot become"):
        services.visit_reopen(visit=reporting_visit, reason="x", by=head)


def test_reopen_reason_over_the_history_column_is_refused(head, closed_visit):
    with pytest.raises(ValidationError, match="under 100"):
        services.visit_reopen(visit=closed_visit, reason="x" * 101, by=head)


# --- Cancelling ---------------------------------------------------------------------------------


def test_cancel_page_has_clear_buttons_and_says_it_cannot_be_undone(staff_client, db):
    visit = VisitFactory()
    text = page(staff_client.get(reverse("visits:visit_cancel", args=[visit.pk])))
    assert "Cancel the visit</button>" in text
    assert "Keep the visit" in text
    assert "cannot be undone" in text
    assert ">Save<" not in text


def test_cancel_without_confirmation_is_refused(staff_client, db):
    visit = VisitFactory()
    url = reverse("visits:visit_cancel", args=[visit.pk])
    response = staff_client.post(url, {"reason": "Quarantine"})
    assert response.status_code == 200
    assert "Confirm with" in page(response)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED
    staff_client.post(url, {**YES, "reason": "Quarantine"})
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CANCELLED
    assert visit.cancel_reason == "Quarantine"


# --- Removing a team member ---------------------------------------------------------------------


def test_remove_confirmation_names_the_person_and_keeps_them_until_yes(staff_client, staff, db):
    visit = VisitFactory()
    member = TeamMemberFactory(visit=visit, user=staff, role="member")
    team_page = page(staff_client.get(reverse("visits:visit_team", args=[visit.pk])))
    confirm_url = reverse("visits:team_member_remove_confirm", args=[visit.pk, member.pk])
    assert confirm_url in team_page
    text = page(staff_client.get(confirm_url))
    assert f"Remove {member.person_name} from the team?" in text
    assert "Yes, remove from the team" in text
    assert TeamMember.objects.filter(pk=member.pk).exists()
    remove = reverse("visits:team_member_remove", args=[visit.pk, member.pk])
    assert staff_client.post(remove).url == confirm_url
    assert TeamMember.objects.filter(pk=member.pk).exists()
    staff_client.post(remove, YES)
    assert not TeamMember.objects.filter(pk=member.pk).exists()


def test_partner_on_the_team_cannot_open_the_remove_confirmation(
    partner_client, on_team, staff, db
):
    visit = VisitFactory()
    on_team(visit)
    member = TeamMemberFactory(visit=visit, user=staff, role="member")
    url = reverse("visits:team_member_remove_confirm", args=[visit.pk, member.pk])
    assert partner_client.get(url).status_code == 403
    other = VisitFactory()
    other_member = TeamMemberFactory(visit=other, user=staff, role="member")
    url = reverse("visits:team_member_remove_confirm", args=[other.pk, other_member.pk])
    assert partner_client.get(url).status_code == 404
