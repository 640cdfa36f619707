"""Escalation at frozen dates: a recommendation still unanswered NPM_ESCALATION_DAYS after its
deadline is escalated once per addressee to the parent authority's users, and listed for the NPM
on the escalations page."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from npm_portal.authority_portal import reminders
from npm_portal.authority_portal.models import AuthorityAccount, Escalation
from recommendations import services
from tests.authority_portal.helpers import authority_user, dispatched_case
from tests.factories import AuthorityFactory, UserFactory

pytestmark = pytest.mark.django_db

BELGRADE = timezone.get_default_timezone()
F = AuthorityAccount.Function
# dispatched_case sends the report on 2 October 2025: due 1 December 2025; 30 days overdue on
# 31 December 2025.
DUE = dt.date(2025, 12, 1)
DAY_N = DUE + dt.timedelta(days=30)


def _at(day: dt.date, hour: int = 10):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=BELGRADE))


def _run(day: dt.date) -> int:
    mail.outbox.clear()
    with _at(day):
        return reminders.escalations_run()


@pytest.fixture
def case(settings):
    """The institution under a directorate under a ministry; the report went to the
    institution and the ministry."""
    settings.NPM_ESCALATION_DAYS = 30
    settings.NPM_BASE_URL = "https://npm.example.org"
    visit, institution, ministry, recs = dispatched_case(count=2)
    directorate = AuthorityFactory(name="Directorate Under Test", kind="directorate")
    directorate.parent = ministry
    directorate.save()
    institution.parent = directorate
    institution.save()
    accounts = {
        "institution": authority_user(institution, email="inst@example.org"),
        "director": authority_user(directorate, F.FOCAL_POINT, email="dir1@example.org"),
        "director2": authority_user(directorate, F.VALIDATOR, email="dir2@example.org"),
        "gone": authority_user(directorate, F.ALTERNATE, email="gone@example.org"),
        "ministry": authority_user(ministry, email="min@example.org"),
    }
    AuthorityAccount.objects.filter(pk=accounts["gone"].pk).update(deactivated_at=timezone.now())
    return visit, institution, directorate, ministry, recs, accounts


def test_day_before_nothing_day_n_escalated_day_after_nothing_new(case):
    visit, institution, directorate, ministry, recs, _accounts = case
    assert _run(DAY_N - dt.timedelta(days=1)) == 0
    assert not Escalation.objects.exists()
    assert mail.outbox == []

    # Day N: one row per recommendation and addressee; the institution's go to its parent.
    assert _run(DAY_N) == 2
    rows = Escalation.objects.all()
    assert rows.count() == 4
    at_institution = rows.filter(authority=institution)
    assert {row.recommendation_id for row in at_institution} == {r.pk for r in recs}
    for row in at_institution:
        assert row.escalated_to == directorate
        assert row.escalated_on == DAY_N
        assert row.days_overdue == 30
        assert row.notified == 2
    # The ministry is at the top: listed for the NPM, nobody mailed.
    at_ministry = rows.filter(authority=ministry)
    assert at_ministry.count() == 2
    assert all(row.escalated_to is None and row.notified == 0 for row in at_ministry)
    # One mail per active account of the parent, listing both recommendations.
    assert sorted(m.to[0] for m in mail.outbox) == ["dir1@example.org", "dir2@example.org"]
    for message in mail.outbox:
        assert "Directorate Under Test" in message.subject
        for rec in recs:
            assert rec.reference in message.body
            assert f"https://npm.example.org/authority/recommendations/{rec.pk}/" in message.body
        assert institution.name in message.body

    # The next day, and the same day again: nothing new.
    assert _run(DAY_N) == 0
    assert _run(DAY_N + dt.timedelta(days=1)) == 0
    assert Escalation.objects.count() == 4
    assert mail.outbox == []


def test_a_late_first_run_escalates_with_the_days_overdue(case):
    _run(DAY_N + dt.timedelta(days=10))
    assert set(Escalation.objects.values_list("days_overdue", flat=True)) == {40}


def test_answered_recommendation_is_not_escalated(case):
    visit, institution, _directorate, _ministry, recs, _accounts = case
    with _at(DUE + dt.timedelta(days=5)):
        services.response_record(
            visit=visit,
            authority=institution,
            received_on=timezone.localdate(),
            reference="L-late",
            items=[
                {
                    "recommendation": recs[0],
                    "stated_status": "implemented",
                    "explanation": "Done.",
                    "promised_by": None,
                }
            ],
        )
    _run(DAY_N)
    assert set(Escalation.objects.values_list("recommendation_id", flat=True)) == {recs[1].pk}
    assert recs[0].reference not in mail.outbox[0].body


def test_deactivated_parent_users_get_nothing(case):
    _visit, _institution, directorate, _ministry, _recs, accounts = case
    AuthorityAccount.objects.filter(authority=directorate).update(deactivated_at=timezone.now())
    assert _run(DAY_N) == 0
    assert mail.outbox == []
    assert Escalation.objects.filter(escalated_to=directorate).count() == 2
    assert set(Escalation.objects.values_list("notified", flat=True)) == {0}


def test_the_overdue_authority_and_the_ministry_are_not_mailed(case):
    _run(DAY_N)
    recipients = {address for m in mail.outbox for address in m.to}
    assert recipients == {"dir1@example.org", "dir2@example.org"}
    assert "gone@example.org" not in recipients


def test_escalation_mail_carries_no_recommendation_text(case):
    _visit, _institution, _directorate, _ministry, recs, _accounts = case
    for rec in recs:
        rec.text = f"ESCALATION-MARKER-{rec.pk}"
        rec.save()
    _run(DAY_N)
    assert mail.outbox
    for message in mail.outbox:
        assert "ESCALATION-MARKER" not in message.subject + message.body


# --- The escalations page -----------------------------------------------------------------------


@pytest.fixture
def escalated(case):
    _run(DAY_N)
    return case


URL = "/answers/escalations/"


def test_url_name():
    assert reverse("answers:escalations") == URL


@pytest.mark.parametrize("role", [Role.HEAD, Role.COMPLIANCE])
def test_npm_roles_see_the_escalations(escalated, client, role):
    _visit, institution, directorate, _ministry, recs, _accounts = escalated
    client.force_login(UserFactory(roles=[role]))
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for rec in recs:
        assert rec.reference in html
        assert reverse("recommendations:detail", args=[rec.pk]) in html
    assert "Directorate Under Test" in html
    assert response.context["page"].paginator.count == 4


def test_open_escalations_come_first(escalated, client, head):
    visit, institution, _directorate, ministry, recs, _accounts = escalated
    with _at(DAY_N + dt.timedelta(days=2)):
        services.response_record(
            visit=visit,
            authority=ministry,
            received_on=timezone.localdate(),
            reference="L-after",
            items=[
                {
                    "recommendation": recs[0],
                    "stated_status": "implemented",
                    "explanation": "Done at last.",
                    "promised_by": None,
                }
            ],
        )
    client.force_login(head)
    response = client.get(URL)
    rows = list(response.context["page"].object_list)
    flags = [row.still_open for row in rows]
    assert flags == [True, True, False, False]
    assert {row.recommendation_id for row in rows[:2]} == {recs[1].pk}
    assert response.context["open_count"] == 2


def test_staff_see_the_list_and_a_user_without_the_permission_gets_403(escalated, client, staff):
    client.force_login(staff)
    assert client.get(URL).status_code == 200
    nobody = UserFactory(username="no-role", roles=[])
    client.force_login(nobody)
    assert client.get(URL).status_code == 403
    assert "recommendations escalated" not in client.get("/").content.decode()


def test_partner_and_authority_users_get_404(escalated, client, partner_member):
    _visit, _institution, _directorate, _ministry, _recs, accounts = escalated
    client.force_login(partner_member)
    assert client.get(URL).status_code == 404
    client.force_login(accounts["director"].user)
    assert client.get(URL).status_code == 404


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_escalations_page_is_paginated(escalated, client, head, django_assert_max_num_queries):
    client.force_login(head)
    with django_assert_max_num_queries(15):
        response = client.get(URL + "?page=2")
    assert response.status_code == 200
    assert response.context["page"].number == 1  # four rows fit on one page


def test_dashboard_panel_counts_escalated_recommendations(escalated, client, head, compliance):
    client.force_login(head)
    html = client.get("/").content.decode()
    assert "2 recommendations escalated" in html
    assert URL in html
    client.force_login(compliance)
    html = client.get("/").content.decode()
    assert "0 submissions awaiting review" in html
    assert reverse("answers:inbox") in html


def test_dashboard_panel_hidden_for_partners(escalated, client, partner_member):
    client.force_login(partner_member)
    html = client.get("/").content.decode()
    assert "recommendations escalated" not in html
    assert "awaiting review" not in html
