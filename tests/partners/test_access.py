"""Who sees and changes what: 404 when a row is not theirs to see, 403 when they may only read."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import UserFactory
from tests.factories.partners import (
    EventFactory,
    NetworkFactory,
    ProjectFactory,
    PublicCallFactory,
)
from tests.partners.conftest import PDF


@pytest.fixture
def everything(bchr_agreement, yucom_agreement, own_member, colleague, other_member):
    bchr_agreement.document = SimpleUploadedFile("signed.pdf", PDF)
    bchr_agreement.save()
    yucom_agreement.document = SimpleUploadedFile("signed.pdf", PDF)
    yucom_agreement.save()
    for member in (own_member, other_member, colleague):
        member.pledge_document = SimpleUploadedFile("pledge.pdf", PDF)
        member.save()
    return {
        "call": PublicCallFactory(),
        "network": NetworkFactory(),
        "event": EventFactory(),
        "project": ProjectFactory(organisation=bchr_agreement.organisation),
    }


def get(client, name, *args):
    return client.get(reverse(name, args=args))


class TestPartnerMember:
    def test_sees_own_organisation(self, partner_client, bchr, everything):
        response = get(partner_client, "partners:organisation_detail", bchr.pk)
        assert response.status_code == 200
        assert "NPM-BCHR/1" in response.content.decode()

    def test_partner_cannot_open_other_organisation(self, partner_client, yucom, everything):
        assert get(partner_client, "partners:organisation_detail", yucom.pk).status_code == 404

    def test_cannot_edit_other_organisation_404_own_403(self, partner_client, bchr, yucom):
        assert get(partner_client, "partners:organisation_edit", yucom.pk).status_code == 404
        # own_member is not requested: without a profile the own organisation is not theirs.
        assert get(partner_client, "partners:organisation_edit", bchr.pk).status_code == 404

    def test_may_not_edit_own_organisation(self, partner_client, bchr, own_member):
        assert get(partner_client, "partners:organisation_edit", bchr.pk).status_code == 403
        response = partner_client.post(
            reverse("partners:organisation_edit", args=[bchr.pk]), {"name": "Renamed"}
        )
        assert response.status_code == 403
        bchr.refresh_from_db()
        assert bchr.name == "Belgrade Centre for Human Rights"

    def test_organisation_list_shows_only_own(self, partner_client, everything, bchr):
        response = get(partner_client, "partners:organisation_list")
        assert response.status_code == 200
        assert [o.pk for o in response.context["page"].object_list] == [bchr.pk]
        assert "Lawyers&#x27; Committee" not in response.content.decode()

    def test_own_profile_yes_colleague_and_others_no(
        self, partner_client, own_member, colleague, other_member
    ):
        assert get(partner_client, "partners:member_detail", own_member.pk).status_code == 200
        assert get(partner_client, "partners:member_detail", colleague.pk).status_code == 404
        assert get(partner_client, "partners:member_detail", other_member.pk).status_code == 404
        assert get(partner_client, "partners:member_edit", own_member.pk).status_code == 403

    def test_colleague_is_listed_but_not_linked_and_participation_hidden(
        self, partner_client, bchr, own_member, colleague
    ):
        rows = dict(
            get(partner_client, "partners:organisation_detail", bchr.pk).context["member_rows"]
        )
        assert rows[own_member] is not None
        assert rows[colleague] is None

    @pytest.mark.parametrize(
        "name",
        [
            "partners:call_list",
            "partners:agreement_list",
            "partners:member_list",
            "partners:network_list",
            "partners:event_list",
            "partners:project_list",
        ],
    )
    def test_list_pages_do_not_exist_for_partners(self, partner_client, own_member, name):
        assert get(partner_client, name).status_code == 404

    @pytest.mark.parametrize(
        ("name", "key"),
        [
            ("partners:call_detail", "call"),
            ("partners:network_detail", "network"),
            ("partners:event_detail", "event"),
            ("partners:project_detail", "project"),
        ],
    )
    def test_detail_pages_do_not_exist_for_partners(self, partner_client, everything, name, key):
        assert get(partner_client, name, everything[key].pk).status_code == 404

    def test_downloads_own_organisation_agreement_only(
        self, partner_client, bchr_agreement, yucom_agreement, everything
    ):
        own = get(partner_client, "partners:agreement_document", bchr_agreement.pk)
        assert own.status_code == 200
        assert own["Content-Disposition"].startswith("attachment")
        assert b"".join(own.streaming_content) == PDF
        other = get(partner_client, "partners:agreement_document", yucom_agreement.pk)
        assert other.status_code == 404

    def test_downloads_own_pledge_only(
        self, partner_client, own_member, colleague, other_member, everything
    ):
        assert get(partner_client, "partners:member_pledge", own_member.pk).status_code == 200
        assert get(partner_client, "partners:member_pledge", colleague.pk).status_code == 404
        assert get(partner_client, "partners:member_pledge", other_member.pk).status_code == 404

    def test_tabs_show_only_organisations(self, partner_client, bchr, own_member):
        body = get(partner_client, "partners:organisation_detail", bchr.pk).content.decode()
        assert reverse("partners:organisation_list") in body
        assert reverse("partners:agreement_list") not in body
        assert reverse("partners:call_list") not in body


class TestComplianceOfficer:
    def test_reads_everything(self, compliance_client, everything, bchr, own_member):
        for name, args in [
            ("partners:organisation_list", []),
            ("partners:organisation_detail", [bchr.pk]),
            ("partners:call_list", []),
            ("partners:call_detail", [everything["call"].pk]),
            ("partners:agreement_list", []),
            ("partners:member_list", []),
            ("partners:member_detail", [own_member.pk]),
            ("partners:network_detail", [everything["network"].pk]),
            ("partners:event_detail", [everything["event"].pk]),
            ("partners:project_detail", [everything["project"].pk]),
        ]:
            assert get(compliance_client, name, *args).status_code == 200, name

    def test_changes_nothing(self, compliance_client, everything, bchr, bchr_agreement, own_member):
        for name, args in [
            ("partners:organisation_create", []),
            ("partners:organisation_edit", [bchr.pk]),
            ("partners:agreement_edit", [bchr_agreement.pk]),
            ("partners:member_edit", [own_member.pk]),
            ("partners:call_decision", [everything["call"].pk]),
            ("partners:network_edit", [everything["network"].pk]),
            ("partners:event_edit", [everything["event"].pk]),
            ("partners:project_edit", [everything["project"].pk]),
        ]:
            assert get(compliance_client, name, *args).status_code == 403, name

    def test_no_edit_buttons(self, compliance_client, bchr):
        body = get(compliance_client, "partners:organisation_detail", bchr.pk).content.decode()
        assert reverse("partners:organisation_edit", args=[bchr.pk]) not in body


@pytest.mark.parametrize("client_fixture", ["staff_client", "head_client"])
def test_staff_and_head_may_edit(request, client_fixture, bchr, own_member, bchr_agreement):
    client = request.getfixturevalue(client_fixture)
    assert get(client, "partners:organisation_edit", bchr.pk).status_code == 200
    assert get(client, "partners:member_edit", own_member.pk).status_code == 200
    assert get(client, "partners:agreement_edit", bchr_agreement.pk).status_code == 200


def test_missing_rows_are_404_for_staff(staff_client, db):
    assert get(staff_client, "partners:organisation_detail", 999).status_code == 404
    assert get(staff_client, "partners:agreement_document", 999).status_code == 404


def test_agreement_without_document_is_404(staff_client, bchr_agreement):
    assert get(staff_client, "partners:agreement_document", bchr_agreement.pk).status_code == 404


def test_user_without_role_is_refused(client, bchr):
    client.force_login(UserFactory())
    assert get(client, "partners:organisation_list").status_code == 403
    assert get(client, "partners:organisation_detail", bchr.pk).status_code == 404


def test_anonymous_goes_to_login(anonymous_client, bchr):
    response = get(anonymous_client, "partners:organisation_detail", bchr.pk)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
