import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from partners.models import Application
from partners.services import (
    call_record_decision,
    member_check_team_eligibility,
    member_link_user,
    member_team_eligibility,
)
from tests.factories import UserFactory
from tests.factories.partners import (
    AgreementFactory,
    ApplicationFactory,
    MemberFactory,
    PublicCallFactory,
)

D = datetime.date
VISIT_DAY = D(2024, 5, 14)


@pytest.fixture
def eligible(db):
    agreement = AgreementFactory(valid_from=D(2020, 1, 1), valid_until=D(2026, 12, 31))
    return MemberFactory(
        organisation=agreement.organisation,
        first_name="Ana",
        last_name="Marković",
        pledge_signed_on=D(2020, 1, 15),
    )


class TestTeamEligibility:
    def test_eligible_member_has_no_reasons(self, eligible):
        assert member_team_eligibility(member=eligible, on_date=VISIT_DAY) == []
        member_check_team_eligibility(member=eligible, on_date=VISIT_DAY)  # does not raise

    def test_inactive_member(self, eligible):
        eligible.active = False
        assert member_team_eligibility(member=eligible, on_date=VISIT_DAY) == [
            "Ana Marković is not an active member."
        ]

    def test_no_pledge(self, eligible):
        eligible.pledge_signed_on = None
        assert member_team_eligibility(member=eligible, on_date=VISIT_DAY) == [
            "Ana Marković has not signed the confidentiality pledge."
        ]

    def test_pledge_signed_after_the_visit(self, eligible):
        eligible.pledge_signed_on = D(2024, 5, 15)
        assert member_team_eligibility(member=eligible, on_date=VISIT_DAY) == [
            "Ana Marković signed the confidentiality pledge only on 2024-05-15, after 2024-05-14."
        ]

    def test_pledge_signed_on_the_visit_day_is_enough(self, eligible):
        eligible.pledge_signed_on = VISIT_DAY
        assert member_team_eligibility(member=eligible, on_date=VISIT_DAY) == []

    def test_no_agreement_in_force(self, eligible):
        reasons = member_team_eligibility(member=eligible, on_date=D(2027, 1, 1))
        org = eligible.organisation.short_name
        assert reasons == [f"{org} has no cooperation agreement in force on 2027-01-01."]

    def test_terminated_agreement_is_not_in_force(self, eligible):
        agreement = eligible.organisation.agreements.get()
        agreement.termination_date = D(2024, 5, 1)
        agreement.termination_reason = "Dissolved"
        agreement.save()
        reasons = member_team_eligibility(member=eligible, on_date=VISIT_DAY)
        assert reasons == [
            f"{eligible.organisation.short_name} has no cooperation agreement in force "
            "on 2024-05-14."
        ]

    def test_unsigned_agreement_is_not_in_force(self, db):
        draft = AgreementFactory(signed_on=None)
        member = MemberFactory(organisation=draft.organisation)
        assert len(member_team_eligibility(member=member, on_date=VISIT_DAY)) == 1

    def test_agreement_not_covering_visits(self, eligible):
        eligible.organisation.agreements.update(scope_visits=False)
        org = eligible.organisation.short_name
        assert member_team_eligibility(member=eligible, on_date=VISIT_DAY) == [
            f"The agreement of {org} in force on 2024-05-14 does not cover visits."
        ]

    def test_every_failing_condition_is_reported(self, db):
        member = MemberFactory(active=False, pledge_signed_on=None)
        reasons = member_team_eligibility(member=member, on_date=VISIT_DAY)
        assert len(reasons) == 3
        with pytest.raises(ValidationError) as error:
            member_check_team_eligibility(member=member, on_date=VISIT_DAY)
        assert error.value.messages == reasons


class TestSelectionDecision:
    @pytest.fixture
    def call(self, db):
        call = PublicCallFactory(application_deadline=D(2018, 4, 16))
        for _ in range(3):
            ApplicationFactory(call=call)
        return call

    def test_marks_selected_and_not_selected_in_one_step(self, call):
        first, second, third = call.applications.order_by("pk")
        call_record_decision(
            call=call, number=" 2018/17 ", decided_on=D(2018, 5, 10), selected=[first, third]
        )
        call.refresh_from_db()
        assert call.decision_number == "2018/17"
        assert call.decision_date == D(2018, 5, 10)
        outcomes = dict(call.applications.values_list("pk", "outcome"))
        assert outcomes == {
            first.pk: Application.Outcome.SELECTED,
            second.pk: Application.Outcome.NOT_SELECTED,
            third.pk: Application.Outcome.SELECTED,
        }
        assert first.history.count() == 2  # created, then selected

    def test_correcting_the_decision_changes_outcomes(self, call):
        first, second, _third = call.applications.order_by("pk")
        call_record_decision(call=call, number="1", decided_on=D(2018, 5, 10), selected=[first])
        call_record_decision(call=call, number="1", decided_on=D(2018, 5, 10), selected=[second])
        first.refresh_from_db()
        second.refresh_from_db()
        assert first.outcome == Application.Outcome.NOT_SELECTED
        assert second.outcome == Application.Outcome.SELECTED

    def test_decision_not_before_the_deadline(self, call):
        with pytest.raises(ValidationError) as error:
            call_record_decision(call=call, number="1", decided_on=D(2018, 4, 15), selected=[])
        assert "decided_on" in error.value.message_dict
        call.refresh_from_db()
        assert call.decision_date is None
        assert not call.applications.exclude(outcome=Application.Outcome.RECEIVED).exists()

    def test_only_applications_of_this_call(self, call):
        stranger = ApplicationFactory()
        with pytest.raises(ValidationError) as error:
            call_record_decision(
                call=call, number="1", decided_on=D(2018, 5, 1), selected=[stranger]
            )
        assert "selected" in error.value.message_dict
        stranger.refresh_from_db()
        assert stranger.outcome == Application.Outcome.RECEIVED

    def test_number_required(self, call):
        with pytest.raises(ValidationError) as error:
            call_record_decision(call=call, number="  ", decided_on=D(2018, 5, 1), selected=[])
        assert "number" in error.value.message_dict


class TestMemberLogin:
    def test_linking_gives_the_partner_role(self, db):
        member = MemberFactory()
        user = UserFactory()
        member_link_user(member=member, user=user)
        member.refresh_from_db()
        assert member.user == user
        assert user.groups.filter(name="Partner member").exists()

    def test_group_name_can_be_given(self, db):
        member = MemberFactory()
        user = UserFactory()
        member_link_user(member=member, user=user, group_name="Visiting experts")
        assert list(user.groups.values_list("name", flat=True)) == ["Visiting experts"]
        assert Group.objects.filter(name="Visiting experts").exists()

    def test_an_account_belongs_to_one_member(self, db):
        user = UserFactory()
        taken = MemberFactory(user=user)
        other = MemberFactory()
        with pytest.raises(ValidationError, match="already belongs"):
            member_link_user(member=other, user=user)
        other.refresh_from_db()
        assert other.user is None
        assert taken.user == user
