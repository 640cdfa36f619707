import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.roles import Role
from partners.models import (
    Agreement,
    Application,
    Event,
    Member,
    NetworkChair,
    NetworkMembership,
    Organisation,
    Project,
    PublicCall,
)
from tests.factories import UserFactory
from tests.factories.partners import (
    AgreementFactory,
    ApplicationFactory,
    EventFactory,
    MemberFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    ProjectFactory,
    ProjectResultFactory,
    PublicCallFactory,
)
from tests.partners.conftest import PDF, PNG

D = datetime.date


def agreement_data(organisation, **overrides):
    data = {
        "organisation": organisation.pk,
        "reference_number": "NPM-2024/7",
        "signed_on": "2024-01-10",
        "valid_from": "2024-02-01",
        "valid_until": "2027-01-31",
        "scope_visits": "on",
        "scope_reports": "on",
        "termination_reason": "",
        "notes": "",
    }
    data.update(overrides)
    return data


class TestOrganisations:
    def test_list_query_count_does_not_grow(self, staff_client, django_assert_max_num_queries):
        for _ in range(12):
            org = OrganisationFactory()
            AgreementFactory(organisation=org)
            MemberFactory(organisation=org)
        with django_assert_max_num_queries(10):
            response = staff_client.get(reverse("partners:organisation_list"))
        assert len(response.context["page"].object_list) == 12
        assert 'data-state="active"' in response.content.decode()

    def test_list_filters_by_kind_and_search(self, staff_client, bchr):
        OrganisationFactory(name="Austrian Ombudsman Board", kind=Organisation.Kind.FOREIGN_NPM)
        url = reverse("partners:organisation_list")
        by_kind = staff_client.get(url, {"kind": "foreign_npm"})
        assert [o.name for o in by_kind.context["page"].object_list] == ["Austrian Ombudsman Board"]
        by_text = staff_client.get(url, {"q": "bchr"})
        assert [o.name for o in by_text.context["page"].object_list] == [bchr.name]

    def test_bad_filter_value_is_not_a_500(self, staff_client, bchr):
        response = staff_client.get(reverse("partners:organisation_list"), {"kind": "cult"})
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()

    def test_htmx_gets_the_results_fragment(self, staff_client, bchr):
        response = staff_client.get(reverse("partners:organisation_list"), HTTP_HX_REQUEST="true")
        body = response.content.decode()
        assert body.lstrip().startswith('<div id="results">')
        assert bchr.name in body

    def test_detail_shows_agreements_members_and_participation(
        self, staff_client, bchr, bchr_agreement, own_member
    ):
        body = staff_client.get(bchr.get_absolute_url()).content.decode()
        assert "NPM-BCHR/1" in body
        assert "Ana Marković" in body
        assert "Participation in visits" in body
        assert "None yet." in body

    def test_staff_adds_an_organisation(self, staff_client, db):
        response = staff_client.post(
            reverse("partners:organisation_create"),
            {
                "name": "  International  Aid Network ",
                "short_name": "IAN",
                "kind": "association",
                "active": "on",
            },
        )
        org = Organisation.objects.get(short_name="IAN")
        assert response.status_code == 302
        assert response.url == org.get_absolute_url()
        assert org.name == "International Aid Network"
        assert org.history.get().history_user.username == "staff"

    def test_duplicate_name_is_an_error_next_to_the_field(self, staff_client, bchr):
        response = staff_client.post(
            reverse("partners:organisation_create"),
            {"name": "belgrade centre for human rights", "kind": "association"},
        )
        assert response.status_code == 200
        assert "An organisation with this name already exists." in response.content.decode()

    def test_head_edits(self, head_client, bchr):
        response = head_client.post(
            reverse("partners:organisation_edit", args=[bchr.pk]),
            {
                "name": bchr.name,
                "short_name": "BCHR",
                "kind": "association",
                "website": "bgcentar.org.rs",
            },
        )
        assert response.status_code == 302
        bchr.refresh_from_db()
        assert bchr.website == "https://bgcentar.org.rs"
        assert bchr.active is False


