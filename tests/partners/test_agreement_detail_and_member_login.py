"""The agreement detail page, and which logins a member profile may be linked to."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from partners.forms import MemberForm
from partners.models import Member
from partners.services import member_link_user
from tests.factories import UserFactory
from tests.factories.partners import AgreementFactory, MemberFactory
from tests.factories.visits import TeamMemberFactory
from tests.partners.conftest import PDF


def member_data(organisation, **overrides):
    data = {
        "organisation": organisation.pk,
        "first_name": "Milica",
        "last_name": "Jovanović",
        "gender": "female",
        "expertise": "interpreter",
        "active": "on",
    }
    data.update(overrides)
    return data


class TestAgreementDetail:
    @pytest.fixture
    def agreement(self, bchr):
        return AgreementFactory(
            organisation=bchr,
            reference_number="NPM-BCHR/9",
            scope_training=True,
            scope_reports=False,
            document=SimpleUploadedFile("agreement.pdf", PDF),
            termination_date=datetime.date(2029, 6, 1),
            termination_reason="Merged into another organisation.",
            notes="Internal: renegotiate the training clause.",
        )

    def test_staff_see_terms_scope_state_and_document(self, staff_client, agreement):
        response = staff_client.get(reverse("partners:agreement_detail", args=[agreement.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert "NPM-BCHR/9" in html
        assert reverse("partners:agreement_document", args=[agreement.pk]) in html
        assert f'data-state="{agreement.state}"' in html
        assert "Merged into another organisation." in html
        assert html.count('data-scope-included="yes"') == 3  # visits, recommendations, training
        assert html.count('data-scope-included="no"') == 2
        assert "renegotiate the training clause" in html  # NPM roles see the notes
        assert reverse("partners:agreement_list") in html  # the way back

    def test_own_partner_member_sees_it_without_internal_notes(
        self, partner_client, own_member, agreement
    ):
        response = partner_client.get(reverse("partners:agreement_detail", args=[agreement.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert "NPM-BCHR/9" in html
        assert "renegotiate the training clause" not in html
        assert reverse("partners:agreement_edit", args=[agreement.pk]) not in html

    def test_other_organisations_member_gets_404(
        self, other_partner_client, other_partner_member, yucom, agreement
    ):
        MemberFactory(organisation=yucom, user=other_partner_member)
        url = reverse("partners:agreement_detail", args=[agreement.pk])
        assert other_partner_client.get(url).status_code == 404

    def test_partner_login_without_member_profile_gets_404(self, partner_client, agreement):
        url = reverse("partners:agreement_detail", args=[agreement.pk])
        assert partner_client.get(url).status_code == 404

    def test_unknown_agreement_is_404(self, staff_client, db):
        assert staff_client.get("/partners/agreements/999999/").status_code == 404

    def test_reached_from_the_list_and_the_organisation(self, compliance_client, agreement):
        url = reverse("partners:agreement_detail", args=[agreement.pk])
        listing = compliance_client.get(reverse("partners:agreement_list"))
        organisation = compliance_client.get(agreement.organisation.get_absolute_url())
        assert f'href="{url}"' in listing.content.decode()
        assert f'href="{url}"' in organisation.content.decode()


class TestMemberLoginChoices:
    def test_only_unlinked_active_partner_logins_are_offered(self, bchr, own_member, staff):
        free = UserFactory(username="free-partner", roles=[Role.PARTNER])
        UserFactory(username="no-role")
        UserFactory(username="gone", roles=[Role.PARTNER], is_active=False)
        UserFactory(username="both", roles=[Role.PARTNER, Role.STAFF])
        UserFactory(username="root", roles=[Role.PARTNER], is_superuser=True)
        offered = list(MemberForm().fields["user"].queryset)
        # own_member's login (partner) is taken; staff is an NPM account.
        assert offered == [free]
        # Editing a member keeps its own login on offer.
        assert own_member.user in MemberForm(instance=own_member).fields["user"].queryset

    @pytest.mark.parametrize("kind", ["npm_staff", "no_role", "linked_elsewhere"])
    def test_posting_another_login_is_a_clear_form_error(
        self, staff_client, staff, bchr, own_member, kind
    ):
        account = {
            "npm_staff": staff,
            "no_role": UserFactory(username="no-role"),
            "linked_elsewhere": own_member.user,
        }[kind]
        response = staff_client.post(
            reverse("partners:member_create"), member_data(bchr, user=account.pk)
        )
        assert response.status_code == 200
        assert "This login cannot be linked" in response.content.decode()
        assert not Member.objects.filter(last_name="Jovanović").exists()
        if kind == "npm_staff":  # nor did the NPM account get the partner role
            assert not staff.groups.filter(name="Partner member").exists()

    def test_service_refuses_npm_accounts(self, db, staff):
        member = MemberFactory()
        with pytest.raises(ValidationError, match="NPM role"):
            member_link_user(member=member, user=staff)
        member.refresh_from_db()
        assert member.user is None
        assert not staff.groups.filter(name="Partner member").exists()


class TestOrganisationPageQueries:
    def test_participation_does_not_cost_a_query_per_member(self, staff_client, bchr):
        def queries() -> tuple[int, str]:
            with CaptureQueriesContext(connection) as captured:
                response = staff_client.get(bchr.get_absolute_url())
            assert response.status_code == 200
            return len(captured), response.content.decode()

        teams = [TeamMemberFactory(member=MemberFactory(organisation=bchr))]
        one, _body = queries()
        teams += [TeamMemberFactory(member=MemberFactory(organisation=bchr)) for _ in range(4)]
        five, body = queries()
        assert five == one
        for team in teams:  # every member's visit is still listed
            assert team.visit.get_absolute_url() in body
