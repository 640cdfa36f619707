import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories.visits import (
    InterviewFactory,
    MemberFactory,
    TeamMemberFactory,
    VisitFactory,
)
from visits import services
from visits.models import Finding, FollowUp, Theme, Visit


@pytest.fixture
def foreign_visit(db, settings, tmp_path):
    """A forced-return visit with a record of every kind; the partner is not on it."""
    settings.MEDIA_ROOT = tmp_path
    visit = VisitFactory(kind=Visit.Kind.FORCED_RETURN)
    team_member = TeamMemberFactory(visit=visit, member=MemberFactory())
    interview = InterviewFactory(visit=visit)
    attachment = services.attachment_add(
        visit=visit, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4"), title="a", confidential=False
    )
    follow_up = FollowUp.objects.create(place=visit.place, visit=visit, description="Check")
    return {
        "visit": visit,
        "team_member": team_member,
        "interview": interview,
        "attachment": attachment,
        "follow_up": follow_up,
        "finding": Finding.objects.create(
            visit=visit, theme=Theme.objects.first(), text="Seen", phase="boarding"
        ),
    }


def visit_urls(records) -> list[str]:
    pk = records["visit"].pk
    return [
        reverse("visits:visit_detail", args=[pk]),
        reverse("visits:visit_edit", args=[pk]),
        reverse("visits:visit_conduct", args=[pk]),
        reverse("visits:visit_cancel", args=[pk]),
        reverse("visits:visit_transition", args=[pk, "reporting"]),
        reverse("visits:visit_team", args=[pk]),
        reverse("visits:team_member_remove", args=[pk, records["team_member"].pk]),
        reverse("visits:visit_population", args=[pk]),
        reverse("visits:visit_findings", args=[pk]),
        reverse("visits:visit_interviews", args=[pk]),
        reverse("visits:interview_detail", args=[pk, records["interview"].pk]),
        reverse("visits:visit_attachments", args=[pk]),
        reverse("visits:attachment_download", args=[pk, records["attachment"].pk]),
        reverse("visits:visit_return", args=[pk]),
        reverse("visits:follow_up_check", args=[pk, records["follow_up"].pk]),
        # Confirmation pages and corrections (tests/visits/test_safeguards*.py).
        reverse("visits:visit_close_confirm", args=[pk]),
        reverse("visits:visit_reopen", args=[pk]),
        reverse("visits:team_member_remove_confirm", args=[pk, records["team_member"].pk]),
        reverse("visits:finding_edit", args=[pk, records["finding"].pk]),
        reverse("visits:finding_delete", args=[pk, records["finding"].pk]),
        reverse("visits:interview_edit", args=[pk, records["interview"].pk]),
        reverse("visits:interview_delete", args=[pk, records["interview"].pk]),
    ]


POST_ONLY = ("/status/", "/remove/")


def test_every_url_of_a_visit_is_in_the_list(foreign_visit):
    from visits.urls import urlpatterns

    # Report URLs (below /report/) have their own 404 tests in tests/visits/test_report_*.py.
    patterns = [
        p
        for p in urlpatterns
        if str(p.pattern).startswith("visits/<int:pk>/") and "/report/" not in str(p.pattern)
    ]
    assert len(visit_urls(foreign_visit)) == len(patterns)


def test_partner_gets_404_on_every_url_of_a_visit_they_are_not_on(
    partner_client, foreign_visit, on_team
):
    on_team(VisitFactory())  # on another visit, so the partner has a visit of their own
    for url in visit_urls(foreign_visit):
        if not any(part in url for part in POST_ONLY):  # GET there is 405 for any id
            assert partner_client.get(url).status_code == 404, url
        assert partner_client.post(url, {}).status_code == 404, url


def test_partner_on_the_team_can_read_but_not_change(partner_client, foreign_visit, on_team):
    on_team(foreign_visit["visit"])
    pk = foreign_visit["visit"].pk
    for name in ("visit_detail", "visit_team", "visit_population", "visit_findings"):
        assert partner_client.get(reverse(f"visits:{name}", args=[pk])).status_code == 200
    assert partner_client.post(reverse("visits:visit_findings", args=[pk]), {}).status_code == 403
    assert partner_client.get(reverse("visits:visit_edit", args=[pk])).status_code == 403


def test_partner_sees_only_their_visits_in_the_list(partner_client, on_team, db):
    mine = VisitFactory()
    on_team(mine)
    VisitFactory.create_batch(3)
    response = partner_client.get(reverse("visits:visit_list"))
    assert [v.pk for v in response.context["page"].object_list] == [mine.pk]


def test_partner_without_member_record_sees_nothing(partner_client, db):
    VisitFactory()
    response = partner_client.get(reverse("visits:visit_list"))
    assert response.context["page"].paginator.count == 0


@pytest.mark.parametrize("client_name", ["staff_client", "head_client", "compliance_client"])
def test_npm_roles_see_every_visit(request, client_name, db):
    VisitFactory.create_batch(3)
    client = request.getfixturevalue(client_name)
    assert client.get(reverse("visits:visit_list")).context["page"].paginator.count == 3


def test_unknown_visit_is_404(staff_client, db):
    assert staff_client.get(reverse("visits:visit_detail", args=[999])).status_code == 404


def test_compliance_cannot_plan_or_edit(compliance_client, db):
    visit = VisitFactory()
    assert compliance_client.get(reverse("visits:visit_create")).status_code == 403
    assert compliance_client.get(reverse("visits:visit_edit", args=[visit.pk])).status_code == 403


def test_place_page_shows_a_partner_only_their_visits_and_no_follow_ups(
    partner_client, on_team, db
):
    mine = VisitFactory()
    on_team(mine)
    other = VisitFactory(place=mine.place)
    FollowUp.objects.create(place=mine.place, visit=other, description="Check V-x-I01")
    response = partner_client.get(reverse("visits:place_detail", args=[mine.place.pk]))
    assert [v.pk for v in response.context["visits"]] == [mine.pk]
    assert "Check V-x-I01" not in response.content.decode()
