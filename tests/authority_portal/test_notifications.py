"""The answer workflow's e-mails: each event mails the right people, once the transaction
commits, through the task queue (inline without a broker), with references and links only."""

import pytest
from django.core import mail
from django.utils import timezone

from core.roles import Role
from npm_portal.authority_portal import notifications, services, tasks
from npm_portal.authority_portal.models import AuthorityAccount
from tests.authority_portal.helpers import authority_user, dispatched_case
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

F = AuthorityAccount.Function
MARKERS = (
    "MARKER-RECOMMENDATION-TEXT",
    "MARKER-ANSWER-MEASURES",
    "MARKER-NPM-QUESTION",
    "MARKER-RETURN-COMMENT",
)


@pytest.fixture
def case(settings, compliance):
    settings.NPM_BASE_URL = "https://npm.example.org"
    visit, institution, ministry, recs = dispatched_case(count=2)
    recs[0].text = f"Do better. {MARKERS[0]}"
    recs[0].save()
    people = {
        "focal": authority_user(institution, F.FOCAL_POINT, email="focal@inst.example.org"),
        "alternate": authority_user(institution, F.ALTERNATE, email="alt@inst.example.org"),
        "validator": authority_user(institution, F.VALIDATOR, email="valid@inst.example.org"),
        "gone": authority_user(institution, F.VALIDATOR, email="gone@inst.example.org"),
        "ministry": authority_user(ministry, F.VALIDATOR, email="valid@min.example.org"),
        "compliance": compliance,
        "compliance2": UserFactory(roles=[Role.COMPLIANCE], email="c2@npm.example.org"),
        "retired": UserFactory(roles=[Role.COMPLIANCE], email="old@npm.example.org"),
        "staff": UserFactory(roles=[Role.STAFF], email="staff@npm.example.org"),
    }
    AuthorityAccount.objects.filter(pk=people["gone"].pk).update(deactivated_at=timezone.now())
    people["retired"].is_active = False
    people["retired"].save()
    return visit, institution, recs, people


def _draft(visit, recs, people):
    focal = people["focal"].user
    submission = services.submission_start(visit=visit, by=focal)
    services.answer_save(
        submission=submission,
        recommendation=recs[0],
        position="accepted",
        stated_status="implemented",
        measures=f"We did it. {MARKERS[1]}",
        by=focal,
    )
    submission.refresh_from_db()
    return submission


def _assert_clean(messages):
    assert messages
    for message in messages:
        text = message.subject + message.body
        for marker in MARKERS:
            assert marker not in text


def _recipients(messages) -> set[str]:
    return {address for message in messages for address in message.to}


def test_each_event_mails_the_right_people(case, django_capture_on_commit_callbacks):
    visit, institution, recs, people = case
    submission = _draft(visit, recs, people)
    report = visit.report.reference

    # Sent for sign-off: the authority's active validating authorities.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_send(submission=submission, by=people["focal"].user)
    assert _recipients(mail.outbox) == {"valid@inst.example.org"}
    assert report in mail.outbox[0].subject
    assert f"https://npm.example.org/authority/submissions/{submission.pk}/" in mail.outbox[0].body
    _assert_clean(mail.outbox)

    # Returned: the drafter who sent it.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_return(
            submission=submission, comment=f"Fix it. {MARKERS[3]}", by=people["validator"].user
        )
    assert _recipients(mail.outbox) == {"focal@inst.example.org"}
    _assert_clean(mail.outbox)

    # Signed off and submitted: the active compliance officers.
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_send(submission=submission, by=people["focal"].user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_sign_off(submission=submission, by=people["validator"].user)
    submission.refresh_from_db()
    assert _recipients(mail.outbox) == {"compliance@example.org", "c2@npm.example.org"}
    assert submission.reference in mail.outbox[0].subject
    assert institution.name in mail.outbox[0].subject
    assert f"https://npm.example.org/answers/{submission.pk}/" in mail.outbox[0].body
    _assert_clean(mail.outbox)

    # The NPM asks a question: every active account of the authority (not the ministry's).
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_request_clarification(
            submission=submission, question=f"Why? {MARKERS[2]}", by=people["compliance"]
        )
    assert _recipients(mail.outbox) == {
        "focal@inst.example.org",
        "alt@inst.example.org",
        "valid@inst.example.org",
    }
    assert submission.reference in mail.outbox[0].subject
    _assert_clean(mail.outbox)


def test_mail_waits_for_the_commit_and_goes_through_the_task(
    case, django_capture_on_commit_callbacks
):
    visit, _institution, recs, people = case
    submission = _draft(visit, recs, people)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks() as callbacks:
        services.submission_send(submission=submission, by=people["focal"].user)
    # Nothing before the commit; one queued task after it.
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert _recipients(mail.outbox) == {"valid@inst.example.org"}


def test_task_runs_inline_without_a_broker(case, settings):
    visit, _institution, recs, people = case
    assert not settings.CELERY_BROKER_URL
    assert settings.CELERY_TASK_ALWAYS_EAGER
    submission = _draft(visit, recs, people)
    mail.outbox.clear()
    result = tasks.send_notification.delay("sent_for_signoff", submission.pk)
    assert result.get() == 1
    assert _recipients(mail.outbox) == {"valid@inst.example.org"}


def test_task_refuses_an_unknown_kind(case):
    with pytest.raises(ValueError, match="Unknown notification"):
        tasks.send_notification.delay("send_everything", 1)
    with pytest.raises(ValueError, match="Not a notification"):
        notifications.on_commit(print, 1)


def test_task_names_are_the_four_events():
    assert set(tasks.KINDS) == {
        "sent_for_signoff",
        "returned",
        "submitted",
        "clarification_requested",
    }
    assert tasks.send_notification.name == "npm_portal.authority_portal.tasks.send_notification"
