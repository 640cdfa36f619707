"""Validation gaps around a visit: whom the team form offers, revealing an identity after a
re-authentication, and which earlier visits a follow-up checklist covers."""

import datetime as dt

import pytest
from django.urls import reverse

from core.roles import Role
from recommendations.models import FollowUpCheck
from tests.factories import PASSWORD, UserFactory
from tests.factories.visits import MemberFactory, TeamMemberFactory, VisitFactory, local
from tests.recommendations.compliance_helpers import issued_case, visit_at
from visits import services
from visits.forms import TeamMemberForm
from visits.models import AccessAction, AccessLog, TeamMember

pytestmark = pytest.mark.django_db


def _offered(form, field: str) -> set[int]:
    return {int(str(value)) for value, _label in form.fields[field].choices if value}


class TestTeamList:
    def test_only_eligible_members_not_yet_on_the_team_are_offered(self):
        visit = VisitFactory()
        eligible = MemberFactory()
        on_team = MemberFactory()
        TeamMemberFactory(visit=visit, member=on_team)
        no_pledge = MemberFactory(pledge_signed_on=None)
        no_agreement = MemberFactory(agreement=False)
        inactive = MemberFactory(active=False)
        offered = _offered(TeamMemberForm(visit=visit), "member")
        assert eligible.pk in offered
        assert not offered & {on_team.pk, no_pledge.pk, no_agreement.pk, inactive.pk}

    def test_only_npm_staff_not_yet_on_the_team_are_offered(self, staff, head, partner_member):
        visit = VisitFactory()
        TeamMemberFactory(visit=visit, user=head, role=TeamMember.Role.HEAD)
        compliance = UserFactory(username="officer", roles=[Role.COMPLIANCE])
        offered = _offered(TeamMemberForm(visit=visit), "user")
        assert staff.pk in offered
        assert not offered & {head.pk, partner_member.pk, compliance.pk}

    def test_the_team_page_lists_only_whom_it_may_add(self, staff_client, staff, head):
        visit = VisitFactory()
        TeamMemberFactory(visit=visit, user=staff)
        eligible = MemberFactory(first_name="Offered", last_name="Expert")
        MemberFactory(first_name="Unsigned", last_name="Expert", pledge_signed_on=None)
        page = staff_client.get(reverse("visits:visit_team", args=[visit.pk])).content.decode()
        assert "Offered Expert" in page
        assert "Unsigned Expert" not in page
        response = staff_client.post(
            reverse("visits:visit_team", args=[visit.pk]),
            {"member": eligible.pk, "role": "member"},
        )
        assert response.status_code == 302
        page = staff_client.get(reverse("visits:visit_team", args=[visit.pk])).content.decode()
        assert f'<option value="{eligible.pk}"' not in page

    def test_a_stale_choice_is_refused_with_the_reason(self, staff_client):
        """A member who lost eligibility after the page was drawn: the service says why."""
        visit = VisitFactory()
        member = MemberFactory(pledge_signed_on=None)
        response = staff_client.post(
            reverse("visits:visit_team", args=[visit.pk]), {"member": member.pk, "role": "member"}
        )
        assert response.status_code == 200
        assert "confidentiality pledge" in response.content.decode()
        assert not visit.team.exists()


SECRET_NAME = "Petar Petrović Tajni"


class TestRevealAfterReauthentication:
    @pytest.fixture
    def interview(self, staff):
        return services.interview_create(
            visit=VisitFactory(),
            interviewee="detainee",
            notes="Alleges beating.",
            identity={"full_name": SECRET_NAME},
            by=staff,
        )

    def test_the_identity_is_revealed_on_return_and_logged_once(
        self, head_client, interview, settings
    ):
        settings.NPM_REQUIRE_REAUTH = True
        url = reverse("visits:interview_detail", args=[interview.visit.pk, interview.pk])
        asked = head_client.post(url)
        assert asked.status_code == 302
        assert asked.url.startswith(reverse("reauthenticate"))
        assert not AccessLog.objects.filter(action=AccessAction.REVEAL_IDENTITY).exists()

        back = head_client.post(asked.url, {"password": PASSWORD})
        assert back.status_code == 302
        assert back.url == url
        page = head_client.get(back.url)
        assert SECRET_NAME in page.content.decode()
        assert AccessLog.objects.filter(action=AccessAction.REVEAL_IDENTITY).count() == 1

        # The pending reveal was used: opening the page again shows the button, not the name.
        again = head_client.get(url).content.decode()
        assert SECRET_NAME not in again
        assert AccessLog.objects.filter(action=AccessAction.REVEAL_IDENTITY).count() == 1

    def test_a_get_without_a_pending_reveal_reveals_nothing(self, head_client, interview, settings):
        settings.NPM_REQUIRE_REAUTH = True
        url = reverse("visits:interview_detail", args=[interview.visit.pk, interview.pk])
        session = head_client.session
        session["npm_reauth_at"] = int(dt.datetime.now().timestamp())  # noqa: DTZ005
        session.save()
        assert SECRET_NAME not in head_client.get(url).content.decode()
        assert not AccessLog.objects.filter(action=AccessAction.REVEAL_IDENTITY).exists()

    def test_a_pending_reveal_is_for_its_interview_only(self, head_client, interview, settings):
        settings.NPM_REQUIRE_REAUTH = True
        other = services.interview_create(
            visit=interview.visit, interviewee="staff", identity={"full_name": "Other Name"}
        )
        url = reverse("visits:interview_detail", args=[interview.visit.pk, interview.pk])
        asked = head_client.post(url)
        head_client.post(asked.url, {"password": PASSWORD})
        other_url = reverse("visits:interview_detail", args=[other.visit.pk, other.pk])
        assert "Other Name" not in head_client.get(other_url).content.decode()
        assert SECRET_NAME not in head_client.get(url).content.decode()
        assert not AccessLog.objects.filter(action=AccessAction.REVEAL_IDENTITY).exists()


class TestFollowUpChecklistDates:
    def test_a_visit_conducted_before_its_planned_date_is_on_the_checklist(self):
        visit, _institution, _ministry, recommendations = issued_case()
        # Planned for March, conducted in September of the year before.
        visit.planned_start = local(2026, 3, 1, 9, 0)
        visit.planned_end = local(2026, 3, 1, 15, 0)
        visit.actual_start = local(2025, 9, 10, 9, 0)
        visit.actual_end = local(2025, 9, 10, 15, 0)
        visit.save()
        follow_up = visit_at(
            visit.place, day=dt.date(2026, 2, 10), kind="follow_up", status="planned"
        )
        lines = set(
            FollowUpCheck.objects.filter(visit=follow_up).values_list("recommendation", flat=True)
        )
        assert lines == {rec.pk for rec in recommendations}

    def test_a_visit_conducted_after_the_follow_up_is_not(self):
        visit, _institution, _ministry, _recommendations = issued_case()
        # Planned before the follow-up, but conducted after it.
        visit.actual_start = local(2026, 3, 1, 9, 0)
        visit.actual_end = local(2026, 3, 1, 15, 0)
        visit.save()
        follow_up = visit_at(
            visit.place, day=dt.date(2026, 2, 10), kind="follow_up", status="planned"
        )
        assert not FollowUpCheck.objects.filter(visit=follow_up).exists()
