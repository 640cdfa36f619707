"""Safeguards on irreversible steps, in the browser: "Close visit" refused (and explained)
while the visit's report is drafting; issuing asks for confirmation on its own page, and the
report is not issued until "Yes, issue the report" is pressed."""

import datetime as dt
import importlib
import re

from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from core.roles import Role
from tests.factories import PASSWORD, UserFactory
from tests.factories.visits import ReportFactory, TeamMemberFactory, VisitFactory
from visits.models import Report, Visit, VisitStatus


def test_close_refused_while_drafting_and_issue_confirmed(
    live_server, page, login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    importlib.import_module("visits.migrations.0002_seed_themes").seed(apps, None)
    head = UserFactory(username="head", roles=[Role.HEAD])
    start = timezone.now() - dt.timedelta(days=3)
    visit = VisitFactory(
        status=VisitStatus.REPORTING,
        planned_start=start,
        planned_end=start + dt.timedelta(hours=5),
        actual_start=start,
        actual_end=start + dt.timedelta(hours=5),
    )
    TeamMemberFactory(visit=visit, user=head, role="head")
    report = ReportFactory(visit=visit)
    login("head", PASSWORD)

    # Closing is refused while the report is drafting: the button is disabled, with the reason.
    page.goto(f"{live_server.url}{visit.get_absolute_url()}")
    expect(page.locator("#close-visit-blocked button")).to_be_disabled()
    expect(page.locator("#close-visit-why")).to_contain_text("Issue the report first")
    # Its confirmation page (typed in) explains and offers no "Yes".
    page.goto(f"{live_server.url}{visit.get_absolute_url()}close/")
    expect(page.locator("#confirm-refusal")).to_contain_text("Issue the visit's report")
    expect(page.get_by_role("button", name="Yes, close the visit")).to_have_count(0)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.REPORTING

    # The approved report: "Issue report" opens the confirmation; nothing is issued yet.
    Report.objects.filter(pk=report.pk).update(status="approved")
    page.goto(f"{live_server.url}{visit.get_absolute_url()}report/")
    page.get_by_role("link", name="Issue report").click()
    expect(page.locator("#confirm-title")).to_contain_text("Issue report")
    expect(page.locator("#confirm-irreversible")).to_contain_text("cannot be undone")
    report.refresh_from_db()
    assert report.status == "approved"
    # "No, go back": still approved.
    page.get_by_role("link", name="No, go back").click()
    expect(page.locator("[data-report-status]")).to_have_text("Approved")
    report.refresh_from_db()
    assert report.status == "approved"
    page.screenshot(path="var/safeguards-journey-before-issue.png", full_page=True)

    # "Yes, issue the report": issued, and the visit closed with it.
    page.get_by_role("link", name="Issue report").click()
    page.get_by_role("button", name="Yes, issue the report").click()
    page.wait_for_url(re.compile(r"/report/renders/\d+/"))
    report.refresh_from_db()
    assert report.status == "issued"
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.CLOSED
