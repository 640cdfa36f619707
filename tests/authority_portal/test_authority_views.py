"""The authority area's pages: what an authority user sees (their subtree only), the filters and
task panels of "My recommendations", the answer form's messages and conflict page, reports and
their PDFs, evidence files, the invitation link, the navigation; and a 404 for every object URL
outside the subtree."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from npm_portal.authority_portal import invitations, services
from npm_portal.authority_portal.models import Answer, Escalation, Evidence, Submission
from recommendations import services as recommendation_services
from tests.authority_portal import area_helpers as h
from tests.authority_portal.helpers import authority_user
from tests.factories import AuthorityFactory, UserFactory
from tests.factories.recommendations import RecommendationFactory
from tests.factories.visits import local
from visits.models import AccessLog, Dispatch

pytestmark = pytest.mark.django_db

HOME = reverse("authority:home")


@pytest.fixture
def case(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(h.NOW, tick=False):
        yield h.build_case()


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _rows(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr data-recommendation="(\d+)"', html)]


def _field_block(html: str, name: str) -> str:
    """The crispy block of one field (label, input, its messages)."""
    start = html.index(f'id="div_id_{name}"')
    end = html.find('<div id="div_id_', start + 10)
    return html[start : end if end != -1 else None]


def _with_pdfs(report):
    report.pdf.save("full.pdf", ContentFile(h.PDF + b"full"), save=False)
    report.public_pdf.save("public.pdf", ContentFile(h.PDF + b"public"), save=False)
    report.pdf_sha256 = hashlib.sha256(h.PDF + b"full").hexdigest()
    report.public_pdf_sha256 = hashlib.sha256(h.PDF + b"public").hexdigest()
    report.save()


# --- Who sees what ------------------------------------------------------------------------------


def test_each_authority_sees_only_its_subtree(case):
    ids = {r.pk for r in case.recommendations}
    other_visit_rec = RecommendationFactory(addressees=[AuthorityFactory()])
    assert set(_rows(_page(h.client_for(case.focal), HOME))) == ids
    # The ministry sees its institution's recommendations.
    assert set(_rows(_page(h.client_for(case.ministry_focal), HOME))) == ids
    assert _rows(_page(h.client_for(case.stranger), HOME)) == []
    assert other_visit_rec.pk not in _rows(_page(h.client_for(case.focal), f"{HOME}?show=all"))


def test_list_shows_reference_due_date_overdue_and_last_answer(case):
    first, second = case.recommendations
    h.submitted(case, [h.answer_items(case)[1]])
    # Due on 1 December 2025.
    with time_machine.travel(local(2025, 12, 5, 10, 0), tick=False):
        html = _page(h.client_for(case.focal), f"{HOME}?show=all")
    row = html[html.index(f'data-recommendation="{first.pk}"') :]
    row = row[: row.index("</tr>")]
    assert f"{case.report.reference}/1" in row
    assert "overdue" in row
    assert "not answered" in row
    answered = html[html.index(f'data-recommendation="{second.pk}"') :]
    answered = answered[: answered.index("</tr>")]
    assert "In progress" in answered
    assert "overdue" not in answered


def test_filters_are_kept_in_the_query_string(case):
    first, second = case.recommendations
    h.submitted(case, [h.answer_items(case)[0]])
    client = h.client_for(case.focal)
    assert set(_rows(_page(client, f"{HOME}?show=answered"))) == {first.pk}
    # Not answered yet and due on 1 December: due within 14 days from 20 November, overdue after.
    with time_machine.travel(h.local(2025, 11, 20, 10, 0), tick=False):
        later = h.client_for(case.focal)
        assert _rows(_page(later, f"{HOME}?show=due_soon")) == [second.pk]
        assert _rows(_page(later, f"{HOME}?show=overdue")) == []
    with time_machine.travel(h.local(2025, 12, 2, 10, 0), tick=False):
        later = h.client_for(case.focal)
        assert _rows(_page(later, f"{HOME}?show=overdue")) == [second.pk]
    assert set(_rows(_page(client, f"{HOME}?show=all&q={case.report.reference}"))) == {
        first.pk,
        second.pk,
    }
    assert _rows(_page(client, f"{HOME}?show=all&q={second.reference}")) == [second.pk]
    assert _rows(_page(client, f"{HOME}?show=all&q=NPM-1999-001")) == []
    # Bad values are ignored (the default: open ones), never a 500.
    assert set(_rows(_page(client, f"{HOME}?show=nonsense&addressee=abc&page=x"))) == {
        first.pk,
        second.pk,
    }


def test_addressee_filter_lists_the_subtree_only(case):
    html = _page(h.client_for(case.ministry_focal), HOME)
    block = _field_block(html, "addressee")
    assert case.institution.name in block
    assert case.ministry.name in block
    assert case.stranger.authority.name not in block
    url = f"{HOME}?show=all&addressee={case.institution.pk}"
    assert len(_rows(_page(h.client_for(case.ministry_focal), url))) == 2
    url = f"{HOME}?show=all&addressee={case.stranger.authority.pk}"
    # Outside the subtree: not a choice, ignored.
    assert len(_rows(_page(h.client_for(case.ministry_focal), url))) == 2
    # A node without children gets no addressee filter at all.
    assert 'id="div_id_addressee"' not in _page(h.client_for(case.focal), HOME)


def test_home_query_count_does_not_grow_with_the_rows(case):
    client = h.client_for(case.ministry_focal)
    h.submitted(case, [h.answer_items(case)[0]])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            _page(client, f"{HOME}?show=all")
        return len(queries)

    before = count()
    for n in range(3, 9):
        RecommendationFactory(visit=case.visit, number=n, addressees=[case.institution])
    assert len(_rows(_page(client, f"{HOME}?show=all"))) == 8
    assert count() == before


def test_task_panels_sign_off_and_escalation(case):
    submission = h.draft_with_answers(case)
    assert 'id="task-drafts"' in _page(h.client_for(case.focal), HOME)
    services.submission_send(submission=submission, by=case.focal.user)
    html = _page(h.client_for(case.validator), HOME)
    assert 'id="task-signoff"' in html
    assert reverse("authority:submission", args=[submission.pk]) in html
    assert 'id="task-signoff"' not in _page(h.client_for(case.focal), HOME)

    rec = case.recommendations[0]
    Escalation.objects.create(
        recommendation=rec,
        authority=case.institution,
        escalated_to=case.ministry,
        escalated_on=h.TODAY,
        days_overdue=31,
    )
    html = _page(h.client_for(case.ministry_focal), HOME)
    assert 'id="task-escalated"' in html
    assert rec.reference in html
    assert 'id="task-escalated"' not in _page(h.client_for(case.stranger), HOME)
    # Once the institution answers, it is no longer listed.
    services.submission_sign_off(submission=submission, by=case.validator.user)
    assert 'id="task-escalated"' not in _page(h.client_for(case.ministry_focal), HOME)


def test_recommendation_page_shows_assessments_without_notes_and_the_history(case, compliance):
    submission = h.draft_with_answers(case)
    rec = case.recommendations[1]
    answer = submission.answers.get(recommendation=rec)
    evidence = services.evidence_add(
        answer=answer, upload=h.pdf_upload("proof.pdf"), by=case.focal.user
    )
    services.submission_send(submission=submission, by=case.focal.user)
    submission = services.submission_sign_off(submission=submission, by=case.validator.user)
    recommendation_services.assessment_record(
        recommendation=rec,
        status="in_progress",
        basis="response",
        response=submission.letter,
        assessed_on=h.TODAY,
        note="SECRET-ASSESSMENT-NOTE",
        by=compliance,
    )
    html = _page(h.client_for(case.focal), reverse("authority:recommendation", args=[rec.pk]))
    assert rec.text in html
    assert case.report.reference in html
    assert 'id="assessments"' in html
    assert "In progress" in html
    assert "SECRET-ASSESSMENT-NOTE" not in html
    assert submission.reference in html
    assert "Funds are requested for new mattresses." in html
    assert reverse("authority:evidence", args=[submission.pk, evidence.pk]) in html
    # Still open (response received): a correction may follow.
    assert 'id="answer-form"' in html


def test_ministry_sees_but_may_not_answer_the_institution_s_recommendation(case):
    rec = case.recommendations[0]
    url = reverse("authority:recommendation", args=[rec.pk])
    assert 'id="answer-form"' in _page(h.client_for(case.focal), url)
    ministry = h.client_for(case.ministry_focal)
    html = _page(ministry, url)
    assert rec.text in html
    assert 'id="answer-form"' not in html
    response = ministry.post(reverse("authority:submission_start", args=[case.report.pk]))
    assert response.status_code == 302
    assert not Submission.objects.exists()
    # Nor may it answer inside the institution's draft.
    submission = h.draft_with_answers(case)
    response = ministry.post(
        reverse("authority:answer_edit", args=[submission.pk, rec.pk]),
        {"position": "accepted", "stated_status": "implemented", "measures": "Ministry."},
    )
    assert response.status_code == 403
    assert not Answer.objects.filter(measures="Ministry.").exists()


def test_another_authority_gets_404_on_every_object_url(case):
    submission = h.draft_with_answers(case)
    answer = submission.answers.first()
    evidence = services.evidence_add(answer=answer, upload=h.pdf_upload(), by=case.focal.user)
    rec = case.recommendations[0]
    report = case.report
    urls = [
        reverse("authority:recommendation", args=[rec.pk]),
        reverse("authority:report", args=[report.pk]),
        reverse("authority:report_public_pdf", args=[report.pk]),
        reverse("authority:report_full_pdf", args=[report.pk]),
        reverse("authority:submission_start", args=[report.pk]),
        reverse("authority:submission", args=[submission.pk]),
        reverse("authority:answer_edit", args=[submission.pk, rec.pk]),
        reverse("authority:answer_remove", args=[submission.pk, answer.pk]),
        reverse("authority:evidence_add", args=[submission.pk, answer.pk]),
        reverse("authority:evidence", args=[submission.pk, evidence.pk]),
        reverse("authority:evidence_remove", args=[submission.pk, evidence.pk]),
        reverse("authority:submission_send", args=[submission.pk]),
        reverse("authority:submission_return", args=[submission.pk]),
        reverse("authority:submission_sign_off", args=[submission.pk]),
        reverse("authority:submission_follow_up", args=[submission.pk]),
    ]
    get_only = set(urls[:4]) | {urls[5], urls[9]}
    post_only = {urls[4], urls[7], urls[8], urls[10], urls[14]}
    stranger = h.client_for(case.stranger)
    for url in urls:
        if url not in post_only:
            assert stranger.get(url).status_code == 404, url
        if url not in get_only:
            assert stranger.post(url, {"comment": "x"}).status_code == 404, url
    # The NPM's own users have no authority area either.
    staff = h.client_for(UserFactory(roles=[Role.STAFF]))
    assert staff.get(HOME).status_code == 404
    assert staff.get(urls[0]).status_code == 404
    assert Answer.objects.filter(pk=answer.pk).exists()
    assert Evidence.objects.filter(pk=evidence.pk).exists()


# --- The answer form ----------------------------------------------------------------------------


def test_answer_form_shows_messages_next_to_the_fields(case):
    submission = services.submission_start(visit=case.visit, by=case.focal.user)
    rec = case.recommendations[0]
    url = reverse("authority:answer_edit", args=[submission.pk, rec.pk])
    client = h.client_for(case.focal)
    response = client.post(
        url,
        {
            "position": "not_accepted",
            "stated_status": "implemented",
            "measures": " ",
            "promised_by": "2020-01-01",
            "version": submission.version,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "rejected or no longer applicable" in _field_block(html, "stated_status")
    assert "Describe the measures" in _field_block(html, "measures")
    assert "cannot be in the past" in _field_block(html, "promised_by")
    response = client.post(
        url,
        {
            "position": "accepted",
            "stated_status": "in_progress",
            "measures": "Working.",
            "version": submission.version,
        },
    )
    assert "Give the date" in _field_block(response.content.decode(), "promised_by")
    response = client.post(url, {"position": "maybe", "promised_by": "not a date"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "is-invalid" in _field_block(html, "position")
    assert "is-invalid" in _field_block(html, "promised_by")
    assert not Answer.objects.exists()


def test_a_stale_version_shows_the_conflict_page_with_both_answers(case):
    submission = h.draft_with_answers(case)
    rec = case.recommendations[0]
    client = h.client_for(case.focal)
    url = reverse("authority:answer_edit", args=[submission.pk, rec.pk])
    stale = submission.version
    # The alternate saves meanwhile.
    services.answer_save(
        submission=submission,
        recommendation=rec,
        position="accepted",
        stated_status="implemented",
        measures="The alternate's text.",
        by=case.alternate.user,
    )
    response = client.post(
        url,
        {
            "position": "accepted",
            "stated_status": "implemented",
            "measures": "My text.",
            "version": stale,
        },
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="conflict-notice"' in html
    assert "The alternate&#x27;s text." in html
    assert "My text." in html
    assert Answer.objects.get(submission=submission, recommendation=rec).measures == (
        "The alternate's text."
    )
    fresh = re.search(r'name="version" value="(\d+)"', html).group(1)
    response = client.post(
        url,
        {
            "position": "accepted",
            "stated_status": "implemented",
            "measures": "My text.",
            "version": fresh,
        },
    )
    assert response.status_code == 302
    assert Answer.objects.get(submission=submission, recommendation=rec).measures == "My text."


def test_evidence_is_checked_downloaded_logged_and_removed(case):
    submission = h.draft_with_answers(case)
    answer = submission.answers.first()
    client = h.client_for(case.focal)
    add = reverse("authority:evidence_add", args=[submission.pk, answer.pk])
    response = client.post(
        add, {"file": SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")}
    )
    assert response.status_code == 400
    assert not Evidence.objects.exists()
    assert "invalid-feedback" in response.content.decode()
    assert client.post(add, {"file": h.pdf_upload("proof.pdf")}).status_code == 302
    evidence = Evidence.objects.get()
    url = reverse("authority:evidence", args=[submission.pk, evidence.pk])
    logged = AccessLog.objects.count()
    response = h.client_for(case.ministry_focal).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == h.PDF
    assert AccessLog.objects.count() > logged
    remove = reverse("authority:evidence_remove", args=[submission.pk, evidence.pk])
    assert h.client_for(case.ministry_focal).post(remove).status_code == 403
    assert client.post(remove).status_code == 302
    assert not Evidence.objects.exists()


# --- Reports ------------------------------------------------------------------------------------


def test_reports_and_the_full_pdf_only_when_shared(case):
    _with_pdfs(case.report)
    client = h.client_for(case.focal)
    html = _page(client, reverse("authority:reports"))
    assert case.report.reference in html
    assert (
        _page(h.client_for(case.stranger), reverse("authority:reports")).count(
            case.report.reference
        )
        == 0
    )
    url = reverse("authority:report", args=[case.report.pk])
    html = _page(client, url)
    assert 'id="public-pdf"' in html
    assert 'id="full-pdf"' not in html
    assert set(_rows(html)) == {r.pk for r in case.recommendations}
    public = client.get(reverse("authority:report_public_pdf", args=[case.report.pk]))
    assert public.status_code == 200
    assert b"".join(public.streaming_content).endswith(b"public")
    full = reverse("authority:report_full_pdf", args=[case.report.pk])
    assert client.get(full).status_code == 404

    Dispatch.objects.filter(authority=case.institution).update(full_version_shared=True)
    assert 'id="full-pdf"' in _page(client, url)
    logged = AccessLog.objects.count()
    response = client.get(full)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).endswith(b"full")
    assert AccessLog.objects.count() > logged
    # Shared with the institution: its ministry (subtree) sees it too, a stranger never.
    assert h.client_for(case.ministry_focal).get(full).status_code == 200
    assert h.client_for(case.stranger).get(full).status_code == 404


def test_submissions_list_is_the_subtree_s(case):
    submission = h.submitted(case)
    url = reverse("authority:submissions")
    assert submission.reference in _page(h.client_for(case.ministry_focal), url)
    assert submission.reference not in _page(h.client_for(case.stranger), url)


# --- The invitation link ------------------------------------------------------------------------


@pytest.fixture
def invited(db):
    account = authority_user(AuthorityFactory(), h.F.FOCAL_POINT)
    user = account.user
    user.set_unusable_password()
    user.save()
    return user


def test_invitation_link_sets_the_password_once(client, invited):
    url = invitations.invitation_path(invited)
    html = _page(client, url)
    assert 'name="new_password1"' in html
    assert invited.username in html
    # The project's password validators apply.
    response = client.post(url, {"new_password1": "short", "new_password2": "short"})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    invited.refresh_from_db()
    assert not invited.has_usable_password()
    password = "A-long-enough-passphrase-2026"
    response = client.post(url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302
    assert response.url == reverse("login")
    invited.refresh_from_db()
    assert invited.check_password(password)
    # Used: the link no longer works (404 page that says so).
    response = client.get(url)
    assert response.status_code == 404
    assert 'id="invitation-invalid"' in response.content.decode()


def test_invitation_link_expires(client, invited, settings):
    url = invitations.invitation_path(invited)
    soon = timezone.now() + dt.timedelta(days=settings.NPM_INVITATION_DAYS - 1)
    with time_machine.travel(soon, tick=False):
        assert client.get(url).status_code == 200
    later = timezone.now() + dt.timedelta(days=settings.NPM_INVITATION_DAYS + 1)
    with time_machine.travel(later, tick=False):
        response = client.get(url)
        assert response.status_code == 404
        assert 'id="invitation-invalid"' in response.content.decode()
        response = client.post(url, {"new_password1": "x" * 20, "new_password2": "x" * 20})
        assert response.status_code == 404
    invited.refresh_from_db()
    assert not invited.has_usable_password()


def test_invitation_link_with_a_bad_token_or_user(client, invited):
    good = invitations.invitation_path(invited)
    assert client.get(good[:-3] + "zzz/").status_code == 404
    assert client.get(reverse("authority:invitation", args=["!!", "1-2"])).status_code == 404
    get_user_model().objects.filter(pk=invited.pk).update(is_active=False)
    assert client.get(good).status_code == 404


# --- Navigation ---------------------------------------------------------------------------------


def _nav(html: str) -> str:
    return html[html.index('id="main-nav"') : html.index('id="language-menu"')]


def test_authority_user_navigation(case):
    nav = _nav(_page(h.client_for(case.focal), HOME))
    for name in ("authority:home", "authority:reports", "authority:submissions"):
        assert f'href="{reverse(name)}"' in nav
    assert "My recommendations" in nav
    assert f'href="{reverse("visits:visit_list")}"' not in nav
    assert f'href="{reverse("answers:inbox")}"' not in nav


def test_npm_navigation_links_the_submissions_inbox(
    case, compliance, compliance_client, partner_client
):
    """The inbox is in the navigation of those who may see it (the dashboard counts what awaits
    review: the navigation stays free of per-page queries)."""
    h.submitted(case)
    nav = _nav(_page(compliance_client, reverse("dashboard")))
    assert f'href="{reverse("answers:inbox")}"' in nav
    nav = _nav(_page(partner_client, reverse("dashboard")))
    assert f'href="{reverse("answers:inbox")}"' not in nav