class TestCalls:
    def test_staff_records_call_application_and_decision(self, staff_client, bchr, yucom):
        response = staff_client.post(
            reverse("partners:call_create"),
            {
                "title": "Public invitation 2018",
                "gazette_reference": "Official Gazette of the Republic of Serbia No. 25/2018",
                "published_on": "2018-03-30",
                "application_deadline": "2018-04-16",
                "text": "",
            },
        )
        call = PublicCall.objects.get()
        assert response.url == call.get_absolute_url()
        for org in (bchr, yucom):
            staff_client.post(
                reverse("partners:application_create", args=[call.pk]),
                {"organisation": org.pk, "received_on": "2018-04-10"},
            )
        assert call.applications.count() == 2
        selected = call.applications.get(organisation=bchr)
        response = staff_client.post(
            reverse("partners:call_decision", args=[call.pk]),
            {"number": "71-2018", "decided_on": "2018-05-10", "selected": [selected.pk]},
        )
        assert response.status_code == 302
        call.refresh_from_db()
        assert (call.decision_number, call.decision_date) == ("71-2018", D(2018, 5, 10))
        outcomes = dict(call.applications.values_list("organisation__short_name", "outcome"))
        assert outcomes == {"BCHR": "selected", "YUCOM": "not_selected"}
        page = staff_client.get(call.get_absolute_url()).content.decode()
        assert "No. 71-2018" in page

    def test_deadline_before_publication_is_an_error(self, staff_client, db):
        response = staff_client.post(
            reverse("partners:call_create"),
            {"title": "Call", "published_on": "2018-03-30", "application_deadline": "2018-03-01"},
        )
        assert response.status_code == 200
        assert "The deadline cannot be before the publication date." in response.content.decode()
        assert not PublicCall.objects.exists()

    def test_decision_before_deadline_shown_in_the_form(self, staff_client, db):
        application = ApplicationFactory()
        response = staff_client.post(
            reverse("partners:call_decision", args=[application.call.pk]),
            {"number": "1", "decided_on": "2018-04-01", "selected": [application.pk]},
        )
        assert response.status_code == 200
        assert "before the application deadline" in response.content.decode()
        application.refresh_from_db()
        assert application.outcome == Application.Outcome.RECEIVED

    def test_selecting_an_application_of_another_call_is_refused(self, staff_client, db):
        application = ApplicationFactory()
        stranger = ApplicationFactory()
        response = staff_client.post(
            reverse("partners:call_decision", args=[application.call.pk]),
            {"number": "1", "decided_on": "2018-05-01", "selected": [stranger.pk]},
        )
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()

    def test_second_application_of_an_organisation_refused(self, staff_client, db):
        application = ApplicationFactory()
        response = staff_client.post(
            reverse("partners:application_create", args=[application.call.pk]),
            {"organisation": application.organisation.pk, "received_on": "2018-04-12"},
        )
        assert response.status_code == 200
        assert "already applied to this call" in response.content.decode()


