"""Every notification event: who is told (in the app and by e-mail), that the e-mail carries
references and a link but never a section's text or a review comment, and that a partner is
never told about a visit they are not on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from npm_portal.notifications.models import Kind, Notification
from npm_portal.notifications.overdue import responses_overdue_notify
from tests.factories import UserFactory
from tests.recommendations.compliance_helpers import issued_case
from visits.models import Report
from visits.services import (
    report_approve,
    report_submit_for_review,
    section_accept,
    section_create,
    section_return,
    section_save,
    section_submit,
    section_update_settings,
)
from visits.signals import report_issued

from .conftest import SECRET_BODY, SECRET_COMMENT

pytestmark = pytest.mark.django_db


def _mails_to(user) -> list:
    return [message for message in mail.outbox if user.email in message.to]


def _assert_nothing_confidential() -> None:
    for message in mail.outbox:
        text = message.subject + message.body
        assert SECRET_BODY not in text
        assert SECRET_COMMENT not in text
        assert "slapped" not in text
        assert "Petrović" not in text


def _assigned_section(case, capture):
    with capture(execute=True):
        return section_create(
            report=case.report, by=case.staff, title="Health care", author=case.partner
        )


def _written_and_submitted(case, capture):
    section = _assigned_section(case, capture)
    section = section_save(section=section, body=SECRET_BODY, base_version=1, by=case.partner)
    mail.outbox.clear()
    with capture(execute=True):
        return section_submit(section=section, by=case.partner)


def test_assignment_tells_the_author_in_the_app_and_by_mail(
    case, django_capture_on_commit_callbacks
):
    section = _assigned_section(case, django_capture_on_commit_callbacks)
    notification = Notification.objects.get(recipient=case.partner)
    assert notification.kind == Kind.SECTION_ASSIGNED
    assert notification.visit == case.visit
    assert notification.url == reverse("visits:section_edit", args=[case.visit.pk, section.pk])
    assert case.report.reference in notification.title
    assert "Health care" in notification.title
    [message] = _mails_to(case.partner)
    assert case.report.reference in message.subject
    assert settings.NPM_BASE_URL.rstrip("/") + notification.url in message.body
    assert "Health care" not in message.subject + message.body  # references and a link only
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    # Nobody is told of their own action.
    assert not Notification.objects.filter(recipient=case.staff).exists()


def test_assignment_by_changing_the_author_in_the_settings(
    case, django_capture_on_commit_callbacks
):
    section = section_create(report=case.report, by=case.staff, title="Legal safeguards")
    assert not Notification.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        section_update_settings(
            section=section,
            by=case.staff,
            title="Legal safeguards",
            kind="other",
            author=case.partner,
        )
        # Saving the settings again with the same author tells nobody a second time.
        section_update_settings(
            section=section,
            by=case.staff,
            title="Legal safeguards 2",
            kind="other",
            author=case.partner,
        )
    assert Notification.objects.filter(recipient=case.partner).count() == 1
    assert len(_mails_to(case.partner)) == 1


def test_submission_tells_the_staff_on_the_team_without_the_text(
    case, django_capture_on_commit_callbacks
):
    _written_and_submitted(case, django_capture_on_commit_callbacks)
    notification = Notification.objects.get(recipient=case.staff)
    assert notification.kind == Kind.SECTION_SUBMITTED
    assert len(_mails_to(case.staff)) == 1
    assert not Notification.objects.filter(recipient=case.partner, kind=Kind.SECTION_SUBMITTED)
    assert SECRET_BODY not in notification.title + notification.detail
    _assert_nothing_confidential()


def test_return_shows_the_comment_in_the_app_only(case, django_capture_on_commit_callbacks):
    section = _written_and_submitted(case, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        section_return(section=section, comment=SECRET_COMMENT, by=case.staff)
    notification = Notification.objects.get(recipient=case.partner, kind=Kind.SECTION_RETURNED)
    assert notification.detail == SECRET_COMMENT
    [message] = _mails_to(case.partner)
    assert case.report.reference in message.subject
    _assert_nothing_confidential()
    # The comment is shown behind the login, on the partner's list.
    from django.test import Client

    client = Client()
    client.force_login(case.partner)
    page = client.get(reverse("notifications:list")).content.decode()
    assert SECRET_COMMENT in page


def test_report_submitted_for_review_tells_the_head(case, django_capture_on_commit_callbacks):
    section = _written_and_submitted(case, django_capture_on_commit_callbacks)
    section_accept(section=section, by=case.staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report_submit_for_review(report=case.report, by=case.staff)
    notification = Notification.objects.get(recipient=case.head)
    assert notification.kind == Kind.APPROVAL_NEEDED
    assert notification.url == reverse("visits:report_detail", args=[case.visit.pk])
    [message] = _mails_to(case.head)
    assert case.report.reference in message.subject
    assert not Notification.objects.filter(kind=Kind.APPROVAL_NEEDED, recipient=case.partner)
    _assert_nothing_confidential()


def test_issue_tells_the_team_and_never_a_partner_off_the_visit(
    case, django_capture_on_commit_callbacks
):
    section = _written_and_submitted(case, django_capture_on_commit_callbacks)
    section_accept(section=section, by=case.staff)
    report_submit_for_review(report=case.report, by=case.staff)
    report = report_approve(report=case.report, by=case.head)
    mail.outbox.clear()
    # `report_issue` sends this signal (its PDF render is left out of this test).
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.ISSUED, issued_at=timezone.now(), issued_by=case.head
    )
    report.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        report_issued.send(sender=Report, report=report)
    told = set(
        Notification.objects.filter(kind=Kind.REPORT_ISSUED).values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"n-staff", "n-partner"}
    assert {tuple(m.to) for m in mail.outbox} == {(case.staff.email,), (case.partner.email,)}
    assert not Notification.objects.filter(recipient=case.outsider).exists()
    _assert_nothing_confidential()


def test_a_partner_off_the_visit_is_never_told(case, django_capture_on_commit_callbacks):
    from npm_portal.notifications.services import notification_create

    with django_capture_on_commit_callbacks(execute=True):
        created = notification_create(
            recipient=case.outsider,
            kind=Kind.SECTION_ASSIGNED,
            title="x",
            url="/",
            visit=case.visit,
        )
    assert created is None
    assert not Notification.objects.filter(recipient=case.outsider).exists()
    assert mail.outbox == []


def test_responses_overdue_tell_compliance_once_a_day(django_capture_on_commit_callbacks):
    officer = UserFactory(username="n-compliance", roles=[Role.COMPLIANCE])
    UserFactory(username="n-staff2", roles=[Role.STAFF])
    _visit, _institution, _ministry, recs = issued_case(count=2)
    today = timezone.localdate()
    for rec in recs:
        type(rec).objects.filter(pk=rec.pk).update(due_date=today - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert responses_overdue_notify(today=today) == 1
        assert responses_overdue_notify(today=today) == 0  # run twice: told once
    notification = Notification.objects.get()
    assert notification.recipient == officer
    assert notification.kind == Kind.RESPONSES_OVERDUE
    assert "2 responses" in notification.title
    assert notification.url == reverse("recommendations:list") + "?overdue=yes"
    [message] = mail.outbox
    assert message.to == [officer.email]
    assert recs[0].reference in message.subject
    assert recs[0].text not in message.body


def test_the_digest_command_runs_the_overdue_check(django_capture_on_commit_callbacks):
    officer = UserFactory(username="n-compliance", roles=[Role.COMPLIANCE])
    _visit, _i, _m, recs = issued_case(count=1)
    type(recs[0]).objects.filter(pk=recs[0].pk).update(
        due_date=timezone.localdate() - dt.timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_notification_digest", verbosity=0)
    assert Notification.objects.filter(recipient=officer, kind=Kind.RESPONSES_OVERDUE).exists()
