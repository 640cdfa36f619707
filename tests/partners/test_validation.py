"""Partner validation gaps: late or future applications, agreements for organisations the
decision did not select, pledges dated ahead, and a member added twice by a double click."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import Agreement, Application, Member
from partners.services import call_record_decision
from tests.factories.partners import (
    ApplicationFactory,
    MemberFactory,
    OrganisationFactory,
    PublicCallFactory,
)

D = datetime.date
DAY = datetime.timedelta(days=1)

pytestmark = pytest.mark.django_db


def _errors(response, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


class TestApplications:
    def test_application_received_after_the_deadline_is_refused(self, staff_client, bchr):
        call = PublicCallFactory()  # deadline 16 April 2018
        response = staff_client.post(
            reverse("partners:application_create", args=[call.pk]),
            {"organisation": bchr.pk, "received_on": "2018-04-17"},
        )
        assert response.status_code == 200
        assert "after the application deadline (2018-04-16)" in " ".join(
            _errors(response, "received_on")
        )
        assert not Application.objects.exists()

    def test_application_received_on_the_deadline_is_accepted(self, staff_client, bchr):
        call = PublicCallFactory()
        response = staff_client.post(
            reverse("partners:application_create", args=[call.pk]),
            {"organisation": bchr.pk, "received_on": "2018-04-16"},
        )
        assert response.status_code == 302
        assert Application.objects.get().received_on == D(2018, 4, 16)

    def test_application_dated_in_the_future_is_refused(self, staff_client, bchr):
        today = timezone.localdate()
        call = PublicCallFactory(published_on=today - DAY, application_deadline=today + 30 * DAY)
        response = staff_client.post(
            reverse("partners:application_create", args=[call.pk]),
            {"organisation": bchr.pk, "received_on": (today + DAY).isoformat()},
        )
        assert response.status_code == 200
        assert "cannot be in the future" in " ".join(_errors(response, "received_on"))
        assert not Application.objects.exists()

    def test_application_before_publication_is_refused(self, staff_client, bchr):
        call = PublicCallFactory()  # published 30 March 2018
        response = staff_client.post(
            reverse("partners:application_create", args=[call.pk]),
            {"organisation": bchr.pk, "received_on": "2018-03-01"},
        )
        assert response.status_code == 200
        assert "before the call was published" in " ".join(_errors(response, "received_on"))

    def test_a_late_application_already_stored_cannot_be_selected(self, staff_client):
        late = ApplicationFactory(received_on=D(2018, 4, 20))  # stored before the rule
        response = staff_client.post(
            reverse("partners:call_decision", args=[late.call.pk]),
            {"number": "71-2018", "decided_on": "2018-05-10", "selected": [late.pk]},
        )
        assert response.status_code == 200
        assert "cannot be selected" in " ".join(_errors(response, "selected"))
        late.refresh_from_db()
        assert late.outcome == Application.Outcome.RECEIVED
        assert late.call.decision_date is None

    def test_the_decision_form_marks_late_applications(self, staff_client):
        late = ApplicationFactory(received_on=D(2018, 4, 20))
        page = staff_client.get(reverse("partners:call_decision", args=[late.call.pk]))
        assert "received after the deadline: cannot be selected" in page.content.decode()

    def test_the_service_refuses_a_future_dated_application(self):
        today = timezone.localdate()
        call = PublicCallFactory(
            published_on=today - 40 * DAY, application_deadline=today + 30 * DAY
        )
        ahead = ApplicationFactory(call=call, received_on=today + 5 * DAY)
        with pytest.raises(Exception, match="cannot be selected"):
            call_record_decision(
                call=call, number="1", decided_on=today + 31 * DAY, selected=[ahead]
            )


@pytest.fixture
def decided_call(bchr, yucom):
    call = PublicCallFactory()
    chosen = ApplicationFactory(call=call, organisation=bchr)
    ApplicationFactory(call=call, organisation=yucom)
    call_record_decision(call=call, number="71-2018", decided_on=D(2018, 5, 10), selected=[chosen])
    return call


def _agreement(organisation, call, **overrides):
    data = {
        "organisation": organisation.pk,
        "call": call.pk,
        "reference_number": "NPM-2018/1",
        "signed_on": "2018-06-01",
        "valid_from": "2018-06-01",
        "valid_until": "2020-05-31",
        "scope_visits": "on",
        "termination_reason": "",
        "notes": "",
    }
    data.update(overrides)
    return data


class TestAgreements:
    def test_agreement_for_an_organisation_not_selected_is_refused(
        self, staff_client, decided_call, yucom
    ):
        response = staff_client.post(
            reverse("partners:agreement_create"), _agreement(yucom, decided_call)
        )
        assert response.status_code == 200
        message = " ".join(_errors(response, "organisation"))
        assert "was not selected by decision 71-2018" in message
        assert not Agreement.objects.exists()

    def test_agreement_for_an_organisation_that_never_applied_is_refused(
        self, staff_client, decided_call
    ):
        stranger = OrganisationFactory()
        response = staff_client.post(
            reverse("partners:agreement_create"), _agreement(stranger, decided_call)
        )
        assert response.status_code == 200
        assert "was not selected" in " ".join(_errors(response, "organisation"))
        assert not Agreement.objects.exists()

    def test_agreement_for_the_selected_organisation_is_recorded(
        self, staff_client, decided_call, bchr
    ):
        response = staff_client.post(
            reverse("partners:agreement_create"), _agreement(bchr, decided_call)
        )
        assert response.status_code == 302
        assert Agreement.objects.get().organisation == bchr

    def test_agreement_under_an_undecided_call_is_refused(self, staff_client, bchr):
        call = PublicCallFactory()
        ApplicationFactory(call=call, organisation=bchr)
        response = staff_client.post(reverse("partners:agreement_create"), _agreement(bchr, call))
        assert response.status_code == 200
        assert "selection decision of this call is not recorded yet" in " ".join(
            _errors(response, "call")
        )
        assert not Agreement.objects.exists()

    def test_agreement_without_a_call_needs_no_decision(self, staff_client, bchr):
        data = _agreement(bchr, PublicCallFactory())
        data["call"] = ""
        response = staff_client.post(reverse("partners:agreement_create"), data)
        assert response.status_code == 302
        assert Agreement.objects.get().call is None


def _member(organisation, **overrides):
    data = {
        "organisation": organisation.pk,
        "first_name": "Milica",
        "last_name": "Jovanović",
        "expertise": "legal",
        "active": "on",
    }
    data.update(overrides)
    return data


class TestMembers:
    def test_pledge_dated_in_the_future_is_refused(self, staff_client, bchr):
        tomorrow = timezone.localdate() + DAY
        response = staff_client.post(
            reverse("partners:member_create"),
            _member(bchr, pledge_signed_on=tomorrow.isoformat()),
        )
        assert response.status_code == 200
        assert "cannot be dated in the future" in " ".join(_errors(response, "pledge_signed_on"))
        assert not Member.objects.exists()

    def test_pledge_signed_today_is_accepted(self, staff_client, bchr):
        today = timezone.localdate()
        response = staff_client.post(
            reverse("partners:member_create"), _member(bchr, pledge_signed_on=today.isoformat())
        )
        assert response.status_code == 302
        assert Member.objects.get().pledge_signed_on == today

    def test_editing_a_pledge_into_the_future_is_refused(self, staff_client, colleague):
        response = staff_client.post(
            reverse("partners:member_edit", args=[colleague.pk]),
            _member(
                colleague.organisation,
                first_name=colleague.first_name,
                last_name=colleague.last_name,
                pledge_signed_on=(timezone.localdate() + 10 * DAY).isoformat(),
            ),
        )
        assert response.status_code == 200
        colleague.refresh_from_db()
        assert colleague.pledge_signed_on == D(2020, 1, 15)

    def test_the_same_member_submitted_twice_is_created_once(self, staff_client, bchr):
        first = staff_client.post(reverse("partners:member_create"), _member(bchr))
        second = staff_client.post(reverse("partners:member_create"), _member(bchr))
        member = Member.objects.get()
        assert first.url == member.get_absolute_url()
        assert second.url == member.get_absolute_url()
        page = staff_client.get(second.url).content.decode()
        assert "already added a moment ago" in page

    def test_a_namesake_added_later_is_a_new_member(self, staff_client, bchr):
        older = MemberFactory(organisation=bchr, first_name="Milica", last_name="Jovanović")
        Member.objects.filter(pk=older.pk).update(
            created_at=timezone.now() - datetime.timedelta(minutes=5)
        )
        response = staff_client.post(reverse("partners:member_create"), _member(bchr))
        assert response.status_code == 302
        assert Member.objects.filter(last_name="Jovanović").count() == 2

    def test_the_same_name_in_another_organisation_is_a_new_member(self, staff_client, bchr, yucom):
        staff_client.post(reverse("partners:member_create"), _member(bchr))
        staff_client.post(reverse("partners:member_create"), _member(yucom))
        assert Member.objects.count() == 2
