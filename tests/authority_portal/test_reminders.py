"""Deadline reminders to the authority portal's users at frozen dates: before, on and after the
due date, only to the addressee's own active users, about what is still unanswered."""

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from npm_portal.authority_portal import reminders
from npm_portal.authority_portal.models import AuthorityAccount
from recommendations import services
from tests.authority_portal.helpers import authority_user, dispatched_case
from tests.factories import AuthorityFactory
from tests.factories.recommendations import RecommendationFactory
from tests.recommendations.compliance_helpers import dispatch, issued_case

pytestmark = pytest.mark.django_db

BELGRADE = timezone.get_default_timezone()
F = AuthorityAccount.Function
# dispatched_case sends the report on 2 October 2025: due 1 December 2025 (60 days).
DUE = dt.date(2025, 12, 1)


def _at(day: dt.date, hour: int = 10):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=BELGRADE))


@pytest.fixture
def case(settings):
    settings.NPM_AUTHORITY_REMINDER_DAYS = 14
    settings.NPM_BASE_URL = "https://npm.example.org"
    visit, institution, ministry, recs = dispatched_case(count=2)
    institution.name = "Institution Under Test"
    institution.save()
    accounts = {
        "focal": authority_user(institution, F.FOCAL_POINT, email="focal@inst.example.org"),
        "validator": authority_user(institution, F.VALIDATOR, email="valid@inst.example.org"),
        "ministry": authority_user(ministry, F.FOCAL_POINT, email="focal@min.example.org"),
        # A sibling under the same ministry: not an addressee, never reminded.
        "sibling": authority_user(
            AuthorityFactory(kind="institution", parent=ministry), email="sibling@example.org"
        ),
        "no_mail": authority_user(institution, F.ALTERNATE, email=""),
    }
    return visit, institution, ministry, recs, accounts


def _mails_to(address: str):
    return [m for m in mail.outbox if address in m.to]


def _send(day: dt.date) -> int:
    mail.outbox.clear()
    with _at(day):
        return reminders.authority_user_reminders_send()


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (DUE - dt.timedelta(days=14), "before"),
        (DUE, "on"),
        (DUE + dt.timedelta(days=1), "after"),
        (DUE + dt.timedelta(days=8), "after"),
        (DUE + dt.timedelta(days=15), "after"),
    ],
)
def test_reminded_before_on_and_after_the_due_date(case, day, kind):
    _visit, _institution, _ministry, recs, _accounts = case
    sent = _send(day)
    # Institution: focal point and validator (the account without e-mail gets none); ministry.
    assert sent == 3
    mine = _mails_to("focal@inst.example.org")
    assert len(mine) == 1
    body = mine[0].body
    for rec in recs:
        assert rec.reference in body
        assert f"/authority/recommendations/{rec.pk}/" in body
    assert "Institution Under Test" in mine[0].subject
    expected = {"before": "in 14 days", "on": "due today", "after": "days overdue"}[kind]
    assert expected in body
    assert len(_mails_to("valid@inst.example.org")) == 1
    assert len(_mails_to("focal@min.example.org")) == 1
    assert not _mails_to("sibling@example.org")


# Days from the due date when nothing is due.
@pytest.mark.parametrize("offset", [-15, -13, -1, 2, 7, 9, 14])
def test_no_reminder_on_other_days(case, offset):
    assert _send(DUE + dt.timedelta(days=offset)) == 0
    assert mail.outbox == []


def test_reminder_days_come_from_the_setting(case, settings):
    settings.NPM_AUTHORITY_REMINDER_DAYS = 5
    assert _send(DUE - dt.timedelta(days=14)) == 0
    assert _send(DUE - dt.timedelta(days=5)) == 3


def test_deactivated_accounts_and_inactive_users_get_nothing(case):
    _visit, _institution, _ministry, _recs, accounts = case
    AuthorityAccount.objects.filter(pk=accounts["focal"].pk).update(deactivated_at=timezone.now())
    validator = accounts["validator"].user
    validator.is_active = False
    validator.save()
    assert _send(DUE) == 1
    assert [m.to for m in mail.outbox] == [["focal@min.example.org"]]


def test_only_the_recommendations_addressed_to_the_own_node(case):
    visit, institution, ministry, recs, _accounts = case
    ministry_only = RecommendationFactory(visit=visit, number=3, addressees=[ministry])
    services.recommendations_set_due_dates(dispatch=visit.report.dispatches.get(authority=ministry))
    ministry_only.refresh_from_db()
    assert ministry_only.due_date == DUE
    _send(DUE)
    assert ministry_only.reference not in _mails_to("focal@inst.example.org")[0].body
    assert ministry_only.reference in _mails_to("focal@min.example.org")[0].body


def test_not_dispatched_to_the_addressee_means_no_reminder(db, settings):
    settings.NPM_AUTHORITY_REMINDER_DAYS = 14
    visit, institution, ministry, _recs = issued_case(count=1)
    dispatch(visit, ministry, dt.date(2025, 10, 2))
    authority_user(institution, email="never@example.org")
    authority_user(ministry, email="min@example.org")
    _send(DUE)
    assert not _mails_to("never@example.org")
    assert len(_mails_to("min@example.org")) == 1


def test_nothing_once_answered(case):
    visit, institution, _ministry, recs, _accounts = case
    with _at(DUE - dt.timedelta(days=20)):
        services.response_record(
            visit=visit,
            authority=institution,
            received_on=timezone.localdate(),
            reference="L-1",
            items=[
                {
                    "recommendation": recs[0],
                    "stated_status": "in_progress",
                    "explanation": "Working on it.",
                    "promised_by": dt.date(2026, 6, 1),
                }
            ],
        )
    _send(DUE)
    body = _mails_to("focal@inst.example.org")[0].body
    assert recs[0].reference not in body
    assert recs[1].reference in body
    with _at(DUE - dt.timedelta(days=1)):
        services.response_record(
            visit=visit,
            authority=institution,
            received_on=timezone.localdate(),
            reference="L-2",
            items=[
                {
                    "recommendation": recs[1],
                    "stated_status": "implemented",
                    "explanation": "Done.",
                    "promised_by": None,
                }
            ],
        )
    assert _send(DUE) == 0


def test_no_recommendation_text_in_the_reminder(case):
    visit, _institution, _ministry, recs, _accounts = case
    recs[0].text = "SECRET-MARKER-REMINDER-TEXT"
    recs[0].save()
    _send(DUE)
    assert mail.outbox
    for message in mail.outbox:
        assert "SECRET-MARKER" not in message.subject + message.body


def test_send_reminders_command_runs_the_authority_reminders(case):
    mail.outbox.clear()
    out = io.StringIO()
    with _at(DUE):
        call_command("send_reminders", stdout=out)
    assert "authority portal users' deadlines: 3 e-mail(s) sent" in out.getvalue()
    assert "overdue recommendations escalated: 0 e-mail(s) sent" in out.getvalue()
    assert len(_mails_to("focal@inst.example.org")) == 1
