"""Correcting findings and confidential interviews: edit and delete with a required reason,
kept in their history, while the visit's report is not issued; by role (interviews only for
those who read their notes today; partners unchanged)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories.visits import (
    InterviewFactory,
    ReportFactory,
    VisitFactory,
    theme,
)
from visits import services
from visits.models import (
    AccessAction,
    AccessLog,
    Finding,
    FollowUp,
    Interview,
    InterviewIdentity,
    VisitStatus,
)

YES = {"confirm": "yes"}


@pytest.fixture
def visit(db):
    return VisitFactory(status=VisitStatus.CONDUCTED)


@pytest.fixture
def finding(visit, staff):
    return services.finding_add(
        visit=visit, theme=theme(), kind="concern", text="Cells without daylight.", by=staff
    )


@pytest.fixture
def interview(visit):
    return InterviewFactory(visit=visit)


def issue(visit):
    ReportFactory(visit=visit, status="issued", issued_at=timezone.now())


def finding_form(**extra) -> dict:
    return {"theme": theme().pk, "kind": "concern", "text": "Cells without any daylight.", **extra}


# --- Findings -----------------------------------------------------------------------------------


def test_staff_edits_a_finding_and_the_history_keeps_the_old_text_and_reason(staff_client, finding):
    url = reverse("visits:finding_edit", args=[finding.visit_id, finding.pk])
    assert "Cells without daylight." in staff_client.get(url).content.decode()
    response = staff_client.post(url, finding_form(reason="Typo in the text"))
    assert response.url == reverse("visits:visit_findings", args=[finding.visit_id])
    finding.refresh_from_db()
    assert finding.text == "Cells without any daylight."
    latest, older = finding.history.order_by("-history_id")[:2]
    assert latest.history_change_reason == "Typo in the text"
    assert older.text == "Cells without daylight."


def test_editing_a_finding_needs_a_reason(staff_client, finding):
    url = reverse("visits:finding_edit", args=[finding.visit_id, finding.pk])
    response = staff_client.post(url, finding_form())
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    finding.refresh_from_db()
    assert finding.text == "Cells without daylight."


def test_delete_asks_for_confirmation_and_a_reason(staff_client, finding):
    url = reverse("visits:finding_delete", args=[finding.visit_id, finding.pk])
    text = staff_client.get(url).content.decode()
    assert "Delete this finding?" in text
    assert "Yes, delete the finding" in text
    staff_client.post(url, {"reason": "Duplicate"})  # no "Yes"
    assert Finding.objects.filter(pk=finding.pk).exists()
    staff_client.post(url, YES)  # no reason
    assert Finding.objects.filter(pk=finding.pk).exists()
    staff_client.post(url, {**YES, "reason": "Duplicate of the other finding"})
    assert not Finding.objects.filter(pk=finding.pk).exists()
    deleted = Finding.history.filter(id=finding.pk, history_type="-").get()
    assert deleted.history_change_reason == "Duplicate of the other finding"
    assert deleted.text == "Cells without daylight."


def test_findings_tab_offers_edit_and_delete_while_the_report_is_not_issued(staff_client, finding):
    tab = reverse("visits:visit_findings", args=[finding.visit_id])
    edit = reverse("visits:finding_edit", args=[finding.visit_id, finding.pk])
    assert edit in staff_client.get(tab).content.decode()
    issue(finding.visit)
    assert edit not in staff_client.get(tab).content.decode()


def test_findings_of_an_issued_report_cannot_change(staff_client, staff, finding):
    issue(finding.visit)
    edit = reverse("visits:finding_edit", args=[finding.visit_id, finding.pk])
    response = staff_client.post(edit, finding_form(reason="Late"), follow=True)
    assert "report is issued" in response.content.decode()
    delete = reverse("visits:finding_delete", args=[finding.visit_id, finding.pk])
    staff_client.post(delete, {**YES, "reason": "Late"})
    finding.refresh_from_db()
    assert finding.text == "Cells without daylight."
    with pytest.raises(ValidationError, match="report is issued"):
        services.finding_delete(finding=finding, reason="x", by=staff)


def test_findings_of_a_closed_visit_cannot_change(staff, finding):
    # Closed directly (a legacy record closed before its report was issued).
    type(finding.visit).objects.filter(pk=finding.visit_id).update(status=VisitStatus.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        services.finding_update(finding=finding, reason="x", by=staff, text="y")


@pytest.mark.parametrize(
    ("client_name", "status"),
    [("compliance_client", 403), ("partner_client", 403)],
)
def test_read_only_roles_cannot_correct_findings(request, on_team, finding, client_name, status):
    on_team(finding.visit)  # the partner is on the team: still only a reader of findings
    client = request.getfixturevalue(client_name)
    for name in ("finding_edit", "finding_delete"):
        url = reverse(f"visits:{name}", args=[finding.visit_id, finding.pk])
        assert client.get(url).status_code == status
        assert client.post(url, {**YES, "reason": "x"}).status_code == status
    assert Finding.objects.filter(pk=finding.pk).exists()


def test_partner_not_on_the_team_gets_404(other_partner_client, finding):
    url = reverse("visits:finding_edit", args=[finding.visit_id, finding.pk])
    assert other_partner_client.get(url).status_code == 404


def test_a_finding_of_another_visit_is_404(staff_client, finding):
    other = VisitFactory(status=VisitStatus.CONDUCTED)
    url = reverse("visits:finding_edit", args=[other.pk, finding.pk])
    assert staff_client.get(url).status_code == 404


# --- Interviews ---------------------------------------------------------------------------------


def interview_form(**extra) -> dict:
    return {
        "format": "individual",
        "interviewee": "detainee",
        "notes": "Says he was slapped twice during arrest.",
        "consent": "none",
        "reprisal_risk": "none",
        **extra,
    }


def test_staff_edits_an_interview_with_a_reason_and_the_history_keeps_both(staff_client, interview):
    url = reverse("visits:interview_edit", args=[interview.visit_id, interview.pk])
    assert "Says he was slapped during arrest." in staff_client.get(url).content.decode()
    response = staff_client.post(url, interview_form(reason="Notes completed"))
    assert response.url == reverse(
        "visits:interview_detail", args=[interview.visit_id, interview.pk]
    )
    interview.refresh_from_db()
    assert interview.notes == "Says he was slapped twice during arrest."
    latest = interview.history.order_by("-history_id").first()
    assert latest.history_change_reason == "Notes completed"


def test_opening_the_edit_form_is_logged_as_a_confidential_view(staff_client, staff, interview):
    staff_client.get(reverse("visits:interview_edit", args=[interview.visit_id, interview.pk]))
    assert AccessLog.objects.filter(
        user=staff, action=AccessAction.VIEW_CONFIDENTIAL, object_id=str(interview.pk)
    ).exists()


def test_raising_the_risk_to_high_opens_the_reprisal_check_once(staff, interview):
    for _ in range(2):
        services.interview_update(
            interview=interview, reason="Risk re-assessed", by=staff, reprisal_risk="high"
        )
    assert FollowUp.objects.open().filter(interview=interview).count() == 1


def test_delete_removes_the_identity_and_never_reuses_the_code(staff_client, staff, interview):
    InterviewIdentity.objects.create(interview=interview, full_name="Marko Marković")
    url = reverse("visits:interview_delete", args=[interview.visit_id, interview.pk])
    text = staff_client.get(url).content.decode()
    assert "Yes, delete the interview" in text
    assert "Marko" not in text
    staff_client.post(url, {"reason": "Recorded on the wrong visit"})  # no "Yes"
    assert Interview.objects.filter(pk=interview.pk).exists()
    response = staff_client.post(url, {**YES, "reason": "Recorded on the wrong visit"})
    assert response.url == reverse("visits:visit_interviews", args=[interview.visit_id])
    assert not Interview.objects.filter(pk=interview.pk).exists()
    assert not InterviewIdentity.objects.filter(interview_id=interview.pk).exists()
    deleted = Interview.history.filter(id=interview.pk, history_type="-").get()
    assert deleted.history_change_reason == "Recorded on the wrong visit"
    again = services.interview_create(visit=interview.visit, interviewee="detainee", by=staff)
    assert again.code != interview.code


def test_an_interview_with_a_reprisal_check_is_kept(staff, interview):
    services.interview_update(interview=interview, reason="Risk", by=staff, reprisal_risk="high")
    with pytest.raises(ValidationError, match="follow-up check"):
        services.interview_delete(interview=interview, reason="x", by=staff)
    assert Interview.objects.filter(pk=interview.pk).exists()


def test_interviews_of_an_issued_report_cannot_change(staff_client, interview):
    issue(interview.visit)
    detail = reverse("visits:interview_detail", args=[interview.visit_id, interview.pk])
    assert (
        reverse("visits:interview_edit", args=[interview.visit_id, interview.pk])
        not in staff_client.get(detail).content.decode()
    )
    url = reverse("visits:interview_edit", args=[interview.visit_id, interview.pk])
    response = staff_client.post(url, interview_form(reason="Late"), follow=True)
    assert "report is issued" in response.content.decode()
    interview.refresh_from_db()
    assert interview.notes == "Says he was slapped during arrest."


@pytest.mark.parametrize(
    ("client_name", "status"),
    [
        ("compliance_client", 404),  # may not see interviews: as on the interview's page
        ("partner_client", 403),  # on the team: sees the list, never the notes
        ("other_partner_client", 404),  # not on the team
    ],
)
def test_interview_corrections_by_role(request, on_team, interview, client_name, status):
    on_team(interview.visit)  # `partner_client`'s member
    client = request.getfixturevalue(client_name)
    for name in ("interview_edit", "interview_delete"):
        url = reverse(f"visits:{name}", args=[interview.visit_id, interview.pk])
        response = client.get(url)
        assert response.status_code == status
        assert "slapped" not in response.content.decode()
        assert client.post(url, {**YES, "reason": "x"}).status_code == status
    assert Interview.objects.filter(pk=interview.pk).exists()


def test_head_may_correct_interviews(head_client, interview):
    url = reverse("visits:interview_edit", args=[interview.visit_id, interview.pk])
    head_client.post(url, interview_form(reason="Head's correction", allegation="on"))
    interview.refresh_from_db()
    assert interview.allegation is True
