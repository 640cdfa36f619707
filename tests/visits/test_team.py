import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.roles import Role
from tests.factories import PlaceFactory, UserFactory
from tests.factories.visits import (
    AgreementFactory,
    MemberFactory,
    OrganisationFactory,
    TeamMemberFactory,
    VisitFactory,
)
from visits import services
from visits.models import Place, TeamMember


@pytest.fixture
def visit(db):
    return VisitFactory(place=PlaceFactory(holds_women=False))


class TestEligibility:
    def test_eligible_member_joins(self, visit):
        member = MemberFactory()
        team_member = services.team_member_add(visit=visit, role="member", member=member)
        assert team_member.member == member
        assert list(member.team_memberships.all()) == [team_member]

    def test_member_without_pledge_is_refused_with_the_reason(self, visit):
        member = MemberFactory(pledge_signed_on=None, first_name="Jovana", last_name="S")
        with pytest.raises(ValidationError) as error:
            services.team_member_add(visit=visit, role="member", member=member)
        assert "confidentiality pledge" in str(error.value)
        assert not TeamMember.objects.exists()

    def test_member_of_organisation_without_agreement_is_refused(self, visit):
        member = MemberFactory(agreement=False)
        with pytest.raises(ValidationError, match="no cooperation agreement in force"):
            services.team_member_add(visit=visit, role="member", member=member)

    def test_eligibility_is_judged_on_the_day_of_the_visit(self, db):
        organisation = OrganisationFactory()
        AgreementFactory(
            organisation=organisation,
            valid_from=dt.date(2018, 6, 1),
            valid_until=dt.date(2021, 5, 31),
        )
        member = MemberFactory(organisation=organisation)
        old = VisitFactory(
            planned_start=dt.datetime(2019, 5, 5, 9, tzinfo=dt.UTC),
            planned_end=dt.datetime(2019, 5, 5, 15, tzinfo=dt.UTC),
        )
        services.team_member_add(visit=old, role="member", member=member)
        with pytest.raises(ValidationError, match="no cooperation agreement"):
            services.team_member_add(visit=VisitFactory(), role="member", member=member)

    def test_form_shows_the_refusal_next_to_the_member_field(self, staff_client, visit):
        member = MemberFactory(pledge_signed_on=None)
        response = staff_client.post(
            reverse("visits:visit_team", args=[visit.pk]), {"member": member.pk, "role": "member"}
        )
        assert response.status_code == 200
        body = response.content.decode()
        assert "has not signed the confidentiality pledge" in body
        assert 'id="error_1_id_member"' in body


class TestOneHead:
    def test_second_head_is_refused(self, visit, staff, head):
        services.team_member_add(visit=visit, role="head", user=staff)
        with pytest.raises(ValidationError, match="already has a head"):
            services.team_member_add(visit=visit, role="head", user=head)

    def test_database_also_refuses_two_heads(self, visit, staff, head):
        TeamMemberFactory(visit=visit, user=staff, role="head")
        with pytest.raises(IntegrityError), transaction.atomic():
            TeamMemberFactory(visit=visit, user=head, role="head")

    def test_same_person_once(self, visit, staff):
        services.team_member_add(visit=visit, role="member", user=staff)
        with pytest.raises(ValidationError, match="already on the team"):
            services.team_member_add(visit=visit, role="observer", user=staff)

    def test_user_or_member_not_both(self, visit, staff):
        with pytest.raises(ValidationError):
            services.team_member_add(visit=visit, role="member", user=staff, member=MemberFactory())


class TestWarnings:
    def test_place_holding_women_without_a_woman_on_the_team(self, db, staff):
        visit = VisitFactory(place=PlaceFactory(holds_women=True))
        services.team_member_add(visit=visit, role="head", user=staff)
        assert any("no woman" in w for w in services.visit_team_warnings(visit=visit))
        services.team_member_add(visit=visit, role="member", member=MemberFactory(gender="female"))
        assert not any("no woman" in w for w in services.visit_team_warnings(visit=visit))

    def test_psychiatric_visit_without_a_medical_expert(self, db, staff):
        visit = VisitFactory(place=PlaceFactory(category=Place.Category.PSYCHIATRIC))
        services.team_member_add(visit=visit, role="head", user=staff)
        assert any("medical expert" in w for w in services.visit_team_warnings(visit=visit))
        doctor = MemberFactory(expertise="medical")
        services.team_member_add(visit=visit, role="medical", member=doctor)
        assert not any("medical expert" in w for w in services.visit_team_warnings(visit=visit))

    def test_police_station_needs_no_medical_expert(self, visit, staff):
        services.team_member_add(visit=visit, role="head", user=staff)
        assert services.visit_team_warnings(visit=visit) == []

    def test_warnings_do_not_block(self, staff_client, db, staff):
        visit = VisitFactory(place=PlaceFactory(holds_women=True))
        response = staff_client.post(
            reverse("visits:visit_team", args=[visit.pk]), {"user": staff.pk, "role": "head"}
        )
        assert response.status_code == 302
        page = staff_client.get(reverse("visits:visit_team", args=[visit.pk]))
        assert "the team has no woman" in page.content.decode()


class TestTeamPage:
    def test_htmx_add_returns_the_team_section(self, staff_client, visit, staff):
        response = staff_client.post(
            reverse("visits:visit_team", args=[visit.pk]),
            {"user": staff.pk, "role": "head"},
            HTTP_HX_REQUEST="true",
        )
        body = response.content.decode()
        assert body.lstrip().startswith('<div id="team-section"')
        assert "added to the team" in body
        assert TeamMember.objects.get().role == "head"

    def test_empty_post_shows_an_error(self, staff_client, visit):
        response = staff_client.post(reverse("visits:visit_team", args=[visit.pk]), {})
        assert response.status_code == 200
        assert "This field is required" in response.content.decode()

    def test_only_npm_staff_are_offered_as_staff(self, staff_client, visit, partner_member):
        UserFactory(username="other", roles=[Role.COMPLIANCE])
        response = staff_client.get(reverse("visits:visit_team", args=[visit.pk]))
        users = set(
            response.context["form"].fields["user"].queryset.values_list("username", flat=True)
        )
        assert users == {"staff"}

    def test_remove(self, staff_client, visit, staff):
        member = TeamMemberFactory(visit=visit, user=staff)
        url = reverse("visits:team_member_remove", args=[visit.pk, member.pk])
        # Without the confirmation page's "Yes": back to that page, nobody removed.
        response = staff_client.post(url)
        assert response.url == reverse(
            "visits:team_member_remove_confirm", args=[visit.pk, member.pk]
        )
        assert TeamMember.objects.exists()
        assert staff_client.post(url, {"confirm": "yes"}).status_code == 302
        assert not TeamMember.objects.exists()

    def test_partner_on_team_cannot_add(self, partner_client, visit, on_team, staff):
        on_team(visit)
        assert partner_client.get(reverse("visits:visit_team", args=[visit.pk])).status_code == 200
        response = partner_client.post(
            reverse("visits:visit_team", args=[visit.pk]), {"user": staff.pk, "role": "member"}
        )
        assert response.status_code == 403
        assert TeamMember.objects.count() == 1