class TestAgreements:
    def test_staff_records_an_agreement_with_its_document(self, staff_client, bchr, settings):
        upload = SimpleUploadedFile("Signed agreement.pdf", PDF, content_type="application/pdf")
        response = staff_client.post(
            reverse("partners:agreement_create"), {**agreement_data(bchr), "document": upload}
        )
        assert response.status_code == 302
        assert response.url == bchr.get_absolute_url()
        agreement = Agreement.objects.get()
        assert agreement.scope_visits
        assert agreement.scope_reports
        assert not agreement.scope_training
        assert agreement.document.name.startswith("partners/agreement/")
        assert agreement.document.name.endswith(".pdf")
        download = staff_client.get(reverse("partners:agreement_document", args=[agreement.pk]))
        assert download["Content-Disposition"] == 'attachment; filename="agreement-NPM-2024_7.pdf"'
        assert download["Content-Type"] == "application/pdf"
        assert b"".join(download.streaming_content) == PDF

    def test_until_before_from_is_shown(self, staff_client, bchr):
        response = staff_client.post(
            reverse("partners:agreement_create"),
            agreement_data(bchr, valid_until="2023-01-01"),
        )
        assert response.status_code == 200
        assert "“Valid until” must be after “valid from”." in response.content.decode()
        assert not Agreement.objects.exists()

    def test_overlap_is_shown(self, staff_client, bchr, bchr_agreement):
        response = staff_client.post(reverse("partners:agreement_create"), agreement_data(bchr))
        assert response.status_code == 200
        assert "overlaps agreement NPM-BCHR/1" in response.content.decode()
        assert Agreement.objects.count() == 1

    def test_bad_upload_type_is_shown(self, staff_client, bchr):
        fake = SimpleUploadedFile("agreement.pdf", b"<html>not a pdf</html>")
        response = staff_client.post(
            reverse("partners:agreement_create"), {**agreement_data(bchr), "document": fake}
        )
        assert response.status_code == 200
        assert "is not a PDF, JPEG or PNG document" in response.content.decode()
        assert not Agreement.objects.exists()

    def test_terminating_an_agreement(self, staff_client, bchr, bchr_agreement):
        data = agreement_data(
            bchr,
            reference_number="NPM-BCHR/1",
            signed_on="2019-12-20",
            valid_from="2020-01-01",
            valid_until="2030-12-31",
            termination_date="2024-06-01",
            termination_reason="The association asked to end the cooperation.",
        )
        response = staff_client.post(
            reverse("partners:agreement_edit", args=[bchr_agreement.pk]), data
        )
        assert response.status_code == 302
        bchr_agreement.refresh_from_db()
        assert bchr_agreement.state == Agreement.State.TERMINATED
        assert bchr_agreement.history.count() == 2

    def test_expiring_filter(self, staff_client, bchr, yucom, settings):
        settings.NPM_AGREEMENT_EXPIRY_DAYS = 60
        from django.utils import timezone

        today = timezone.localdate()
        soon = AgreementFactory(
            organisation=bchr,
            valid_from=today - datetime.timedelta(days=300),
            valid_until=today + datetime.timedelta(days=20),
        )
        AgreementFactory(organisation=yucom)
        url = reverse("partners:agreement_list")
        all_rows = staff_client.get(url)
        assert all_rows.context["page"].paginator.count == 2
        response = staff_client.get(url, {"expiring": "on"})
        assert list(response.context["page"].object_list) == [soon]
        assert 'data-state="expiring"' in response.content.decode()
        by_state = staff_client.get(url, {"state": "expiring"})
        assert list(by_state.context["page"].object_list) == [soon]


class TestMembers:
    def test_list_filters_and_query_count(
        self, staff_client, bchr, yucom, django_assert_max_num_queries
    ):
        for _ in range(10):
            MemberFactory(organisation=bchr, expertise=Member.Expertise.PSYCHIATRIST)
        doctor = MemberFactory(organisation=yucom, expertise=Member.Expertise.MEDICAL)
        MemberFactory(organisation=bchr, expertise=Member.Expertise.MEDICAL)
        url = reverse("partners:member_list")
        with django_assert_max_num_queries(10):
            response = staff_client.get(url)
        assert response.context["page"].paginator.count == 12
        filtered = staff_client.get(url, {"expertise": "medical", "organisation": yucom.pk})
        assert list(filtered.context["page"].object_list) == [doctor]

    def test_staff_adds_member_with_login_and_pledge(self, staff_client, bchr):
        account = UserFactory(username="milica", roles=[Role.PARTNER])
        response = staff_client.post(
            reverse("partners:member_create"),
            {
                "organisation": bchr.pk,
                "first_name": "Milica",
                "last_name": "Jovanović",
                "gender": "female",
                "expertise": "interpreter",
                "expertise_note": "Arabic, Farsi",
                "active": "on",
                "user": account.pk,
                "pledge_signed_on": "2024-02-01",
                "pledge_document": SimpleUploadedFile("pledge.png", PNG),
            },
        )
        member = Member.objects.get()
        assert response.status_code == 302
        assert response.url == member.get_absolute_url()
        assert member.user == account
        assert account.groups.filter(name="Partner member").exists()
        assert member.pledge_document.name.startswith("partners/member/")

    def test_editing_keeps_the_stored_pledge(self, staff_client, own_member):
        own_member.pledge_document = SimpleUploadedFile("pledge.pdf", PDF)
        own_member.save()
        stored = own_member.pledge_document.name
        response = staff_client.post(
            reverse("partners:member_edit", args=[own_member.pk]),
            {
                "organisation": own_member.organisation.pk,
                "first_name": "Ana",
                "last_name": "Marković-Ilić",
                "expertise": "legal",
                "active": "on",
                "user": own_member.user.pk,
                "pledge_signed_on": "2020-01-15",
            },
        )
        assert response.status_code == 302
        own_member.refresh_from_db()
        assert own_member.last_name == "Marković-Ilić"
        assert own_member.pledge_document.name == stored

    def test_pledge_scan_needs_its_date(self, staff_client, bchr):
        response = staff_client.post(
            reverse("partners:member_create"),
            {
                "organisation": bchr.pk,
                "first_name": "Milica",
                "last_name": "Jovanović",
                "expertise": "legal",
                "pledge_document": SimpleUploadedFile("pledge.pdf", PDF),
            },
        )
        assert response.status_code == 200
        assert "Give the date the scanned pledge was signed." in response.content.decode()

    def test_profile_shows_why_not_eligible(self, staff_client, db):
        member = MemberFactory(pledge_signed_on=None, first_name="Jovana", last_name="Stojanović")
        body = staff_client.get(member.get_absolute_url()).content.decode()
        assert "Jovana Stojanović has not signed the confidentiality pledge." in body
        assert "has no cooperation agreement in force" in body

    def test_profile_shows_eligible(self, staff_client, bchr_agreement):
        member = MemberFactory(organisation=bchr_agreement.organisation)
        body = staff_client.get(member.get_absolute_url()).content.decode()
        assert "Yes: active, pledge signed" in body


