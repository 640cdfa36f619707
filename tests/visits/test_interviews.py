import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from tests.factories.visits import TeamMemberFactory, VisitFactory
from visits import services
from visits.models import (
    AccessAction,
    AccessLog,
    FollowUp,
    Interview,
    InterviewIdentity,
    TeamMember,
)

SECRET_NAME = "Petar Petrović-Njegoš"


def raw_identity_row(identity: InterviewIdentity) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT full_name, date_of_birth, location, other_identifiers "
            "FROM visits_interviewidentity WHERE id = %s",
            [identity.pk],
        )
        return cursor.fetchone()


@pytest.fixture
def interview(db, staff):
    visit = VisitFactory()
    return services.interview_create(
        visit=visit,
        interviewee="detainee",
        notes="Alleges beating in the car.",
        allegation=True,
        identity={"full_name": SECRET_NAME, "date_of_birth": "1990-04-01", "location": "Cell 3"},
        by=staff,
    )


class TestCodesAndFollowUps:
    def test_codes_are_generated_per_visit(self, db):
        # A year no other factory visit has: the factory's numbers never collide with 14.
        visit = VisitFactory(year=2019, number=14)
        first = services.interview_create(visit=visit, interviewee="detainee")
        second = services.interview_create(visit=visit, interviewee="staff")
        third = services.interview_create(visit=visit, interviewee="detainee")
        other = services.interview_create(visit=VisitFactory(), interviewee="detainee")
        assert [first.code, second.code, third.code] == [
            "V-2019-014-I01",
            "V-2019-014-I02",
            "V-2019-014-I03",
        ]
        assert other.code.endswith("-I01")

    def test_no_identity_row_when_nothing_identifying_is_given(self, db):
        interview = services.interview_create(
            visit=VisitFactory(), interviewee="staff", identity={"full_name": " "}
        )
        assert not InterviewIdentity.objects.filter(interview=interview).exists()

    def test_high_reprisal_risk_opens_a_follow_up_until_checked(self, db, staff):
        visit = VisitFactory()
        interview = services.interview_create(
            visit=visit, interviewee="detainee", reprisal_risk="high"
        )
        follow_up = FollowUp.objects.get(interview=interview)
        assert follow_up.place == visit.place
        assert interview.code in follow_up.description
        assert list(FollowUp.objects.open()) == [follow_up]
        services.follow_up_record_check(follow_up=follow_up, note="Seen; no reprisals.", by=staff)
        assert not FollowUp.objects.open().exists()

    def test_low_risk_opens_nothing(self, db):
        services.interview_create(visit=VisitFactory(), interviewee="detainee", reprisal_risk="low")
        assert not FollowUp.objects.exists()

    def test_follow_up_shows_on_place_page_and_next_visit(self, staff_client, db):
        visit = VisitFactory()
        services.interview_create(visit=visit, interviewee="detainee", reprisal_risk="high")
        later = VisitFactory(
            place=visit.place,
            planned_start=visit.planned_start + __import__("datetime").timedelta(days=60),
        )
        place_page = staff_client.get(reverse("visits:place_detail", args=[visit.place.pk]))
        assert "High risk of reprisals" in place_page.content.decode()
        next_visit = staff_client.get(reverse("visits:visit_detail", args=[later.pk]))
        assert "High risk of reprisals" in next_visit.content.decode()
        follow_up = FollowUp.objects.get()
        url = reverse("visits:follow_up_check", args=[later.pk, follow_up.pk])
        assert "This field is required" in staff_client.post(url, {}).content.decode()
        assert staff_client.post(url, {"note": "Visited him; fine."}).status_code == 302
        follow_up.refresh_from_db()
        assert follow_up.check_note == "Visited him; fine."
        place_page = staff_client.get(reverse("visits:place_detail", args=[visit.place.pk]))
        assert "High risk of reprisals" not in place_page.content.decode()


