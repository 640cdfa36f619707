"""Journey: an authority answers in the portal. The focal point of Police Administration
Kruševac answers two recommendations of an issued, dispatched report (one with an evidence
file) and sends them for sign-off; the validating authority signs off on the confirmation page;
the compliance officer finds the submission in the NPM's inbox, accepts it as received and
assesses one recommendation on the basis of the letter it formed, with a progress judgement."""

import datetime as dt
import importlib

from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from core.roles import Role
from npm_portal.authority_portal.models import AuthorityAccount, Evidence, Submission
from recommendations.models import Assessment, Recommendation
from tests.authority_portal.helpers import authority_user
from tests.factories import PASSWORD, AuthorityFactory, PlaceFactory, UserFactory
from tests.factories.recommendations import RecommendationFactory
from tests.recommendations.compliance_helpers import dispatch, issue, visit_at

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _log_in(page, live_server, username: str, landing: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}{landing}")


def test_focal_point_answers_validator_signs_off_compliance_assesses(
    live_server, page, login, settings, tmp_path
):
    importlib.import_module("visits.migrations.0002_seed_themes").seed(apps, None)
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    UserFactory(
        username="compliance", first_name="Jelena", last_name="Ilić", roles=[Role.COMPLIANCE]
    )
    ministry = AuthorityFactory(name="Ministry of Interior")
    institution = AuthorityFactory(
        name="Police Administration Kruševac",
        short_name="PU Kruševac",
        kind="institution",
        parent=ministry,
    )
    place = PlaceFactory(name="Police Department Kruševac", authority=institution)
    visit = visit_at(place, day=today - dt.timedelta(days=80))
    detention = RecommendationFactory(
        visit=visit,
        number=1,
        text="Renovate the detention premises to meet the minimum standards.",
        addressees=[institution, ministry],
    )
    register = RecommendationFactory(
        visit=visit,
        number=2,
        text="Keep the register of detained persons complete and up to date.",
        addressees=[institution, ministry],
    )
    report = issue(visit, issued_on=today - dt.timedelta(days=50))
    dispatch(visit, institution, today - dt.timedelta(days=48))
    dispatch(visit, ministry, today - dt.timedelta(days=47))
    authority_user(
        institution,
        AuthorityAccount.Function.FOCAL_POINT,
        username="focal",
        first_name="Marko",
        last_name="Petrović",
    )
    authority_user(
        institution,
        AuthorityAccount.Function.VALIDATOR,
        username="validator",
        first_name="Ana",
        last_name="Jovanović",
    )
    detention.refresh_from_db()
    promised = today + dt.timedelta(days=120)

    # The focal point logs in: the portal opens on their recommendations.
    _log_in(page, live_server, "focal", "/authority/")
    rows = page.locator("#recommendations tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#recommendations")).to_contain_text(detention.reference)

    # They open the report and answer it.
    page.goto(f"{live_server.url}/authority/reports/")
    page.get_by_role("link", name=report.reference).first.click()
    page.locator("#answer-report-form").get_by_role("button", name="Answer").click()
    expect(page.locator("h1")).to_contain_text("Draft answer")
    for rec, position, status, measures, date in (
        (
            detention,
            "Accepted",
            "In progress",
            "The renovation is contracted; works start in spring.",
            promised.isoformat(),
        ),
        (register, "Accepted", "Implemented", "The register is now kept electronically.", ""),
    ):
        page.locator(f'#unanswered a[data-recommendation="{rec.pk}"]').click()
        page.locator("#id_position").select_option(label=position)
        page.locator("#id_stated_status").select_option(label=status)
        page.locator("#id_measures").fill(measures)
        if date:
            page.locator("#id_promised_by").fill(date)
        page.get_by_role("button", name="Save the answer").click()
        expect(page.locator("h1")).to_contain_text("Draft answer")
    answers = page.locator("section[data-answer]")
    expect(answers).to_have_count(2)
    # The evidence: the contract, on the detention answer.
    card = answers.filter(has_text=detention.reference)
    card.locator("input[type=file]").set_input_files(
        files=[{"name": "contract.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    card.get_by_role("button", name="Add the file").click()
    expect(answers.filter(has_text=detention.reference)).to_contain_text("contract.pdf")

    # Send for sign-off: a confirmation page first.
    page.locator("#send-link").click()
    page.locator("#confirm-form").get_by_role("button", name="Send for sign-off").click()
    expect(page.locator(".alert-success")).to_contain_text("sent to the validating authority")
    submission = Submission.objects.get(authority=institution, visit=visit)
    assert submission.state == Submission.State.AWAITING_SIGNOFF
    assert Evidence.objects.filter(answer__submission=submission).count() == 1

    # The validating authority logs in and finds it waiting for them.
    page.context.clear_cookies()
    _log_in(page, live_server, "validator", "/authority/")
    page.locator("#task-signoff").get_by_role("link", name=report.reference).click()
    page.locator("#sign-off-link").click()
    expect(page.locator("#irreversible")).to_contain_text("cannot be undone")
    expect(page.locator("section[data-answer]")).to_have_count(2)
    page.get_by_role("button", name="Sign off and submit 2 answers").click()
    expect(page.locator(".alert-success")).to_contain_text("submitted to the NPM as letter")
    submission.refresh_from_db()
    assert submission.state == Submission.State.SUBMITTED
    assert submission.reference.startswith(f"ANS-{today.year}-")
    expect(page.locator("h1")).to_contain_text(submission.reference)
    letter = submission.letter
    assert {item.recommendation_id for item in letter.items.all()} == {detention.pk, register.pk}

    # Compliance sees it in the NPM's inbox, opens it and accepts it as received.
    page.context.clear_cookies()
    login("compliance", PASSWORD)
    page.goto(f"{live_server.url}/answers/")
    page.get_by_role("link", name=submission.reference).click()
    expect(page.locator("h1")).to_contain_text(f"Answer {submission.reference}")
    expect(page.locator("body")).to_contain_text("contract.pdf")
    page.get_by_role("button", name="Accept as received").click()
    expect(page.locator(".alert-success")).to_contain_text("accepted")
    submission.refresh_from_db()
    assert submission.review == Submission.Review.ACCEPTED

    # ... and assesses the detention recommendation on the basis of the letter.
    answer = submission.answers.get(recommendation=detention)
    heading = page.locator(f"#answer-{answer.pk}")
    heading.locator("xpath=..").get_by_role("link", name="Assess on this letter").click()
    expect(page.locator("#id_basis")).to_have_value("response")
    expect(page.locator("#id_response")).to_have_value(str(letter.pk))
    page.locator("#id_status").select_option(label="In progress")
    page.locator("#id_progress").select_option(label="Reasonable progress")
    page.get_by_role("button", name="Record assessment").click()
    expect(page.locator("#current-status")).to_contain_text("In progress")
    assessment = Assessment.objects.get(recommendation=detention)
    assert assessment.progress == "reasonable"
    assert assessment.response_id == letter.pk
    detention.refresh_from_db()
    assert detention.status == Recommendation.Status.IN_PROGRESS