class TestNetwork:
    def test_page_lists_members_observers_chairs_and_meetings(self, staff_client, db):
        network = NetworkFactory(name="South-East Europe NPM Network")
        slovenia = NetworkMembershipFactory(network=network, organisation__name="NPM Slovenia")
        NetworkMembershipFactory(network=network, status="observer", organisation__name="NPM BiH")
        NetworkChair.objects.create(network=network, year=2013, organisation=slovenia.organisation)
        response = staff_client.get(network.get_absolute_url())
        body = response.content.decode()
        assert response.status_code == 200
        assert "NPM Slovenia" in body
        assert "NPM BiH" in body
        assert "Observer" in body
        assert "2013" in body

    def test_staff_adds_membership_chair_group_and_meeting(self, staff_client, db):
        network = NetworkFactory()
        austria = OrganisationFactory(name="Austrian Ombudsman Board", kind="foreign_npm")

        def post(part, data):
            return staff_client.post(
                reverse("partners:network_part_create", args=[network.pk, part]), data
            )

        assert (
            post("membership", {"organisation": austria.pk, "status": "member"}).status_code == 302
        )
        assert post("chair", {"year": 2016, "organisation": austria.pk}).status_code == 302
        assert post("group", {"name": "Medical group"}).status_code == 302
        group = network.working_groups.get()
        meeting = {
            "title": "1st meeting of the Medical Group",
            "working_group": group.pk,
            "starts_on": "2013-10-24",
            "ends_on": "2013-10-25",
            "location": "Belgrade",
        }
        assert post("meeting", meeting).status_code == 302
        assert network.chairs.get().organisation == austria
        assert network.meetings.get().working_group == group
        assert network.chair_in(2016).organisation == austria

    def test_chair_must_be_a_member_and_year_sane(self, staff_client, db):
        network = NetworkFactory()
        outsider = OrganisationFactory()
        response = staff_client.post(
            reverse("partners:network_part_create", args=[network.pk, "chair"]),
            {"year": 20245, "organisation": outsider.pk},
        )
        assert response.status_code == 200
        body = response.content.decode()
        assert "Select a valid choice" in body
        assert "Give a year such as 2024." in body

    def test_meeting_end_before_start(self, staff_client, db):
        network = NetworkFactory()
        response = staff_client.post(
            reverse("partners:network_part_create", args=[network.pk, "meeting"]),
            {"title": "Meeting", "starts_on": "2020-05-02", "ends_on": "2020-05-01"},
        )
        assert response.status_code == 200
        assert "The end cannot be before the start." in response.content.decode()

    def test_unknown_part_is_404(self, staff_client, db):
        network = NetworkFactory()
        url = reverse("partners:network_part_create", args=[network.pk, "banquet"])
        assert staff_client.get(url).status_code == 404

    def test_membership_twice_is_an_error(self, staff_client, db):
        membership = NetworkMembershipFactory()
        response = staff_client.post(
            reverse("partners:network_part_create", args=[membership.network.pk, "membership"]),
            {"organisation": membership.organisation.pk, "status": "observer"},
        )
        assert response.status_code == 200
        assert NetworkMembership.objects.count() == 1


