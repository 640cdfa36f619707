"""The answer workflow through the authority area's pages: draft → sent for sign-off → signed off
and submitted → a letter with its items; returning with a comment; four eyes; immutability (the
models and every service refuse once submitted); corrections and the NPM's question as new
submissions; double submits."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from npm_portal.authority_portal import services
from npm_portal.authority_portal.models import Answer, Evidence, Submission
from recommendations import services as recommendation_services
from recommendations.models import AuthorityResponse, ResponseItem, Status
from tests.authority_portal import area_helpers as h
from tests.authority_portal.helpers import authority_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(h.NOW, tick=False):
        yield h.build_case()


def _answer(client, submission, rec, **data):
    fields = {
        "position": "accepted",
        "stated_status": "implemented",
        "measures": "Done.",
        "promised_by": "",
        "version": Submission.objects.get(pk=submission.pk).version,
        **data,
    }
    return client.post(reverse("authority:answer_edit", args=[submission.pk, rec.pk]), fields)


def test_draft_sign_off_submit_forms_the_letter_with_its_items(case):
    focal = h.client_for(case.focal)
    first, second = case.recommendations
    response = focal.post(
        reverse("authority:submission_start", args=[case.report.pk]), {"recommendation": first.pk}
    )
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("authority:answer_edit", args=[submission.pk, first.pk])
    assert submission.state == Submission.State.DRAFT
    assert submission.created_by == case.focal.user

    assert _answer(focal, submission, first, measures="Cells repainted.").status_code == 302
    response = _answer(
        focal,
        submission,
        second,
        position="partly",
        stated_status="in_progress",
        measures="Mattresses ordered.",
        promised_by="2026-03-01",
    )
    assert response.status_code == 302
    answer = Answer.objects.get(recommendation=first)
    response = focal.post(
        reverse("authority:evidence_add", args=[submission.pk, answer.pk]),
        {"file": h.pdf_upload("invoice.pdf")},
    )
    assert response.status_code == 302
    assert Evidence.objects.get().original_name == "invoice.pdf"

    # Send: a confirmation page first, then the POST does it.
    url = reverse("authority:submission_send", args=[submission.pk])
    page = focal.get(url)
    assert page.status_code == 200
    assert "Cells repainted." in page.content.decode()
    submission.refresh_from_db()
    assert submission.state == Submission.State.DRAFT
    assert focal.post(url, {"version": submission.version}).status_code == 302
    submission.refresh_from_db()
    assert submission.state == Submission.State.AWAITING_SIGNOFF
    assert submission.sent_by == case.focal.user
    # The drafter can no longer change it.
    assert _answer(focal, submission, first, measures="Changed.").status_code == 302
    assert Answer.objects.get(recommendation=first).measures == "Cells repainted."

    validator = h.client_for(case.validator)
    url = reverse("authority:submission_sign_off", args=[submission.pk])
    page = validator.get(url).content.decode()
    assert "Cells repainted." in page
    assert "Mattresses ordered." in page
    assert "cannot be undone" in page
    assert validator.post(url, {"version": submission.version}).status_code == 302

    submission.refresh_from_db()
    assert submission.state == Submission.State.SUBMITTED
    assert submission.signed_off_by == case.validator.user
    assert submission.reference == "ANS-2025-0001"
    assert submission.review == Submission.Review.PENDING
    letter = submission.letter
    assert letter.authority == case.institution
    assert letter.visit == case.visit
    assert letter.received_on == h.TODAY
    assert letter.reference == submission.reference
    assert letter.recorded_by == case.validator.user
    items = {
        (i.recommendation_id, i.stated_status, i.explanation, i.promised_by)
        for i in letter.items.all()
    }
    answers = {
        (a.recommendation_id, a.stated_status, a.measures, a.promised_by)
        for a in submission.answers.all()
    }
    assert (
        items
        == answers
        == {
            (first.pk, "implemented", "Cells repainted.", None),
            (second.pk, "in_progress", "Mattresses ordered.", dt.date(2026, 3, 1)),
        }
    )
    for rec in (first, second):
        rec.refresh_from_db()
        assert rec.responded_on == h.TODAY
        assert rec.status == Status.RESPONSE_RECEIVED
        assert not rec.is_overdue(dt.date(2026, 1, 1))
        events = [
            e for e in recommendation_services.recommendation_timeline(rec) if e.kind == "response"
        ]
        assert len(events) == 1
        assert events[0].date == h.TODAY
        assert submission.reference in events[0].label

    # The submitted page is read-only: the letter reference, the review state, no form.
    page = validator.get(reverse("authority:submission", args=[submission.pk])).content.decode()
    assert submission.reference in page
    assert "Awaiting the NPM" in page
    assert "evidence-form" not in page
    assert 'id="send-link"' not in page


def test_validator_returns_with_a_comment_the_focal_point_sees_it(case):
    submission = h.draft_with_answers(case)
    services.submission_send(submission=submission, by=case.focal.user)
    validator = h.client_for(case.validator)
    url = reverse("authority:submission_return", args=[submission.pk])
    # An empty comment: a message next to the field, nothing changes.
    response = validator.post(url, {"comment": "  "})
    assert response.status_code == 200
    assert 'id="error_1_id_comment"' in response.content.decode()
    submission.refresh_from_db()
    assert submission.state == Submission.State.AWAITING_SIGNOFF
    assert validator.post(url, {"comment": "Add the invoice."}).status_code == 302
    submission.refresh_from_db()
    assert submission.state == Submission.State.DRAFT
    assert submission.returned_comment == "Add the invoice."
    home = h.client_for(case.focal).get(reverse("authority:home")).content.decode()
    assert 'id="task-drafts"' in home
    assert "Add the invoice." in home


def test_four_eyes_the_sender_never_signs_off(case):
    submission = h.draft_with_answers(case)
    focal = h.client_for(case.focal)
    services.submission_send(submission=submission, by=case.focal.user)
    # The focal point and the alternate are no validating authority.
    for account in (case.focal, case.alternate):
        client = h.client_for(account)
        url = reverse("authority:submission_sign_off", args=[submission.pk])
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
        with pytest.raises(PermissionDenied):
            services.submission_sign_off(submission=submission, by=account.user)
    # A validating authority who sent it (recorded as the sender) may not sign it off either.
    Submission.objects.filter(pk=submission.pk).update(sent_by=case.validator.user)
    submission.refresh_from_db()
    validator = h.client_for(case.validator)
    assert (
        validator.get(reverse("authority:submission_sign_off", args=[submission.pk])).status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        services.submission_sign_off(submission=submission, by=case.validator.user)
    page = validator.get(reverse("authority:submission", args=[submission.pk])).content.decode()
    assert "four eyes" in page
    assert focal.get(reverse("authority:submission", args=[submission.pk])).status_code == 200
    submission.refresh_from_db()
    assert submission.state == Submission.State.AWAITING_SIGNOFF


def test_the_validator_of_another_authority_may_not_sign_off(case):
    submission = h.draft_with_answers(case)
    services.submission_send(submission=submission, by=case.focal.user)
    ministry_validator = authority_user(case.ministry, h.F.VALIDATOR)
    client = h.client_for(ministry_validator)
    # The ministry sees its institution's submission, but signs off only its own.
    assert client.get(reverse("authority:submission", args=[submission.pk])).status_code == 200
    assert (
        client.post(reverse("authority:submission_sign_off", args=[submission.pk])).status_code
        == 403
    )
    submission.refresh_from_db()
    assert submission.state == Submission.State.AWAITING_SIGNOFF


def test_a_submitted_answer_is_immutable_in_the_models(case):
    submission = h.draft_with_answers(case)
    answer = submission.answers.first()
    evidence = services.evidence_add(answer=answer, upload=h.pdf_upload(), by=case.focal.user)
    services.submission_send(submission=submission, by=case.focal.user)
    services.submission_sign_off(submission=submission, by=case.validator.user)
    submission.refresh_from_db()
    answer.refresh_from_db()
    evidence.refresh_from_db()

    answer.measures = "Rewritten."
    with pytest.raises(ValidationError):
        answer.save()
    with pytest.raises(ValidationError):
        answer.delete()
    with pytest.raises(ValidationError):
        evidence.save()
    with pytest.raises(ValidationError):
        evidence.delete()
    with pytest.raises(ValidationError):
        Answer.objects.create(
            submission=submission,
            recommendation=case.recommendations[1],
            position="accepted",
            stated_status="implemented",
            measures="Sneaked in.",
        )
    submission.returned_comment = "Changed afterwards."
    with pytest.raises(ValidationError):
        submission.save()
    with pytest.raises(ValidationError):
        submission.save(update_fields=["returned_comment"])
    with pytest.raises(ValidationError):
        submission.delete()
    assert Answer.objects.get(pk=answer.pk).measures != "Rewritten."
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_every_service_refuses_a_submitted_answer(case):
    submission = h.submitted(case)
    answer = submission.answers.first()
    first = case.recommendations[0]
    focal, validator = case.focal.user, case.validator.user
    attempts = [
        lambda: services.answer_save(
            submission=submission,
            recommendation=first,
            position="accepted",
            stated_status="implemented",
            measures="Again.",
            by=focal,
        ),
        lambda: services.answer_remove(submission=submission, answer=answer, by=focal),
        lambda: services.evidence_add(answer=answer, upload=h.pdf_upload(), by=focal),
        lambda: services.submission_send(submission=submission, by=focal),
        lambda: services.submission_return(submission=submission, comment="No.", by=validator),
        lambda: services.submission_sign_off(submission=submission, by=validator),
    ]
    for attempt in attempts:
        with pytest.raises((PermissionDenied, ValidationError)):
            attempt()
    assert AuthorityResponse.objects.count() == 1
    assert ResponseItem.objects.count() == 2


def test_the_pages_refuse_changes_to_a_submitted_answer(case):
    submission = h.submitted(case)
    answer = submission.answers.first()
    focal = h.client_for(case.focal)
    rec = case.recommendations[0]
    assert _answer(focal, submission, rec, measures="Again.").status_code == 403
    assert (
        focal.post(reverse("authority:answer_remove", args=[submission.pk, answer.pk])).status_code
        == 403
    )
    response = focal.post(
        reverse("authority:evidence_add", args=[submission.pk, answer.pk]), {"file": h.pdf_upload()}
    )
    assert response.status_code == 403
    assert Answer.objects.get(pk=answer.pk).measures == answer.measures
    assert not Evidence.objects.exists()


def test_a_correction_is_a_new_submission_and_a_new_letter(case):
    first_submission = h.submitted(case)
    focal = h.client_for(case.focal)
    response = focal.post(reverse("authority:submission_follow_up", args=[first_submission.pk]))
    correction = Submission.objects.exclude(pk=first_submission.pk).get()
    assert response.url == reverse("authority:submission", args=[correction.pk])
    assert correction.replies_to == first_submission
    assert correction.state == Submission.State.DRAFT
    # It starts from what was said, as new rows; the submitted answers stay as they were.
    assert correction.answers.count() == 2
    rec = case.recommendations[1]
    response = _answer(
        focal,
        correction,
        rec,
        position="accepted",
        stated_status="implemented",
        measures="Mattresses delivered.",
    )
    assert response.status_code == 302
    services.submission_send(submission=correction, by=case.focal.user)
    services.submission_sign_off(submission=correction, by=case.validator.user)
    correction.refresh_from_db()
    assert correction.reference == "ANS-2025-0002"
    assert first_submission.answers.get(recommendation=rec).measures == (
        "Funds are requested for new mattresses."
    )
    assert correction.letter.items.get(recommendation=rec).stated_status == "implemented"
    assert AuthorityResponse.objects.count() == 2


def test_the_npm_question_is_shown_and_answered_with_a_follow_up(case, compliance):
    submission = h.submitted(case)
    services.submission_request_clarification(
        submission=submission, question="Which budget line pays for it?", by=compliance
    )
    focal = h.client_for(case.focal)
    home = focal.get(reverse("authority:home")).content.decode()
    assert 'id="task-questions"' in home
    assert "Which budget line pays for it?" in home
    page = focal.get(reverse("authority:submission", args=[submission.pk])).content.decode()
    assert "Which budget line pays for it?" in page
    assert "Answer the question" in page
    focal.post(reverse("authority:submission_follow_up", args=[submission.pk]))
    reply = Submission.objects.get(replies_to=submission)
    services.submission_send(submission=reply, by=case.focal.user)
    services.submission_sign_off(submission=reply, by=case.validator.user)
    home = focal.get(reverse("authority:home")).content.decode()
    assert 'id="task-questions"' not in home


def test_double_submits_make_one_row_each(case):
    focal = h.client_for(case.focal)
    start = reverse("authority:submission_start", args=[case.report.pk])
    focal.post(start)
    focal.post(start)
    submission = Submission.objects.get()
    rec = case.recommendations[0]
    version = submission.version
    for _ in range(2):
        response = _answer(focal, submission, rec, measures="Once.", version=version)
        assert response.status_code == 302
    assert Answer.objects.filter(submission=submission).count() == 1
    answer = Answer.objects.get()
    remove = reverse("authority:answer_remove", args=[submission.pk, answer.pk])
    _answer(focal, submission, case.recommendations[1], measures="Second.")
    assert focal.post(remove).status_code == 302
    assert focal.post(remove).status_code == 302
    assert Answer.objects.count() == 1
    services.submission_send(submission=submission, by=case.focal.user)
    validator = h.client_for(case.validator)
    sign_off = reverse("authority:submission_sign_off", args=[submission.pk])
    submission.refresh_from_db()
    assert validator.post(sign_off, {"version": submission.version}).status_code == 302
    assert validator.post(sign_off, {"version": submission.version}).status_code == 302
    assert AuthorityResponse.objects.count() == 1
    assert Submission.objects.get().state == Submission.State.SUBMITTED
