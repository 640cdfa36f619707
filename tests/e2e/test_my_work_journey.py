""" "My work" and notifications: staff assigns a report section to a partner member; the partner
logs in and their home lists that section (visit, date, link to the editor); the header shows
one unread notification, the list shows it, the partner marks it read; the e-mail went out,
with references and a link only."""

from __future__ import annotations

import datetime as dt
import importlib
import re

from django.apps import apps
from django.conf import settings
from django.core import mail
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from core.roles import Role
from tests.factories import PASSWORD, PlaceFactory, UserFactory
from tests.factories.visits import MemberFactory, TeamMemberFactory, VisitFactory, theme
from visits.models import Finding, ReportSection

FINDINGS = "Findings: Material conditions"


def _login(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")


def test_partner_home_lists_the_assigned_section_and_the_notification(live_server, browser, page):
    importlib.import_module("visits.migrations.0002_seed_themes").seed(apps, None)
    staff = UserFactory(username="staff", roles=[Role.STAFF])
    partner = UserFactory(
        username="partner", first_name="Ana", last_name="Marković", roles=[Role.PARTNER]
    )
    member = MemberFactory(user=partner, first_name="Ana", last_name="Marković")
    start = timezone.now() - dt.timedelta(days=3)
    visit = VisitFactory(
        place=PlaceFactory(name="District Prison Niš"),
        status="conducted",
        planned_start=start,
        actual_start=start,
        actual_end=start + dt.timedelta(hours=6),
    )
    TeamMemberFactory(visit=visit, user=staff, role="head")
    TeamMemberFactory(visit=visit, member=member, role="member")
    # A finding under a theme: the report gets a findings section for it.
    Finding.objects.create(visit=visit, theme=theme("material-conditions"), text="No light.")

    # Staff creates the report and assigns the findings section to the partner.
    _login(page, live_server, "staff")
    page.goto(f"{live_server.url}{visit.get_absolute_url()}")
    page.locator("[data-tab=report]").click()
    page.get_by_role("link", name="Create report").click()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name=f"Settings of {FINDINGS}").click()
    page.locator("#id_author").select_option(label="Ana Marković")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#report-sections")).to_contain_text("by Ana Marković")
    section = ReportSection.objects.get(report__visit=visit, title=FINDINGS)
    reference = section.report.reference

    # The e-mail went out once the change committed: references and a link, no text.
    [message] = [m for m in mail.outbox if partner.email in m.to]
    assert reference in message.subject
    editor = f"/visits/{visit.pk}/report/sections/{section.pk}/"
    assert settings.NPM_BASE_URL.rstrip("/") + editor in message.body
    assert FINDINGS not in message.body

    # The partner's home lists the section with the visit and its date, linking to the editor.
    partner_page = browser.new_context().new_page()
    _login(partner_page, live_server, "partner")
    queue = partner_page.locator("[data-queue=sections-mine]")
    item = queue.locator("[data-work-item]")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(FINDINGS)
    expect(item).to_contain_text(visit.reference)
    expect(item).to_contain_text(reference)
    expect(item).to_contain_text(date_format(timezone.localdate(start), "j M Y"))
    expect(partner_page.locator("[data-work-count]")).to_contain_text("1")
    # The header's bell: one unread, said to screen readers too.
    bell = partner_page.locator("#header-notifications")
    expect(bell.locator("[data-unread-count]")).to_have_text("1")
    expect(bell.locator(".visually-hidden")).to_contain_text("1 unread")
    item.get_by_role("link", name=FINDINGS).click()
    expect(partner_page).to_have_url(re.compile(re.escape(editor) + "$"))
    expect(partner_page.locator("#section-title")).to_have_text(FINDINGS)

    # The notification list: mark it read; the count goes.
    bell.get_by_role("link").click()
    notification = partner_page.locator("#notification-list [data-notification]")
    expect(notification).to_have_count(1)
    expect(notification).to_contain_text(reference)
    expect(notification).to_have_attribute("data-unread", "true")
    notification.get_by_role("button", name=re.compile("^Mark read")).click()
    expect(partner_page.locator("#notification-list [data-notification]")).to_have_attribute(
        "data-unread", "false"
    )
    expect(partner_page.locator("#header-notifications [data-unread-count]")).to_have_count(0)
    partner_page.screenshot(path="var/my-work-journey-partner.png", full_page=True)
