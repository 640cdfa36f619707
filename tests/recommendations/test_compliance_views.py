"""The compliance pages: who may open them, response letters (only the offered rows), the
assessment form, the follow-up checklist and the letter download."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recommendations import services
from recommendations.models import Assessment, AuthorityResponse, FollowUpCheck, Recommendation
from tests.factories import UserFactory
from tests.factories.recommendations import RecommendationFactory
from tests.factories.visits import MemberFactory, TeamMemberFactory
from tests.recommendations.compliance_helpers import dispatch, issued_case, visit_at
from visits.models import AccessLog, Visit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
Status = Recommendation.Status


@pytest.fixture
def case(settings, tmp_path, partner_member):
    settings.MEDIA_ROOT = tmp_path
    visit, institution, ministry, (first, second) = issued_case()
    ministry_only = RecommendationFactory(visit=visit, number=3, addressees=[ministry])
    dispatch(visit, institution, dt.date(2025, 10, 3))
    dispatch(visit, ministry, dt.date(2025, 10, 3))
    # The partner is on the team: still never sees a recommendation page.
    TeamMemberFactory(visit=visit, member=MemberFactory(user=partner_member), role="member")
    letter = services.response_record(
        visit=visit,
        authority=ministry,
        received_on=dt.date(2025, 11, 20),
        reference="M-1/2025",
        document=SimpleUploadedFile("scan.pdf", PDF),
        items=[{"recommendation": ministry_only, "stated_status": "in_progress"}],
    )
    follow_up = visit_at(visit.place, day=dt.date(2026, 2, 10), kind="follow_up", status="planned")
    Visit.objects.filter(pk=follow_up.pk).update(status="conducted")
    follow_up.refresh_from_db()
    return {
        "visit": visit,
        "institution": institution,
        "ministry": ministry,
        "first": first,
        "second": second,
        "ministry_only": ministry_only,
        "letter": letter,
        "follow_up": follow_up,
        "check": FollowUpCheck.objects.get(visit=follow_up, recommendation=first),
    }


def _urls(case):
    return [
        reverse("recommendations:detail", args=[case["first"].pk]),
        reverse("recommendations:assess", args=[case["first"].pk]),
        reverse("recommendations:response_create"),
        reverse("recommendations:response_detail", args=[case["letter"].pk]),
        reverse("recommendations:response_document", args=[case["letter"].pk]),
        reverse("recommendations:visit_recommendations", args=[case["visit"].pk]),
        reverse("recommendations:follow_up_checklist", args=[case["follow_up"].pk]),
    ]


def test_npm_roles_open_every_page(case, head_client, staff_client, compliance_client):
    for client in (head_client, staff_client, compliance_client):
        for url in _urls(case):
            assert client.get(url).status_code == 200, url


def test_partner_gets_404_everywhere_even_on_their_own_visit(case, partner_client):
    for url in _urls(case):
        assert partner_client.get(url).status_code == 404, url
    record = reverse("recommendations:check_record", args=[case["check"].pk])
    assert partner_client.post(record, {}).status_code == 404


def test_anonymous_is_sent_to_login(case, client):
    for url in _urls(case):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_compliance_may_not_record_follow_up_checks(case, compliance_client):
    record = reverse("recommendations:check_record", args=[case["check"].pk])
    response = compliance_client.post(record, {f"check-{case['check'].pk}-observation": "x"})
    assert response.status_code == 403
    refresh = reverse("recommendations:follow_up_checklist", args=[case["follow_up"].pk])
    assert compliance_client.post(refresh).status_code == 403
    page = compliance_client.get(refresh).content.decode()
    assert "Refresh checklist" not in page
    assert f'action="{record}"' not in page


def test_detail_shows_status_due_date_timeline_and_repeats(case, staff_client):
    rec = case["ministry_only"]
    page = staff_client.get(reverse("recommendations:detail", args=[rec.pk])).content.decode()
    assert rec.text in page
    assert rec.reference in page
    assert "Response received" in page
    assert 'data-kind="issued"' in page
    assert 'data-kind="dispatched"' in page
    assert 'data-kind="response"' in page
    assert "Repeated concern" in page
    assert reverse("recommendations:assess", args=[rec.pk]) in page


def test_detail_marks_overdue(case, staff_client):
    page = staff_client.get(reverse("recommendations:detail", args=[case["first"].pk]))
    # Due 2 December 2025, long past, no response: overdue.
    assert "overdue" in page.content.decode()


def test_detail_query_count_does_not_grow_with_history(
    case, staff_client, django_assert_max_num_queries
):
    rec = case["ministry_only"]
    url = reverse("recommendations:detail", args=[rec.pk])
    with django_assert_max_num_queries(40):
        staff_client.get(url)
    for day in range(1, 6):
        services.assessment_record(
            recommendation=rec,
            status="in_progress",
            basis="other",
            assessed_on=dt.date(2025, 12, day),
        )
    with django_assert_max_num_queries(40):
        staff_client.get(url)


# --- Response letters ------------------------------------------------------------------------


def _step2(case, authority="institution"):
    return (
        reverse("recommendations:response_create")
        + f"?visit={case['visit'].pk}&authority={case[authority].pk}"
    )


def test_letter_form_offers_only_that_authoritys_open_recommendations(case, compliance_client):
    services.assessment_record(
        recommendation=case["second"],
        status="implemented",
        basis="other",
        assessed_on=dt.date(2025, 10, 20),
    )
    page = compliance_client.get(_step2(case)).content.decode()
    assert f'data-recommendation="{case["first"].pk}"' in page
    assert f'data-recommendation="{case["second"].pk}"' not in page  # implemented: closed
    assert f'data-recommendation="{case["ministry_only"].pk}"' not in page  # the ministry's


def _letter_post(case, *rows, **extra):
    data = {
        "visit": case["visit"].pk,
        "authority": case["institution"].pk,
        "received_on": "2025-11-25",
        "reference": "I-7/2025",
        "note": "",
    }
    for rec, status in rows:
        data |= {
            f"rec-{rec.pk}-include": "on",
            f"rec-{rec.pk}-stated_status": status,
            f"rec-{rec.pk}-explanation": "Explained.",
            f"rec-{rec.pk}-promised_by": "",
        }
    return data | extra


def test_compliance_records_a_letter(case, compliance_client, compliance):
    data = _letter_post(case, (case["first"], "implemented"))
    data["document"] = SimpleUploadedFile("letter.pdf", PDF)
    response = compliance_client.post(reverse("recommendations:response_create"), data)
    letter = AuthorityResponse.objects.get(reference="I-7/2025")
    assert response.status_code == 302
    assert response.url == reverse("recommendations:response_detail", args=[letter.pk])
    assert letter.recorded_by == compliance
    assert letter.document
    assert list(letter.items.values_list("recommendation", "stated_status")) == [
        (case["first"].pk, "implemented")
    ]
    case["first"].refresh_from_db()
    case["second"].refresh_from_db()
    assert case["first"].status == Status.RESPONSE_RECEIVED
    assert case["first"].responded_on == dt.date(2025, 11, 25)
    assert case["second"].status == Status.AWAITING_RESPONSE


def test_forged_row_for_another_recommendation_is_refused(case, compliance_client):
    data = _letter_post(
        case, (case["first"], "implemented"), (case["ministry_only"], "implemented")
    )
    response = compliance_client.post(reverse("recommendations:response_create"), data)
    assert response.status_code == 200
    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "only open recommendations" in text
    assert not AuthorityResponse.objects.filter(reference="I-7/2025").exists()
    case["first"].refresh_from_db()
    assert case["first"].responded_on is None


def test_letter_needs_a_row_and_a_stated_status(case, compliance_client):
    url = reverse("recommendations:response_create")
    response = compliance_client.post(url, _letter_post(case))
    assert "at least one" in response.content.decode()
    data = _letter_post(case, (case["first"], ""))
    response = compliance_client.post(url, data)
    assert "Choose what the authority states." in response.content.decode()
    assert not AuthorityResponse.objects.filter(reference="I-7/2025").exists()


def test_letter_dated_in_the_future_is_refused_next_to_the_field(case, compliance_client):
    data = _letter_post(case, (case["first"], "implemented"), received_on="2999-01-01")
    response = compliance_client.post(reverse("recommendations:response_create"), data)
    assert response.status_code == 200
    assert "This date is in the future." in response.content.decode()


def test_letter_with_a_disguised_file_is_refused(case, compliance_client):
    data = _letter_post(case, (case["first"], "implemented"))
    data["document"] = SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 executable")
    response = compliance_client.post(reverse("recommendations:response_create"), data)
    assert response.status_code == 200
    assert "not an accepted type" in response.content.decode()
    assert not AuthorityResponse.objects.filter(reference="I-7/2025").exists()


def test_step_one_lists_only_issued_reports(case, compliance_client):
    draft = visit_at(case["visit"].place, day=dt.date(2026, 1, 5))
    page = compliance_client.get(reverse("recommendations:response_create")).content.decode()
    assert case["visit"].report.reference in page
    assert draft.reference not in page


def test_user_without_a_role_gets_403(case, client):
    client.force_login(UserFactory(username="no-role"))
    assert client.get(reverse("recommendations:response_create")).status_code == 403
    detail = reverse("recommendations:detail", args=[case["first"].pk])
    assert client.get(detail).status_code == 403


def test_letter_download_is_logged(case, compliance_client, compliance):
    url = reverse("recommendations:response_document", args=[case["letter"].pk])
    response = compliance_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert AccessLog.objects.filter(
        user=compliance,
        action="download",
        object_type="recommendations.AuthorityResponse",
        object_id=str(case["letter"].pk),
    ).exists()


# --- Assessments -----------------------------------------------------------------------------


def test_compliance_assesses_through_the_form(case, compliance_client, compliance):
    rec = case["ministry_only"]
    url = reverse("recommendations:assess", args=[rec.pk])
    response = compliance_client.post(
        url,
        {
            "status": "partially_implemented",
            "reason": "",
            "basis": "response",
            "response": case["letter"].pk,
            "assessed_on": "2025-12-01",
        },
    )
    assert response.status_code == 200
    assert "Say why the recommendation is partially implemented." in response.content.decode()
    response = compliance_client.post(
        url,
        {
            "status": "partially_implemented",
            "reason": "funds",
            "basis": "response",
            "response": case["letter"].pk,
            "assessed_on": "2025-12-01",
            "note": "Only one room.",
        },
    )
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.status == Status.PARTIALLY_IMPLEMENTED
    assert rec.reason == "funds"
    assessment = rec.assessments.get()
    assert assessment.assessed_by == compliance
    assert assessment.response == case["letter"]


def test_assessing_an_unissued_recommendation_redirects_with_a_message(staff_client):
    draft = RecommendationFactory()
    response = staff_client.get(reverse("recommendations:assess", args=[draft.pk]))
    assert response.status_code == 302
    assert "once its report is issued" in " ".join(
        str(m) for m in get_messages(response.wsgi_request)
    )


# --- A visit's recommendations and the checklist ---------------------------------------------


def test_visit_recommendations_tab(case, staff_client, django_assert_max_num_queries):
    url = reverse("recommendations:visit_recommendations", args=[case["visit"].pk])
    with django_assert_max_num_queries(30):
        page = staff_client.get(url).content.decode()
    for rec in (case["first"], case["second"], case["ministry_only"]):
        assert f'data-recommendation="{rec.pk}"' in page
    assert 'data-tab="recommendations"' in page
    # Issued: nothing more can be added.
    assert "Add recommendation" not in page


def test_visit_recommendations_offers_adding_before_issue(staff_client, compliance_client):
    visit = visit_at()
    url = reverse("recommendations:visit_recommendations", args=[visit.pk])
    create = reverse("recommendations:create") + f"?visit={visit.pk}"
    assert f'href="{create}"' in staff_client.get(url).content.decode()
    # Compliance officers do not author recommendations.
    assert "Add recommendation" not in compliance_client.get(url).content.decode()


def test_checklist_only_for_follow_up_visits(case, staff_client):
    url = reverse("recommendations:follow_up_checklist", args=[case["visit"].pk])
    assert staff_client.get(url).status_code == 404


def test_staff_records_a_check_from_the_checklist(case, staff_client, staff):
    check = case["check"]
    prefix = f"check-{check.pk}"
    url = reverse("recommendations:check_record", args=[check.pk])
    response = staff_client.post(
        url, {f"{prefix}-observation": "", f"{prefix}-status": "implemented"}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    response = staff_client.post(
        url,
        {
            f"{prefix}-observation": "Two new detention rooms equipped.",
            f"{prefix}-status": "implemented",
            f"{prefix}-reason": "",
        },
    )
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.observation == "Two new detention rooms equipped."
    assessment = check.assessment
    assert assessment.basis == Assessment.Basis.FOLLOW_UP_VISIT
    assert assessment.verified_on_site
    assert assessment.assessed_by == staff
    page = staff_client.get(
        reverse("recommendations:follow_up_checklist", args=[case["follow_up"].pk])
    ).content.decode()
    assert "Two new detention rooms equipped." in page


def test_a_check_records_the_progress_judgement_too(case, staff_client):
    check = case["check"]
    prefix = f"check-{check.pk}"
    url = reverse("recommendations:check_record", args=[check.pk])
    data = {
        f"{prefix}-observation": "One of the two rooms is equipped.",
        f"{prefix}-status": "in_progress",
        f"{prefix}-reason": "",
        f"{prefix}-progress": "nonsense",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    check.refresh_from_db()
    assert check.assessment is None
    response = staff_client.post(url, data | {f"{prefix}-progress": "insufficient"})
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.assessment.progress == "insufficient"
    page = staff_client.get(
        reverse("recommendations:follow_up_checklist", args=[case["follow_up"].pk])
    ).content.decode()
    # Shown with the recorded line, and kept in the form for recording again.
    assert "Insufficient progress" in page
    assert '<option value="insufficient" selected>' in page


def test_refresh_checklist_button_adds_new_lines(case, staff_client):
    FollowUpCheck.objects.filter(visit=case["follow_up"]).delete()
    url = reverse("recommendations:follow_up_checklist", args=[case["follow_up"].pk])
    response = staff_client.post(url)
    assert response.status_code == 302
    assert FollowUpCheck.objects.filter(visit=case["follow_up"]).count() == 3


def test_step_one_from_a_visit_offers_only_its_addressees(case, compliance_client):
    other_visit, other_institution, *_ = issued_case()
    url = reverse("recommendations:response_create") + f"?visit={case['visit'].pk}"
    response = compliance_client.get(url)
    options = response.context["start"].fields["authority"].queryset
    assert set(options) == {case["institution"], case["ministry"]}
    assert other_institution not in options
    assert "This field is required." not in response.content.decode()
