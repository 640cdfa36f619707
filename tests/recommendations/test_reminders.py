"""Deadlines: overdue at frozen times, and the reminder e-mails of `send_reminders`."""

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from core.roles import Role
from recommendations import reminders, services
from recommendations.models import Recommendation
from tests.factories import UserFactory
from tests.factories.recommendations import RecommendationFactory
from tests.recommendations.compliance_helpers import dispatch, issued_case

pytestmark = pytest.mark.django_db

BELGRADE = timezone.get_default_timezone()
# Dispatched 3 October 2025: due 2 December 2025 (60 days).
SENT = dt.date(2025, 10, 3)
DUE = dt.date(2025, 12, 2)


def _at(day: dt.date, hour: int = 10):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=BELGRADE))


def _overdue_pks():
    return set(Recommendation.objects.overdue().values_list("pk", flat=True))


@pytest.fixture
def case():
    visit, institution, ministry, recs = issued_case(place=None)
    institution.email = "institution@example.org"
    institution.save()
    dispatch(visit, institution, SENT)
    for rec in recs:
        rec.refresh_from_db()
    return visit, institution, ministry, recs


@pytest.fixture
def staff_people(db):
    return [
        UserFactory(username="rem-staff", roles=[Role.STAFF]),
        UserFactory(username="rem-head", roles=[Role.HEAD]),
        UserFactory(username="rem-compliance", roles=[Role.COMPLIANCE]),
        UserFactory(username="rem-partner", roles=[Role.PARTNER]),
        UserFactory(username="rem-no-mail", roles=[Role.STAFF], email=""),
    ]


@pytest.mark.parametrize(
    ("day", "overdue"),
    [(DUE - dt.timedelta(days=1), False), (DUE, False), (DUE + dt.timedelta(days=1), True)],
)
def test_overdue_the_day_before_on_and_after_the_due_date(case, day, overdue):
    rec = case[3][0]
    assert rec.due_date == DUE
    with _at(day, hour=23):
        assert rec.is_overdue() is overdue
        assert (rec.pk in _overdue_pks()) is overdue


def test_a_response_item_stops_it_being_overdue(case):
    visit, institution, _m, (rec, other) = case
    with _at(DUE + dt.timedelta(days=5)):
        assert {rec.pk, other.pk} <= _overdue_pks()
        services.response_record(
            visit=visit,
            authority=institution,
            received_on=DUE + dt.timedelta(days=4),
            items=[{"recommendation": rec, "stated_status": "in_progress"}],
        )
        rec.refresh_from_db()
        assert not rec.is_overdue()
        assert rec.pk not in _overdue_pks()
        assert other.pk in _overdue_pks()


def test_digest_lists_due_soon_and_overdue_to_staff_and_head(case, staff_people, settings):
    settings.NPM_RESPONSE_REMINDER_DAYS = 7
    _visit, _i, _m, (late, soon) = case
    # `late` was urgent: due 15 days after dispatch, long past on the day of the digest.
    Recommendation.objects.filter(pk=late.pk).update(due_date=DUE - dt.timedelta(days=20))
    Recommendation.objects.filter(pk=soon.pk).update(due_date=DUE)
    undated = RecommendationFactory(text="Never sent anywhere.")
    with _at(DUE - dt.timedelta(days=3)):
        sent = reminders.response_reminders_send()
    assert sent == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["rem-head@example.org", "rem-staff@example.org"]
    late.refresh_from_db()
    soon.refresh_from_db()
    assert "1 overdue, 1 due soon" in message.subject
    overdue_part, soon_part = message.body.split("due within 7 days")
    assert late.reference in overdue_part
    assert "(17 days overdue)" in overdue_part
    assert soon.reference in soon_part
    assert "(3 days left)" in soon_part
    assert undated.reference not in message.body
    # References and places only: the recommendation's text stays in the portal.
    assert late.text not in message.body


def test_nothing_is_sent_when_nothing_is_due(case, staff_people, settings):
    settings.NPM_REMIND_AUTHORITIES = True
    with _at(SENT + dt.timedelta(days=10)):
        assert reminders.response_reminders_send() == 0
    assert mail.outbox == []


def test_answered_recommendations_are_not_reminded(case, staff_people):
    visit, institution, _m, recs = case
    services.response_record(
        visit=visit,
        authority=institution,
        received_on=dt.date(2025, 11, 20),
        items=[{"recommendation": rec, "stated_status": "implemented"} for rec in recs],
    )
    with _at(DUE + dt.timedelta(days=1)):
        assert reminders.response_reminders_send() == 0


def test_authority_reminder_only_with_the_setting_on(case, staff_people, settings):
    _visit, institution, ministry, recs = case
    ministry.email = "ministry@example.org"  # never sent the report: not reminded
    ministry.save()
    settings.NPM_REMIND_AUTHORITIES = False
    with _at(DUE + dt.timedelta(days=1)):
        assert reminders.response_reminders_send() == 1  # the staff digest only
    assert [m.to for m in mail.outbox] == [
        sorted(["rem-head@example.org", "rem-staff@example.org"])
    ]
    mail.outbox.clear()
    settings.NPM_REMIND_AUTHORITIES = True
    with _at(DUE + dt.timedelta(days=1)):
        assert reminders.response_reminders_send() == 2
    to_authority = [m for m in mail.outbox if m.to == ["institution@example.org"]]
    assert len(to_authority) == 1
    body = to_authority[0].body
    for rec in recs:
        assert rec.reference in body
        assert rec.text in body
    assert "2 Dec 2025" in body
    assert not [m for m in mail.outbox if "ministry@example.org" in m.to]


def test_authority_is_reminded_weekly_not_daily(case, settings):
    settings.NPM_REMIND_AUTHORITIES = True
    days = {}
    for late in range(1, 16):
        mail.outbox.clear()
        with _at(DUE + dt.timedelta(days=late)):
            days[late] = reminders.authority_reminders_send()
    assert [late for late, sent in days.items() if sent] == [1, 8, 15]


def test_send_reminders_command_includes_response_reminders(case, staff_people):
    with _at(DUE + dt.timedelta(days=2)):
        call_command("send_reminders", stdout=io.StringIO())
    assert any("overdue" in m.subject for m in mail.outbox)
