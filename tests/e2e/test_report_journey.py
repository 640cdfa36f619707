"""Journey 2: staff creates the report and assigns a section to a partner member; the partner
drafts it (autosaved), submits it; staff returns it with a comment, the partner revises it;
staff accepts every section; the head approves and issues the report, whose PDF is frozen with
its SHA-256; staff records the dispatches to the institution and the ministry."""

import datetime as dt
import hashlib
import importlib
import re

from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from core.roles import Role
from tests.factories import PASSWORD, AuthorityFactory, PlaceFactory, UserFactory
from tests.factories.visits import (
    MemberFactory,
    OrganisationFactory,
    TeamMemberFactory,
    VisitFactory,
    theme,
)
from visits.models import Dispatch, Finding, Report, ReportSection

FINDINGS = "Findings: Material conditions"


def _login(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")


def _open_section(page, title: str) -> None:
    page.locator("#report-sections").get_by_role("link", name=title, exact=True).click()
    expect(page.locator("#section-title")).to_have_text(title)


def test_report_from_drafting_to_dispatch(live_server, browser, page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    importlib.import_module("visits.migrations.0002_seed_themes").seed(apps, None)
    staff = UserFactory(
        username="staff", first_name="Miloš", last_name="Janković", roles=[Role.STAFF]
    )
    UserFactory(username="head", first_name="Jelena", last_name="Stojanović", roles=[Role.HEAD])
    partner = UserFactory(
        username="partner", first_name="Ana", last_name="Marković", roles=[Role.PARTNER]
    )
    ministry = AuthorityFactory(name="Ministry of Justice")
    prison = AuthorityFactory(
        name="District Prison Niš (institution)", kind="institution", parent=ministry
    )
    place = PlaceFactory(name="District Prison Niš", authority=prison)
    bchr = OrganisationFactory(name="Belgrade Centre for Human Rights", short_name="BCHR")
    member = MemberFactory(organisation=bchr, user=partner, first_name="Ana", last_name="Marković")
    start = timezone.now() - dt.timedelta(days=3)
    visit = VisitFactory(
        place=place,
        status="conducted",
        planned_start=start,
        actual_start=start,
        actual_end=start + dt.timedelta(hours=6),
    )
    TeamMemberFactory(visit=visit, user=staff, role="head")
    TeamMemberFactory(visit=visit, member=member, role="member")
    Finding.objects.create(visit=visit, theme=theme("material-conditions"), text="No light.")
    other_visit = VisitFactory(place=PlaceFactory(name="Police Station Zemun"))
    partner_page = browser.new_context().new_page()
    head_page = browser.new_context().new_page()

    # Staff creates the report from the visit's Report tab.
    _login(page, live_server, "staff")
    page.goto(f"{live_server.url}{visit.get_absolute_url()}")
    page.locator("[data-tab=report]").click()
    page.get_by_role("link", name="Create report").click()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#report-reference")).to_have_text(f"NPM-{visit.year}-001")
    expect(page.locator("#report-sections > li")).to_have_count(5)
    expect(page.locator("#report-sections")).to_contain_text(FINDINGS)

    # ... and assigns the findings section to the partner member.
    page.get_by_role("link", name=f"Settings of {FINDINGS}").click()
    page.locator("#id_author").select_option(label="Ana Marković")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#report-sections")).to_contain_text("by Ana Marković")

    # The partner sees only that visit, and drafts the section: autosave, then save, submit.
    _login(partner_page, live_server, "partner")
    partner_page.get_by_role("link", name="Visits", exact=True).click()
    expect(partner_page.locator("tr[data-visit]")).to_have_count(1)
    expect(partner_page.locator("body")).not_to_contain_text(other_visit.place.name)
    expect(partner_page.locator("tr[data-visit]")).to_contain_text("District Prison Niš")
    partner_page.get_by_role("link", name=visit.reference, exact=True).click()
    partner_page.locator("[data-tab=report]").click()
    # Only their own section is open to them.
    expect(partner_page.locator("#report-sections a.fw-semibold")).to_have_count(1)
    _open_section(partner_page, FINDINGS)
    partner_page.locator("#id_body").fill("Cells have **no natural light**.")
    expect(partner_page.locator("#autosave-status")).to_contain_text(
        "Draft saved at", timeout=15000
    )
    expect(partner_page.locator("#section-preview strong")).to_have_text("no natural light")
    partner_page.get_by_role("button", name="Save", exact=True).click()
    expect(partner_page.locator(".alert-success")).to_contain_text("Section saved")
    partner_page.get_by_role("button", name="Submit for review").click()
    expect(partner_page.locator("[data-section-status]")).to_have_text("Submitted")
    expect(partner_page.locator("#id_body")).to_have_count(0)
    partner_page.screenshot(path="var/report-journey-partner.png", full_page=True)

    # Staff returns it with a comment.
    page.reload()
    _open_section(page, FINDINGS)
    expect(page.locator("#id_body")).to_have_value(re.compile("no natural light"))
    page.locator("#id_comment").fill("Please say how long people stay in these cells.")
    page.get_by_role("button", name="Return with comment").click()
    expect(page.locator("[data-section-status]")).to_have_text("Returned")

    # The partner revises and submits again.
    partner_page.reload()
    expect(partner_page.locator("[data-review-comment]")).to_contain_text("how long people stay")
    partner_page.locator("#id_body").fill(
        "Cells have **no natural light**; people stay there up to 48 hours."
    )
    partner_page.get_by_role("button", name="Save", exact=True).click()
    partner_page.get_by_role("button", name="Submit for review").click()
    expect(partner_page.locator("[data-section-status]")).to_have_text("Submitted")

    # Staff writes and accepts every other section, accepts the partner's, submits the report.
    page.locator(".breadcrumb").get_by_role("link", name=re.compile("^NPM-")).click()
    titles = list(
        ReportSection.objects.filter(report__visit=visit)
        .exclude(title=FINDINGS)
        .values_list("title", flat=True)
    )
    for title in titles:
        _open_section(page, title)
        page.locator("#id_body").fill(f"Text of “{title}”.")
        page.get_by_role("button", name="Save", exact=True).click()
        page.get_by_role("button", name="Submit for review").click()
        page.get_by_role("button", name="Accept").click()
        expect(page.locator("[data-section-status]")).to_have_text("Accepted")
        page.locator(".breadcrumb").get_by_role("link", name=re.compile("^NPM-")).click()
    row = page.locator("#report-sections > li", has_text=FINDINGS)
    row.get_by_role("button", name="Accept").click()
    expect(page.locator("#report-sections [data-badge=section-status]")).to_have_text(
        ["Accepted"] * 5
    )
    page.get_by_role("button", name="Submit report for review").click()
    expect(page.locator("[data-report-status]")).to_have_text("In review")

    # The head approves and issues: the frozen PDF's SHA-256 is on the page.
    _login(head_page, live_server, "head")
    head_page.goto(f"{live_server.url}{visit.get_absolute_url()}report/")
    head_page.get_by_role("button", name="Approve").click()
    expect(head_page.locator("[data-report-status]")).to_have_text("Approved")
    # Issuing is confirmed first (tests/e2e/test_safeguards_journey.py).
    head_page.get_by_role("link", name="Issue report").click()
    head_page.get_by_role("button", name="Yes, issue the report").click()
    # Issuing queues the frozen PDFs' rendering: its progress page follows it to the end.
    expect(head_page.locator("#render-progress")).to_have_attribute(
        "data-state", "done", timeout=60000
    )
    head_page.get_by_role("link", name="Back to the report").click()
    expect(head_page.locator("[data-report-status]")).to_have_text("Issued")
    expect(head_page.locator("#report-pdf-sha256")).to_have_text(
        re.compile(r"^[0-9a-f]{64}$"), timeout=30000
    )
    head_page.screenshot(path="var/report-journey-issued.png", full_page=True)

    # Staff records the dispatches to the institution and to the ministry.
    page.reload()
    for authority, reference in [(prison, "71-1234/26"), (ministry, "71-1235/26")]:
        page.get_by_role("link", name="Record a dispatch").click()
        page.locator("#id_authority").select_option(label=authority.name)
        page.locator("#id_reference").fill(reference)
        page.locator("#id_channel").select_option(label="Registered post")
        page.get_by_role("button", name="Save").click()
        expect(page.locator("#report-dispatches")).to_contain_text(authority.name)

    report = Report.objects.get(visit=visit)
    assert report.status == "issued"
    assert report.issued_by.username == "head"
    with report.pdf.open("rb") as pdf:
        assert hashlib.sha256(pdf.read()).hexdigest() == report.pdf_sha256
    findings = report.sections.get(title=FINDINGS)
    assert findings.author == partner
    assert findings.body.endswith("up to 48 hours.")
    assert findings.history.filter(history_user=partner).exists()
    assert set(Dispatch.objects.values_list("authority__name", flat=True)) == {
        prison.name,
        ministry.name,
    }
