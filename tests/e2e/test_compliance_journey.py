"""Journey 3: the authority's letter about an issued, dispatched report is recorded per
recommendation by the compliance officer, who assesses one; staff record what a follow-up visit
saw; the recommendation's timeline shows it all with dates."""

import datetime as dt
import importlib
from pathlib import Path

import time_machine
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from core.roles import Role
from recommendations.models import Recommendation
from tests.factories import PASSWORD, AuthorityFactory, PlaceFactory, UserFactory
from tests.factories.recommendations import RecommendationFactory
from tests.recommendations.compliance_helpers import dispatch, issue, visit_at

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_response_assessment_and_follow_up_visit(live_server, page, login, settings, tmp_path):
    importlib.import_module("visits.migrations.0002_seed_themes").seed(apps, None)
    settings.MEDIA_ROOT = tmp_path
    UserFactory(
        username="compliance", first_name="Jelena", last_name="Ilić", roles=[Role.COMPLIANCE]
    )
    UserFactory(username="staff", first_name="Miloš", last_name="Janković", roles=[Role.STAFF])
    ministry = AuthorityFactory(name="Ministry of Interior")
    institution = AuthorityFactory(
        name="Police Administration Kruševac",
        short_name="PU Kruševac",
        kind="institution",
        parent=ministry,
    )
    place = PlaceFactory(name="Police Department Kruševac", authority=institution)
    visit = visit_at(place, day=dt.date(2025, 9, 10))
    # Drafted after the visit, before the report was issued.
    drafting = dt.datetime(2025, 9, 20, 10, tzinfo=timezone.get_default_timezone())
    with time_machine.travel(drafting, tick=False):
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
    issue(visit, issued_on=dt.date(2025, 10, 1))
    dispatch(visit, institution, dt.date(2025, 10, 3))
    dispatch(visit, ministry, dt.date(2025, 10, 6))
    # A follow-up visit to the place, planned (its checklist fills itself) and then conducted.
    follow_up = visit_at(place, day=dt.date(2026, 2, 10), kind="follow_up", status="planned")
    follow_up.status = "conducted"
    follow_up.save()

    # The compliance officer records the institution's letter: one row per open recommendation.
    login("compliance", PASSWORD)
    page.goto(f"{live_server.url}/recommendations/visit/{visit.pk}/")
    page.get_by_role("link", name="Record a response").click()
    page.locator("#id_authority").select_option(label="Police Administration Kruševac")
    page.get_by_role("button", name="Continue").click()
    rows = page.locator("#response-rows tbody tr")
    expect(rows).to_have_count(2)
    page.locator("#id_received_on").fill("2025-11-20")
    page.locator("#id_reference").fill("01-72/2025")
    page.locator("#id_document").set_input_files(
        files=[{"name": "letter.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    for rec, status, explanation in (
        (register, "Implemented", "The register is kept electronically."),
        (detention, "Not implemented", "No funds this year."),
    ):
        page.locator(f"#id_rec-{rec.pk}-include").check()
        page.locator(f"#id_rec-{rec.pk}-stated_status").select_option(label=status)
        page.locator(f"#id_rec-{rec.pk}-explanation").fill(explanation)
    page.locator(f"#id_rec-{detention.pk}-promised_by").fill("2026-06-30")
    var = Path(__file__).resolve().parents[2] / "var"
    var.mkdir(exist_ok=True)
    page.screenshot(path=str(var / "compliance_letter_form.png"), full_page=True)
    page.get_by_role("button", name="Record the letter").click()
    expect(page.locator(".alert-success")).to_contain_text("recorded for 2 recommendation(s)")
    expect(page.locator("#response-items tbody tr")).to_have_count(2)

    # She typed the promised date wrong: she corrects the letter, and its history shows it.
    page.get_by_role("link", name="Correct the letter").click()
    expect(page.locator(f"#id_rec-{detention.pk}-include")).to_be_checked()
    page.locator(f"#id_rec-{detention.pk}-promised_by").fill("2026-09-30")
    page.get_by_role("button", name="Save the corrections").click()
    expect(page.locator(".alert-success")).to_contain_text("The letter was corrected.")
    expect(
        page.locator(f'#response-items tr[data-recommendation="{detention.pk}"]')
    ).to_contain_text("30 Sep 2026")
    expect(page.locator("#response-corrections li")).to_have_count(1)

    # ... and assesses the register recommendation on the strength of the letter.
    page.locator(f'#response-items tr[data-recommendation="{register.pk}"]').get_by_role(
        "link", name="Assess"
    ).click()
    page.locator("#id_status").select_option(label="Implemented")
    expect(page.locator("#id_basis")).to_have_value("response")
    page.locator("#id_assessed_on").fill("2025-11-25")
    page.get_by_role("button", name="Record assessment").click()
    expect(page.locator("#current-status")).to_contain_text("Implemented")
    register.refresh_from_db()
    assert register.status == Recommendation.Status.IMPLEMENTED

    # Staff record what the follow-up visit saw about the detention premises.
    page.context.clear_cookies()
    login("staff", PASSWORD)
    page.goto(f"{live_server.url}/visits/{follow_up.pk}/")
    page.get_by_role("link", name="Follow-up checklist").click()
    line = page.locator(
        f'#checklist li[data-check]:has(a[href="/recommendations/{detention.pk}/"])'
    )
    prefix = "check-" + line.get_attribute("data-check")
    line.locator(f"#id_{prefix}-observation").fill(
        "Two new detention rooms equipped; the old ones still in use."
    )
    line.locator(f"#id_{prefix}-status").select_option(label="Partially implemented")
    line.locator(f"#id_{prefix}-reason").select_option(label="Lack of funds")
    line.get_by_role("button", name="Record").click()
    expect(page.locator(".alert-success")).to_contain_text("Recorded for")
    expect(page.locator(f"#{prefix} .recorded")).to_contain_text("Two new detention rooms")
    page.screenshot(path=str(var / "compliance_checklist.png"), full_page=True)

    # The detail page: current status and the whole timeline, with dates.
    page.goto(f"{live_server.url}/recommendations/{detention.pk}/")
    expect(page.locator("#current-status")).to_contain_text("Partially implemented")
    expect(page.locator("#current-status")).to_contain_text("verified on site")
    timeline = page.locator("#timeline")
    for kind, text in (
        ("issued", "Report issued"),
        ("dispatched", "Sent to Police Administration Kruševac"),
        ("dispatched", "Sent to Ministry of Interior"),
        ("response", "Response from Police Administration Kruševac"),
        ("follow_up", f"Follow-up visit {follow_up.reference}"),
        ("assessment", "Assessed: Partially implemented"),
        ("due", "Response due"),
    ):
        expect(timeline.locator(f'li[data-kind="{kind}"]', has_text=text)).to_have_count(1)
    kinds = timeline.locator("li").evaluate_all("items => items.map(i => i.dataset.kind)")
    assert kinds == [
        "created",
        "issued",
        "dispatched",
        "dispatched",
        "response",
        "due",
        "follow_up",
        "assessment",
    ]
    expect(timeline).to_contain_text("1 Oct 2025")
    expect(timeline).to_contain_text("20 Sep 2025")
    expect(timeline).to_contain_text("10 Feb 2026")
    page.screenshot(path=str(var / "compliance_journey.png"), full_page=True)
