"""The NPM side of the authority portal (/answers/): the inbox, a submission and its review,
evidence downloads, authority accounts, sharing the full report; every page by role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from npm_portal.authority_portal import access, accounts, services
from npm_portal.authority_portal.models import AuthorityAccount, ReviewState, Submission
from recommendations import services as recommendation_services
from tests.authority_portal.helpers import authority_user, dispatched_case
from tests.factories import AuthorityFactory
from tests.factories.visits import local
from visits.models import AccessLog, Dispatch

pytestmark = pytest.mark.django_db

F = AuthorityAccount.Function
NOW = local(2025, 11, 10, 10, 0)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    visit: object
    institution: object
    ministry: object
    recommendations: list
    focal: AuthorityAccount
    validator: AuthorityAccount
    submission: Submission
    evidence: object
    clients: dict


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _submit(visit, focal, validator, recommendations, measures="Cells repainted.") -> Submission:
    submission = services.submission_start(visit=visit, by=focal.user)
    for recommendation in recommendations:
        services.answer_save(
            submission=submission,
            recommendation=recommendation,
            position="partly",
            stated_status="in_progress",
            measures=measures,
            promised_by=dt.date(2026, 3, 1),
            by=focal.user,
        )
    services.submission_send(submission=submission, by=focal.user)
    submission = services.submission_sign_off(submission=submission, by=validator.user)
    submission.refresh_from_db()
    return submission


@pytest.fixture
def world(db, settings, tmp_path, head, staff, compliance, partner_member):
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(NOW, tick=False):
        visit, institution, ministry, recommendations = dispatched_case(count=2)
        focal = authority_user(institution, F.FOCAL_POINT, email="focal@institution.rs")
        validator = authority_user(institution, F.VALIDATOR, email="validator@institution.rs")
        draft = services.submission_start(visit=visit, by=focal.user)
        answer = services.answer_save(
            submission=draft,
            recommendation=recommendations[0],
            position="accepted",
            stated_status="implemented",
            measures="The cells were repainted.",
            by=focal.user,
        )
        evidence = services.evidence_add(
            answer=answer,
            upload=SimpleUploadedFile("invoice.pdf", PDF, content_type="application/pdf"),
            by=focal.user,
        )
        services.submission_send(submission=draft, by=focal.user)
        submission = services.submission_sign_off(submission=draft, by=validator.user)
        submission.refresh_from_db()
        clients = {
            "anonymous": Client(),
            "head": _client(head),
            "staff": _client(staff),
            "compliance": _client(compliance),
            "partner": _client(partner_member),
            "authority": _client(focal.user),
        }
        yield World(
            visit,
            institution,
            ministry,
            recommendations,
            focal,
            validator,
            submission,
            evidence,
            clients,
        )


ROLES = ["anonymous", "head", "staff", "compliance", "partner", "authority"]


def _code(response) -> str:
    if response.status_code == 302 and reverse("login") in response.url:
        return "L"
    return str(response.status_code)


def _pages(world: World) -> dict[str, str]:
    s = world.submission
    account = world.focal
    return {
        reverse("answers:inbox"): "L 200 200 200 404 404",
        reverse("answers:detail", args=[s.pk]): "L 200 200 200 404 404",
        reverse("answers:clarify", args=[s.pk]): "L 200 200 200 404 404",
        reverse("answers:evidence", args=[s.pk, world.evidence.pk]): "L 200 200 200 404 404",
        reverse("answers:account_list"): "L 200 200 200 404 404",
        reverse("answers:account_detail", args=[account.pk]): "L 200 200 200 404 404",
        # Compliance sees the accounts but manages none.
        reverse("answers:account_create"): "L 200 200 403 404 404",
        reverse("answers:account_deactivate", args=[account.pk]): "L 200 200 403 404 404",
        # POST-only.
        reverse("answers:accept", args=[s.pk]): "L 405 405 405 405 404",
        reverse("answers:account_invite", args=[account.pk]): "L 405 405 405 405 404",
        reverse(
            "visits:dispatch_share",
            args=[world.visit.pk, world.visit.report.dispatches.first().pk],
        ): "L 405 405 405 405 404",
    }


def test_every_page_by_role(world):
    got = {
        url: " ".join(_code(world.clients[role].get(url)) for role in ROLES)
        for url in _pages(world)
    }
    assert got == _pages(world)


def test_posts_by_role(world):
    s = world.submission
    dispatch = world.visit.report.dispatches.first()
    posts = {
        reverse("answers:accept", args=[s.pk]): "L 302 302 302 404 404",
        reverse("answers:account_invite", args=[world.focal.pk]): "L 200 200 403 404 404",
        reverse(
            "visits:dispatch_share", args=[world.visit.pk, dispatch.pk]
        ): "L 302 302 403 404 404",
    }
    got = {url: " ".join(_code(world.clients[role].post(url)) for role in ROLES) for url in posts}
    assert got == posts


# --- The inbox ----------------------------------------------------------------------------------


def test_inbox_lists_submitted_answers_awaiting_review_first(world, compliance):
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        later = _submit(world.visit, world.focal, world.validator, world.recommendations[1:])
        services.submission_accept(submission=later, by=compliance)
        draft = services.submission_start(visit=world.visit, by=world.focal.user)
        services.answer_save(
            submission=draft,
            recommendation=world.recommendations[1],
            position="accepted",
            stated_status="implemented",
            measures="Done.",
            by=world.focal.user,
        )
    response = world.clients["compliance"].get(reverse("answers:inbox"))
    rows = list(response.context["page"].object_list)
    # The pending one comes first although it is older; drafts never show.
    assert [r.pk for r in rows] == [world.submission.pk, later.pk]
    assert rows[0].answer_count == 1
    html = response.content.decode()
    assert world.submission.reference in html
    assert world.institution.name in html
    assert world.visit.report.reference in html
    assert f'data-submission="{draft.pk}"' not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"review": "pending"}, True),
        ({"review": "accepted"}, False),
        ({"authority": "NOBODY"}, False),
        ({"report": "NO-SUCH"}, False),
        ({"review": "moon"}, True),  # an odd value is a message on the form, never a 500
    ],
)
def test_inbox_filters(world, query, expected):
    response = world.clients["head"].get(reverse("answers:inbox"), query)
    assert response.status_code == 200
    shown = [s.pk for s in response.context["page"].object_list]
    assert (world.submission.pk in shown) is expected


def test_inbox_filters_by_authority_and_report_text(world):
    query = {
        "authority": world.institution.name[2:8].upper(),
        "report": world.visit.report.reference[-3:],
    }
    response = world.clients["head"].get(reverse("answers:inbox"), query)
    assert [s.pk for s in response.context["page"].object_list] == [world.submission.pk]


def test_inbox_queries_do_not_grow_with_the_rows(world, compliance):
    client = world.clients["compliance"]
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("answers:inbox"))
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        _submit(world.visit, world.focal, world.validator, world.recommendations[1:])
        _submit(world.visit, world.focal, world.validator, world.recommendations)
    with CaptureQueriesContext(connection) as three:
        response = client.get(reverse("answers:inbox"))
    assert len(response.context["page"].object_list) == 3
    assert len(three) == len(one)


# --- A submission -------------------------------------------------------------------------------


def test_detail_shows_the_answers_evidence_letter_and_assess_links(world):
    s = world.submission
    response = world.clients["compliance"].get(reverse("answers:detail", args=[s.pk]))
    html = response.content.decode()
    assert "The cells were repainted." in html
    assert "invoice.pdf" in html
    assert reverse("answers:evidence", args=[s.pk, world.evidence.pk]) in html
    assert reverse("recommendations:response_detail", args=[s.letter_id]) in html
    assess = reverse("recommendations:assess", args=[world.recommendations[0].pk])
    assert f"{assess}?basis=response&amp;response={s.letter_id}" in html


def test_the_assess_link_pre_fills_basis_and_letter(world):
    s = world.submission
    url = reverse("recommendations:assess", args=[world.recommendations[0].pk])
    response = world.clients["compliance"].get(url, {"basis": "response", "response": s.letter_id})
    form = response.context["form"]
    assert form.initial["basis"] == "response"
    assert form.initial["response"] == s.letter_id
    assert f'<option value="{s.letter_id}" selected>' in response.content.decode()
    # Odd values are ignored, not a 500.
    odd = world.clients["compliance"].get(url, {"basis": "moon", "response": "x"})
    assert odd.status_code == 200


def test_detail_links_the_earlier_and_the_later_submissions(world):
    with time_machine.travel(NOW + dt.timedelta(days=2), tick=False):
        reply = services.submission_start(
            visit=world.visit, by=world.focal.user, replies_to=world.submission
        )
        services.answer_save(
            submission=reply,
            recommendation=world.recommendations[1],
            position="accepted",
            stated_status="implemented",
            measures="Mattresses bought.",
            by=world.focal.user,
        )
        services.submission_send(submission=reply, by=world.focal.user)
        reply = services.submission_sign_off(submission=reply, by=world.validator.user)
    first = world.clients["head"].get(reverse("answers:detail", args=[world.submission.pk]))
    assert reverse("answers:detail", args=[reply.pk]) in first.content.decode()
    second = world.clients["head"].get(reverse("answers:detail", args=[reply.pk]))
    assert second.context["earlier"] == world.submission
    assert reverse("answers:detail", args=[world.submission.pk]) in second.content.decode()


def test_a_draft_is_not_on_the_npm_side(world):
    with time_machine.travel(NOW, tick=False):
        draft = services.submission_start(visit=world.visit, by=world.focal.user)
    response = world.clients["head"].get(reverse("answers:detail", args=[draft.pk]))
    assert response.status_code == 404


def test_accept_records_state_and_who(world, compliance):
    s = world.submission
    response = world.clients["compliance"].post(reverse("answers:accept", args=[s.pk]))
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.review == ReviewState.ACCEPTED
    assert s.reviewed_by == compliance
    assert s.reviewed_at is not None
    page = world.clients["compliance"].get(reverse("answers:detail", args=[s.pk]))
    assert "Accept as received" not in page.content.decode()


def test_partner_and_authority_cannot_accept(world):
    s = world.submission
    for role in ("partner", "authority"):
        assert world.clients[role].post(reverse("answers:accept", args=[s.pk])).status_code == 404
    s.refresh_from_db()
    assert s.review == ReviewState.PENDING


def test_clarify_without_a_question_says_so_by_the_field(world):
    s = world.submission
    response = world.clients["compliance"].post(
        reverse("answers:clarify", args=[s.pk]), {"question": "   "}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["question"] == ["Write the question for the authority."]
    s.refresh_from_db()
    assert s.review == ReviewState.PENDING


def test_clarify_sets_the_question_the_authority_sees(
    world, compliance, django_capture_on_commit_callbacks
):
    s = world.submission
    question = "Which budget line pays for the mattresses?"
    with django_capture_on_commit_callbacks(execute=True):
        response = world.clients["compliance"].post(
            reverse("answers:clarify", args=[s.pk]), {"question": question}
        )
    assert response.status_code == 302
    s.refresh_from_db()
    assert (s.review, s.reviewed_by, s.clarification_question) == (
        ReviewState.CLARIFICATION,
        compliance,
        question,
    )
    # The authority's users see it, through their own view of the submission.
    seen = access.get_submission(world.focal, s.pk)
    assert seen.clarification_question == question
    # They are told by mail, without the question itself.
    assert {address for message in mail.outbox for address in message.to} >= {
        "focal@institution.rs"
    }
    assert all(question not in message.body for message in mail.outbox)
    page = world.clients["compliance"].get(reverse("answers:detail", args=[s.pk]))
    assert question in page.content.decode()


def test_evidence_download_is_the_file_and_is_logged(world, compliance):
    s = world.submission
    response = world.clients["compliance"].get(
        reverse("answers:evidence", args=[s.pk, world.evidence.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "invoice.pdf" in response["Content-Disposition"]
    assert {"private", "no-store"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }
    assert AccessLog.objects.filter(
        user=compliance, action="download", object_id=str(world.evidence.pk)
    ).exists()


def test_evidence_of_another_submission_is_404(world):
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        other = _submit(world.visit, world.focal, world.validator, world.recommendations[1:])
    url = reverse("answers:evidence", args=[other.pk, world.evidence.pk])
    assert world.clients["head"].get(url).status_code == 404


# --- The letter page ----------------------------------------------------------------------------


def test_the_letter_says_it_came_through_the_portal(world):
    url = reverse("recommendations:response_detail", args=[world.submission.letter_id])
    html = world.clients["compliance"].get(url).content.decode()
    assert "the authority portal" in html
    assert reverse("answers:detail", args=[world.submission.pk]) in html


def test_a_letter_typed_in_by_compliance_has_no_portal_line(world, compliance):
    with time_machine.travel(NOW, tick=False):
        letter = recommendation_services.response_record(
            visit=world.visit,
            authority=world.ministry,
            received_on=dt.date(2025, 11, 5),
            items=[{"recommendation": world.recommendations[1], "stated_status": "in_progress"}],
            by=compliance,
        )
    url = reverse("recommendations:response_detail", args=[letter.pk])
    response = world.clients["compliance"].get(url)
    assert response.status_code == 200
    assert "the authority portal" not in response.content.decode()


# --- Accounts -----------------------------------------------------------------------------------


def _invite_data(authority, **overrides) -> dict:
    return {
        "authority": authority.pk,
        "function": F.ALTERNATE,
        "first_name": "Petar",
        "last_name": "Petrović",
        "email": "petar@institution.rs",
        "position": "",
        **overrides,
    }


def test_account_create_invites_and_shows_the_link_once(world):
    url = reverse("answers:account_create")
    response = world.clients["head"].post(url, _invite_data(world.institution))
    assert response.status_code == 200
    account = AuthorityAccount.objects.get(user__username="petar@institution.rs")
    invitation = response.context["invitation"]
    assert invitation.account == account
    assert invitation.invitation_url in response.content.decode()
    assert invitation.invitation_url in mail.outbox[-1].body


def test_account_create_refuses_a_duplicate_by_the_field(world):
    url = reverse("answers:account_create")
    data = _invite_data(world.institution, email="FOCAL@institution.rs")
    response = world.clients["head"].post(url, data)
    assert response.status_code == 200
    assert "already exists" in response.context["form"].errors["email"][0]
    assert AuthorityAccount.objects.count() == 2


def test_account_create_refuses_an_npm_login(world, staff):
    url = reverse("answers:account_create")
    data = _invite_data(world.institution, email=staff.email)
    response = world.clients["head"].post(url, data)
    assert "NPM or partner login" in response.context["form"].errors["email"][0]


def test_account_create_pre_selects_the_authority(world):
    url = reverse("answers:account_create")
    response = world.clients["head"].get(url, {"authority": world.ministry.pk})
    assert response.context["form"].initial["authority"] == world.ministry
    inactive = AuthorityFactory(active=False)
    odd = world.clients["head"].get(url, {"authority": inactive.pk})
    assert odd.context["form"].initial["authority"] is None
    assert world.clients["head"].get(url, {"authority": "x"}).status_code == 200


def test_account_list_filters(world, head):
    other = authority_user(AuthorityFactory(name="Ministry of Health"), F.VALIDATOR)
    url = reverse("answers:account_list")

    def shown(query):
        response = world.clients["compliance"].get(url, query)
        return {a.pk for a in response.context["page"].object_list}

    assert shown({}) == {world.focal.pk, world.validator.pk, other.pk}
    assert shown({"authority": "health"}) == {other.pk}
    assert shown({"function": F.VALIDATOR}) == {world.validator.pk, other.pk}
    accounts.account_deactivate(account=other, by=head)
    assert shown({"active": "no"}) == {other.pk}
    assert shown({"active": "yes"}) == {world.focal.pk, world.validator.pk}


def test_account_detail_shows_invited_last_login_and_deactivation(world, head):
    url = reverse("answers:account_deactivate", args=[world.focal.pk])
    confirm = world.clients["head"].get(url)
    assert confirm.status_code == 200
    world.focal.refresh_from_db()
    assert world.focal.deactivated_at is None  # the GET only asks
    assert world.clients["head"].post(url).status_code == 302
    world.focal.refresh_from_db()
    assert world.focal.deactivated_by == head
    detail = world.clients["compliance"].get(
        reverse("answers:account_detail", args=[world.focal.pk])
    )
    html = detail.content.decode()
    assert 'id="account-deactivated"' in html
    assert "Deactivated" in html
    # Their open session ended.
    assert _code(world.clients["authority"].get(reverse("authority:home"))) == "L"


def test_account_invite_sends_a_fresh_link_or_reactivates(world, head):
    url = reverse("answers:account_invite", args=[world.focal.pk])
    response = world.clients["head"].post(url)
    assert response.status_code == 200
    assert response.context["invitation"].invitation_url in mail.outbox[-1].body
    accounts.account_deactivate(account=world.focal, by=head)
    response = world.clients["head"].post(url)
    assert response.status_code == 200
    world.focal.refresh_from_db()
    world.focal.user.refresh_from_db()
    assert world.focal.is_active


# --- Sharing the full report --------------------------------------------------------------------


def test_dispatch_share_toggles_and_keeps_history(world, staff):
    dispatch = world.visit.report.dispatches.get(authority=world.institution)
    url = reverse("visits:dispatch_share", args=[world.visit.pk, dispatch.pk])
    response = world.clients["staff"].post(url, {"shared": "1"})
    assert response.status_code == 302
    assert response.url == reverse("visits:report_detail", args=[world.visit.pk])
    dispatch.refresh_from_db()
    assert dispatch.full_version_shared
    assert dispatch.history.order_by("-history_id").first().history_user == staff
    assert access.may_download_full(world.focal, world.visit.report)
    # The same POST again (a double submit) changes nothing; "0" stops sharing.
    world.clients["staff"].post(url, {"shared": "1"})
    dispatch.refresh_from_db()
    assert dispatch.full_version_shared
    world.clients["head"].post(url, {"shared": "0"})
    dispatch.refresh_from_db()
    assert not dispatch.full_version_shared
    # Without a value, a toggle.
    world.clients["head"].post(url)
    dispatch.refresh_from_db()
    assert dispatch.full_version_shared


def test_compliance_cannot_share(world):
    dispatch = world.visit.report.dispatches.get(authority=world.institution)
    url = reverse("visits:dispatch_share", args=[world.visit.pk, dispatch.pk])
    assert world.clients["compliance"].post(url, {"shared": "1"}).status_code == 403
    dispatch.refresh_from_db()
    assert not dispatch.full_version_shared


def test_the_report_page_shows_sharing_and_the_toggle_to_dispatchers(world):
    dispatch = world.visit.report.dispatches.get(authority=world.institution)
    url = reverse("visits:report_detail", args=[world.visit.pk])
    share = reverse("visits:dispatch_share", args=[world.visit.pk, dispatch.pk])
    head_html = world.clients["head"].get(url).content.decode()
    assert share in head_html
    assert "public version only" in head_html
    compliance_html = world.clients["compliance"].get(url).content.decode()
    assert "public version only" in compliance_html
    assert share not in compliance_html


def test_the_dispatch_form_shares_the_full_version(world):
    other = AuthorityFactory(name="Protector's regional office")
    url = reverse("visits:dispatch_create", args=[world.visit.pk])
    form = world.clients["head"].get(url).content.decode()
    assert 'name="full_version_shared"' in form
    response = world.clients["head"].post(
        url,
        {
            "authority": other.pk,
            "sent_on": "2025-11-01",
            "reference": "",
            "channel": "post",
            "full_version_shared": "on",
        },
    )
    assert response.status_code == 302
    assert Dispatch.objects.get(authority=other).full_version_shared


# --- The authority page -------------------------------------------------------------------------


def test_the_authority_page_lists_its_portal_users(world):
    url = reverse("visits:authority_detail", args=[world.institution.pk])
    invite = reverse("answers:account_create") + f"?authority={world.institution.pk}"
    head_html = world.clients["head"].get(url).content.decode()
    assert f'data-account="{world.focal.pk}"' in head_html
    assert invite in head_html
    compliance_html = world.clients["compliance"].get(url).content.decode()
    assert f'data-account="{world.focal.pk}"' in compliance_html
    assert invite not in compliance_html
    partner = world.clients["partner"].get(url)
    assert 'id="authority-accounts"' not in partner.content.decode()


def test_account_list_queries_do_not_grow_with_the_rows(world):
    client = world.clients["compliance"]
    with CaptureQueriesContext(connection) as two:
        client.get(reverse("answers:account_list"))
    for n in range(3):
        authority_user(AuthorityFactory(), F.ALTERNATE, email=f"more{n}@example.rs")
    with CaptureQueriesContext(connection) as five:
        response = client.get(reverse("answers:account_list"))
    assert len(response.context["page"].object_list) == 5
    assert len(five) == len(two)