class TestEvents:
    def test_staff_records_event_and_participants(self, staff_client, staff, own_member):
        cpt = OrganisationFactory(name="European Committee for the Prevention of Torture")
        response = staff_client.post(
            reverse("partners:event_create"),
            {
                "title": "Meeting with the CPT delegation",
                "kind": "delegation",
                "starts_on": "2021-11-29",
                "location": "Belgrade",
                "organisations": [cpt.pk],
            },
        )
        event = Event.objects.get()
        assert response.url == event.get_absolute_url()
        url = reverse("partners:participant_create", args=[event.pk])
        assert staff_client.post(url, {"user": staff.pk, "role": "Head"}).status_code == 302
        assert staff_client.post(url, {"member": own_member.pk}).status_code == 302
        assert (
            staff_client.post(url, {"name": "Head of delegation", "affiliation": "CPT"}).status_code
            == 302
        )
        assert event.participants.count() == 3
        body = staff_client.get(event.get_absolute_url()).content.decode()
        assert "Ana Marković" in body
        assert "Head of delegation" in body
        assert cpt.name in body or cpt.short_name in body

    def test_participant_must_be_exactly_one_person(self, staff_client, staff, own_member):
        event = EventFactory()
        url = reverse("partners:participant_create", args=[event.pk])
        both = staff_client.post(url, {"user": staff.pk, "member": own_member.pk})
        none = staff_client.post(url, {"role": "Speaker"})
        for response in (both, none):
            assert response.status_code == 200
            assert "Choose an NPM user, or a partner member" in response.content.decode()
        assert not event.participants.exists()

    def test_list_filters_by_kind(self, staff_client, db):
        EventFactory(title="Training A")
        EventFactory(title="Conference B", kind="conference")
        response = staff_client.get(reverse("partners:event_list"), {"kind": "conference"})
        assert [e.title for e in response.context["page"].object_list] == ["Conference B"]


class TestProjects:
    def test_staff_records_project_and_results(self, staff_client, bchr):
        response = staff_client.post(
            reverse("partners:project_create"),
            {
                "organisation": bchr.pk,
                "title": "Enhancing the asylum protection system",
                "budget": "49890.52",
                "currency": "EUR",
                "starts_on": "2013-04-01",
                "ends_on": "2014-04-30",
            },
        )
        project = Project.objects.get()
        assert response.url == project.get_absolute_url()
        url = reverse("partners:result_create", args=[project.pk])
        data = {
            "order": 3,
            "description": "Free legal aid",
            "target_value": "500",
            "achieved_value": "125",
        }
        assert staff_client.post(url, data).status_code == 302
        result = project.results.get()
        body = staff_client.get(project.get_absolute_url()).content.decode()
        assert "49890.52 EUR" in body
        assert '<progress max="100" value="25"' in body
        edit = reverse("partners:result_edit", args=[project.pk, result.pk])
        assert staff_client.post(edit, {**data, "achieved_value": "500"}).status_code == 302
        result.refresh_from_db()
        assert result.progress_percent == 100

    def test_negative_values_and_reversed_dates_refused(self, staff_client, bchr):
        response = staff_client.post(
            reverse("partners:project_create"),
            {
                "organisation": bchr.pk,
                "title": "P",
                "budget": "-5",
                "currency": "EUR",
                "starts_on": "2014-04-01",
                "ends_on": "2013-04-30",
            },
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert "The budget cannot be negative." in body
        assert "The end cannot be before the start." in body
        project = ProjectFactory()
        bad = staff_client.post(
            reverse("partners:result_create", args=[project.pk]),
            {"order": 1, "description": "x", "target_value": "-1"},
        )
        assert bad.status_code == 200
        assert not project.results.exists()

    def test_result_of_another_project_is_404(self, staff_client, db):
        result = ProjectResultFactory()
        other = ProjectFactory()
        url = reverse("partners:result_edit", args=[other.pk, result.pk])
        assert staff_client.get(url).status_code == 404


@pytest.mark.parametrize(
    "name",
    ["partners:call_list", "partners:network_list", "partners:event_list", "partners:project_list"],
)
def test_empty_lists_render(staff_client, db, name):
    response = staff_client.get(reverse(name))
    assert response.status_code == 200
    assert "nav-tabs" in response.content.decode()


def test_call_list_shows_decision(staff_client, db):
    call = PublicCallFactory(decision_number="71-2018", decision_date=D(2018, 5, 10))
    ApplicationFactory(call=call, outcome="selected")
    body = staff_client.get(reverse("partners:call_list")).content.decode()
    assert "71-2018" in body
    assert "1 selected" in body