class TestEncryption:
    def test_identity_is_not_stored_in_clear_text(self, interview):
        identity = interview.identity
        row = raw_identity_row(identity)
        assert SECRET_NAME not in " ".join(row)
        assert "Cell 3" not in " ".join(row)
        assert row[0].startswith("gAAAA")  # a Fernet token
        identity.refresh_from_db()
        assert identity.full_name == SECRET_NAME

    def test_rotating_the_key_keeps_identities_readable(self, interview, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path  # the command rewrites every stored file too
        old_key = settings.FIELD_ENCRYPTION_KEY[0]
        before = raw_identity_row(interview.identity)
        new_key = Fernet.generate_key().decode()
        settings.FIELD_ENCRYPTION_KEY = [new_key, old_key]
        call_command("rotate_field_encryption", stdout=open("/dev/null", "w"))  # noqa: SIM115
        after = raw_identity_row(interview.identity)
        assert after[0] != before[0]
        # Readable with the new key alone: the old one can be dropped.
        settings.FIELD_ENCRYPTION_KEY = [new_key]
        assert InterviewIdentity.objects.get(pk=interview.identity.pk).full_name == SECRET_NAME
        assert Fernet(new_key).decrypt(after[0].encode()).decode() == SECRET_NAME

    def test_notes_and_their_history_are_encrypted_and_survive_rotation(
        self, interview, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path

        def raw_notes() -> list[str]:
            with connection.cursor() as cursor:
                cursor.execute("SELECT notes FROM visits_interview WHERE id = %s", [interview.pk])
                rows = [cursor.fetchone()[0]]
                cursor.execute(
                    "SELECT notes FROM visits_historicalinterview WHERE id = %s", [interview.pk]
                )
                rows += [row[0] for row in cursor.fetchall()]
            return rows

        before = raw_notes()
        assert len(before) >= 2
        assert all(value.startswith("gAAAA") for value in before)
        assert not any("beating" in value for value in before)
        new_key = Fernet.generate_key().decode()
        settings.FIELD_ENCRYPTION_KEY = [new_key, settings.FIELD_ENCRYPTION_KEY[0]]
        call_command("rotate_field_encryption", stdout=open("/dev/null", "w"))  # noqa: SIM115
        settings.FIELD_ENCRYPTION_KEY = [new_key]
        after = raw_notes()
        assert all(Fernet(new_key).decrypt(v.encode()).decode() == interview.notes for v in after)
        assert Interview.objects.get(pk=interview.pk).notes == "Alleges beating in the car."

    def test_history_does_not_copy_identities(self):
        assert not hasattr(InterviewIdentity, "history")


class TestWhoSeesInterviews:
    def test_compliance_officer_cannot_see_interviews(self, compliance_client, interview):
        visit = interview.visit
        assert (
            compliance_client.get(reverse("visits:visit_interviews", args=[visit.pk])).status_code
            == 403
        )
        detail = reverse("visits:interview_detail", args=[visit.pk, interview.pk])
        # 404, not 403: a 403 would tell which interview ids exist.
        assert compliance_client.get(detail).status_code == 404
        assert compliance_client.post(detail).status_code == 404
        page = compliance_client.get(reverse("visits:visit_detail", args=[visit.pk]))
        assert page.status_code == 200
        assert 'data-tab="interviews"' not in page.content.decode()
        assert AccessLog.objects.filter(action=AccessAction.DENIED).count() == 3

    def test_partner_on_team_sees_code_and_kind_but_no_notes(
        self, partner_client, interview, on_team
    ):
        on_team(interview.visit)
        listing = partner_client.get(reverse("visits:visit_interviews", args=[interview.visit.pk]))
        body = listing.content.decode()
        assert interview.code in body
        assert "Alleges beating" not in body
        assert "interview-form" not in body
        detail = partner_client.get(
            reverse("visits:interview_detail", args=[interview.visit.pk, interview.pk])
        ).content.decode()
        assert "Alleges beating" not in detail
        assert "Reveal identity" not in detail

    def test_partner_cannot_reveal_even_as_head_of_team(self, partner_client, interview, on_team):
        on_team(interview.visit, role=TeamMember.Role.HEAD)
        url = reverse("visits:interview_detail", args=[interview.visit.pk, interview.pk])
        response = partner_client.post(url)
        assert response.status_code == 403
        assert SECRET_NAME not in response.content.decode()
        assert AccessLog.objects.get().action == AccessAction.DENIED

    def test_staff_sees_notes_but_cannot_reveal(self, staff_client, interview):
        url = reverse("visits:interview_detail", args=[interview.visit.pk, interview.pk])
        page = staff_client.get(url).content.decode()
        assert "Alleges beating" in page
        assert "Reveal identity" not in page
        response = staff_client.post(url)
        assert response.status_code == 403
        assert SECRET_NAME not in response.content.decode()
        actions = set(AccessLog.objects.values_list("action", flat=True))
        assert actions == {AccessAction.VIEW_CONFIDENTIAL, AccessAction.DENIED}

    def test_head_reveals_and_every_reveal_is_logged(self, head_client, head, interview):
        url = reverse("visits:interview_detail", args=[interview.visit.pk, interview.pk])
        assert SECRET_NAME not in head_client.get(url).content.decode()
        for _ in range(2):
            response = head_client.post(url, REMOTE_ADDR="10.1.2.3")
            assert SECRET_NAME in response.content.decode()
        reveals = AccessLog.objects.filter(action=AccessAction.REVEAL_IDENTITY)
        assert reveals.count() == 2
        entry = reveals.first()
        assert (entry.user, entry.object_id, entry.visit, entry.ip) == (
            head,
            interview.code,
            interview.visit,
            "10.1.2.3",
        )

    def test_staff_head_of_team_may_reveal(self, staff_client, staff, interview):
        TeamMemberFactory(visit=interview.visit, user=staff, role=TeamMember.Role.HEAD)
        url = reverse("visits:interview_detail", args=[interview.visit.pk, interview.pk])
        response = staff_client.post(url)
        assert SECRET_NAME in response.content.decode()
        assert AccessLog.objects.filter(action=AccessAction.REVEAL_IDENTITY, user=staff).exists()

    def test_interview_of_another_visit_is_404(self, head_client, interview):
        other = VisitFactory()
        url = reverse("visits:interview_detail", args=[other.pk, interview.pk])
        assert head_client.get(url).status_code == 404


class TestRecordingInterviews:
    def test_staff_records_an_interview_with_identity(self, staff_client, db):
        visit = VisitFactory()
        response = staff_client.post(
            reverse("visits:visit_interviews", args=[visit.pk]),
            {
                "format": "individual",
                "interviewee": "detainee",
                "notes": "Night shift uses handcuffs to radiators.",
                "consent": "anonymised",
                "reprisal_risk": "none",
                "full_name": SECRET_NAME,
            },
        )
        assert response.status_code == 302
        interview = Interview.objects.get(visit=visit)
        assert interview.identity.full_name == SECRET_NAME
        listing = staff_client.get(reverse("visits:visit_interviews", args=[visit.pk]))
        assert SECRET_NAME not in listing.content.decode()

    def test_htmx_add_returns_the_section_with_the_new_row(self, staff_client, db):
        visit = VisitFactory()
        response = staff_client.post(
            reverse("visits:visit_interviews", args=[visit.pk]),
            {"format": "group", "interviewee": "staff", "consent": "none", "reprisal_risk": "none"},
            HTTP_HX_REQUEST="true",
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert body.lstrip().startswith('<div id="interviews-section"')
        assert Interview.objects.get().code in body

    def test_empty_post_shows_errors_next_to_fields(self, staff_client, db):
        visit = VisitFactory()
        response = staff_client.post(reverse("visits:visit_interviews", args=[visit.pk]), {})
        assert response.status_code == 200
        assert "This field is required" in response.content.decode()
        assert not Interview.objects.exists()


def test_reveal_guard_can_ask_for_more_before_revealing(head_client, interview, settings):
    settings.NPM_REVEAL_GUARD = "tests.visits.test_interviews.redirect_guard"
    url = reverse("visits:interview_detail", args=[interview.visit.pk, interview.pk])
    response = head_client.post(url)
    assert response.status_code == 302
    assert response.url == "/accounts/password/"
    assert not AccessLog.objects.filter(action=AccessAction.REVEAL_IDENTITY).exists()


def redirect_guard(request):
    from django.shortcuts import redirect

    return redirect("password_change")
