"""axe-core on every page of the four journeys (and the authority portal's): no violation of
impact "critical" or "serious" (WCAG 2.2 AA rules plus axe's best practices).

The demo data (`load_demo`) gives every page something to show: a visit in reporting with a
section assigned to the demo partner, issued reports with recommendations, responses and
assessments, the partner lifecycle, the authority portal's answers. One browser context per role;
axe is the vendored static/vendor/axe-core/axe.min.js, evaluated in the page (the app's CSP
allows no inline script, but `page.evaluate` is not subject to it). Nothing is downloaded.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from django.conf import settings as django_settings
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from core.roles import Role
from npm_portal.authority_portal.models import Answer, AuthorityAccount, Submission
from npm_portal.demo import DEMO_PASSWORD, load_demo
from partners.models import (
    Agreement,
    Event,
    Member,
    Network,
    Organisation,
    Project,
    ProjectResult,
    PublicCall,
)
from recommendations.models import AuthorityResponse, FollowUpCheck, Recommendation
from tests.factories import PASSWORD, UserFactory
from visits.models import (
    Authority,
    Finding,
    FollowUp,
    Interview,
    Place,
    ReportRender,
    ReportSection,
    TeamMember,
    Visit,
)

AXE = Path(django_settings.BASE_DIR, "static", "vendor", "axe-core", "axe.min.js")
BLOCKING = {"critical", "serious"}
# WCAG 2.0-2.2 A and AA, and axe's best practices (landmarks, headings, nested-interactive…).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def _partner_visit() -> Visit:
    # The visit in reporting whose drafting report has a section assigned to the demo partner.
    return Visit.objects.filter(
        report__sections__author__username="partner", report__status="drafting"
    ).first()


def _issued_visit() -> Visit:
    return (
        Visit.objects.filter(report__status="issued", recommendations__isnull=False)
        .order_by("-planned_start")
        .first()
    )


def _correctable_interview() -> Interview:
    # An interview of an open visit whose report is not issued: it may still be corrected.
    return (
        Interview.objects.filter(visit__status="reporting")
        .exclude(visit__report__status="issued")
        .order_by("pk")
        .first()
    )


# Each object a page needs, found in the demo data: name -> pk (or a URL's fixed slug).
OBJECTS: dict[str, Callable[[], int | str]] = {
    "partner_visit": lambda: _partner_visit().pk,
    "partner_section": lambda: (
        ReportSection.objects.filter(report__visit=_partner_visit(), author__username="partner")
        .first()
        .pk
    ),
    "issued_visit": lambda: _issued_visit().pk,
    "return_visit": lambda: Visit.objects.filter(kind="forced_return").first().pk,
    "planned_follow_up": lambda: (
        FollowUpCheck.objects.filter(visit__status="planned").first().visit_id
    ),
    "interview": lambda: Interview.objects.order_by("pk").first().pk,
    "interview_visit": lambda: Interview.objects.order_by("pk").first().visit_id,
    "public_recommendation": lambda: (
        Recommendation.objects.filter(public=True, visit__report__status="issued").first().pk
    ),
    "recommendation": lambda: Recommendation.objects.filter(assessments__isnull=False).first().pk,
    "response": lambda: AuthorityResponse.objects.filter(submission__isnull=True).first().pk,
    "place": lambda: Place.objects.filter(visits__isnull=False).first().pk,
    "authority": lambda: Authority.objects.filter(parent__isnull=False).first().pk,
    "organisation": lambda: Organisation.objects.filter(members__isnull=False).first().pk,
    "call": lambda: PublicCall.objects.first().pk,
    "agreement": lambda: Agreement.objects.first().pk,
    "member": lambda: Member.objects.filter(user__username="partner").first().pk,
    "network": lambda: Network.objects.first().pk,
    "event": lambda: Event.objects.first().pk,
    "project": lambda: Project.objects.first().pk,
    "submission": lambda: Submission.objects.filter(state="submitted").first().pk,
    "focal_submission": lambda: (
        Submission.objects.filter(authority__accounts__user__username="uiks-focal")
        .order_by("-pk")
        .first()
        .pk
    ),
    "focal_recommendation": lambda: (
        Answer.objects.filter(submission__authority__accounts__user__username="uiks-focal")
        .first()
        .recommendation_id
    ),
    "focal_report": lambda: (
        Submission.objects.filter(authority__accounts__user__username="uiks-focal")
        .order_by("-pk")
        .first()
        .visit.report.pk
    ),
    # A team member, a finding of the visit in reporting (its report is not issued).
    "partner_team_member": lambda: (
        TeamMember.objects.filter(visit=_partner_visit()).order_by("pk").first().pk
    ),
    "partner_finding": lambda: Finding.objects.filter(visit=_partner_visit()).first().pk,
    "correctable_interview": lambda: _correctable_interview().pk,
    "correctable_interview_visit": lambda: _correctable_interview().visit_id,
    "follow_up": lambda: FollowUp.objects.open().order_by("pk").first().pk,
    "follow_up_visit": lambda: FollowUp.objects.open().order_by("pk").first().visit_id,
    "approved_visit": lambda: Visit.objects.filter(report__status="approved").first().pk,
    "closed_visit": lambda: (
        Visit.objects.filter(status="closed", report__status="issued")
        .order_by("-planned_start")
        .first()
        .pk
    ),
    # A visit that took place and has no report yet (its report page offers "Create report").
    "reportless_visit": lambda: (
        Visit.objects.filter(status="closed", report__isnull=True)
        .order_by("-planned_start")
        .first()
        .pk
    ),
    "issued_render": lambda: (
        ReportRender.objects.filter(report__visit=_issued_visit()).order_by("-pk").first().pk
    ),
    # An authority that recommendations of the issued report address (a letter's second step).
    "issued_addressee": lambda: (
        Authority.objects.filter(recommendations__visit=_issued_visit()).order_by("pk").first().pk
    ),
    "result": lambda: ProjectResult.objects.order_by("pk").first().pk,
    "result_project": lambda: ProjectResult.objects.order_by("pk").first().project_id,
    # What can be added to a network from its page (partners.views.cooperation.NETWORK_PARTS).
    "membership_part": lambda: "membership",
    "chair_part": lambda: "chair",
    "meeting_part": lambda: "meeting",
    "group_part": lambda: "group",
    "authority_account": lambda: (
        AuthorityAccount.objects.filter(user__username="uiks-focal").first().pk
    ),
    # Sent for sign-off by the alternate: the validating authority signs it off or returns it.
    "signoff_submission": lambda: (
        Submission.objects.filter(
            state="awaiting_signoff", authority__accounts__user__username="uiks-validator"
        )
        .first()
        .pk
    ),
}

# The pages checked: (login, URL name, names of the OBJECTS its arguments are[, query string
# whose {names} are OBJECTS]). A new page must be added to this list: test_accessibility_pages.py
# fails on a URL name that is neither here nor in its NOT_PAGES (what is not a page, and why).
PAGES: list[tuple] = [
    ("anonymous", "login", ()),
    ("anonymous", "password_reset", ()),
    ("anonymous", "password_reset_done", ()),
    ("anonymous", "password_reset_complete", ()),
    ("anonymous", "portal:index", ()),
    ("anonymous", "portal:recommendation_detail", ("public_recommendation",)),
    # Journey 1: planning and logging a visit (staff).
    ("staff", "dashboard", ()),
    ("staff", "visits:visit_list", ()),
    ("staff", "visits:visit_agenda", ()),
    ("staff", "visits:visit_create", ()),
    ("staff", "visits:visit_detail", ("partner_visit",)),
    ("staff", "visits:visit_edit", ("partner_visit",)),
    ("staff", "visits:visit_team", ("partner_visit",)),
    ("staff", "visits:visit_population", ("partner_visit",)),
    ("staff", "visits:visit_findings", ("partner_visit",)),
    ("staff", "visits:visit_interviews", ("partner_visit",)),
    ("head", "visits:interview_detail", ("interview_visit", "interview")),
    ("staff", "visits:visit_attachments", ("partner_visit",)),
    ("staff", "visits:visit_return", ("return_visit",)),
    ("staff", "visits:visit_conduct", ("planned_follow_up",)),
    ("staff", "visits:visit_cancel", ("planned_follow_up",)),
    # Its report is not issued yet: the page says why the visit cannot be closed.
    ("staff", "visits:visit_close_confirm", ("partner_visit",)),
    ("head", "visits:visit_reopen", ("closed_visit",)),
    ("staff", "visits:team_member_remove_confirm", ("partner_visit", "partner_team_member")),
    ("staff", "visits:finding_edit", ("partner_visit", "partner_finding")),
    ("staff", "visits:finding_delete", ("partner_visit", "partner_finding")),
    (
        "staff",
        "visits:interview_edit",
        ("correctable_interview_visit", "correctable_interview"),
    ),
    (
        "staff",
        "visits:interview_delete",
        ("correctable_interview_visit", "correctable_interview"),
    ),
    ("staff", "visits:follow_up_check", ("follow_up_visit", "follow_up")),
    ("staff", "visits:place_list", ()),
    ("staff", "visits:place_detail", ("place",)),
    ("staff", "visits:place_create", ()),
    ("staff", "visits:place_edit", ("place",)),
    ("staff", "visits:authority_list", ()),
    ("staff", "visits:authority_detail", ("authority",)),
    ("staff", "visits:authority_create", ()),
    ("staff", "visits:authority_edit", ("authority",)),
    # Journey 2: the report (staff, the partner, the head).
    ("staff", "visits:report_detail", ("partner_visit",)),
    ("staff", "visits:report_edit", ("partner_visit",)),
    ("staff", "visits:section_create", ("partner_visit",)),
    ("staff", "visits:section_edit", ("partner_visit", "partner_section")),
    ("staff", "visits:section_settings", ("partner_visit", "partner_section")),
    ("staff", "visits:section_history", ("partner_visit", "partner_section")),
    ("staff", "visits:dispatch_create", ("issued_visit",)),
    ("staff", "visits:report_create", ("reportless_visit",)),
    ("head", "visits:report_issue_confirm", ("approved_visit",)),
    ("head", "visits:report_render", ("issued_visit", "issued_render")),
    ("partner", "dashboard", ()),
    ("partner", "visits:visit_list", ()),
    ("partner", "visits:visit_detail", ("partner_visit",)),
    ("partner", "visits:visit_team", ("partner_visit",)),
    ("partner", "visits:visit_findings", ("partner_visit",)),
    ("partner", "visits:report_detail", ("partner_visit",)),
    ("partner", "visits:section_edit", ("partner_visit", "partner_section")),
    ("head", "dashboard", ()),
    ("head", "visits:report_detail", ("issued_visit",)),
    ("head", "visits:visit_detail", ("issued_visit",)),
    # Journey 3: recommendations, responses, follow-up, compliance.
    ("staff", "recommendations:list", ()),
    ("staff", "recommendations:create", ()),
    ("staff", "recommendations:create", (), "?visit={partner_visit}"),
    ("staff", "recommendations:detail", ("recommendation",)),
    ("staff", "recommendations:edit", ("recommendation",)),
    ("staff", "recommendations:visit_recommendations", ("issued_visit",)),
    ("staff", "recommendations:follow_up_checklist", ("planned_follow_up",)),
    ("staff", "recommendations:import", ()),
    ("compliance", "dashboard", ()),
    ("compliance", "recommendations:dashboard", ()),
    ("compliance", "recommendations:list", ()),
    ("compliance", "recommendations:detail", ("recommendation",)),
    ("compliance", "recommendations:assess", ("recommendation",)),
    ("compliance", "recommendations:response_create", ()),
    # The letter's second step: its answers to the report's recommendations to one authority.
    (
        "compliance",
        "recommendations:response_create",
        (),
        "?visit={issued_visit}&authority={issued_addressee}",
    ),
    ("compliance", "recommendations:response_detail", ("response",)),
    ("compliance", "recommendations:response_edit", ("response",)),
    ("compliance", "answers:inbox", ()),
    ("compliance", "answers:detail", ("submission",)),
    ("compliance", "answers:clarify", ("submission",)),
    ("compliance", "answers:escalations", ()),
    # Journey 4: the partner lifecycle (head).
    ("head", "partners:organisation_list", ()),
    ("head", "partners:organisation_detail", ("organisation",)),
    ("head", "partners:organisation_create", ()),
    ("head", "partners:organisation_edit", ("organisation",)),
    ("head", "partners:call_list", ()),
    ("head", "partners:call_detail", ("call",)),
    ("head", "partners:call_create", ()),
    ("head", "partners:call_edit", ("call",)),
    ("head", "partners:application_create", ("call",)),
    ("head", "partners:call_decision", ("call",)),
    ("head", "partners:agreement_list", ()),
    ("head", "partners:agreement_detail", ("agreement",)),
    ("head", "partners:agreement_create", ()),
    ("head", "partners:agreement_edit", ("agreement",)),
    ("head", "partners:member_list", ()),
    ("head", "partners:member_detail", ("member",)),
    ("head", "partners:member_create", ()),
    ("head", "partners:member_edit", ("member",)),
    ("head", "partners:network_list", ()),
    ("head", "partners:network_detail", ("network",)),
    ("head", "partners:network_create", ()),
    ("head", "partners:network_edit", ("network",)),
    ("head", "partners:network_part_create", ("network", "membership_part")),
    ("head", "partners:network_part_create", ("network", "chair_part")),
    ("head", "partners:network_part_create", ("network", "meeting_part")),
    ("head", "partners:network_part_create", ("network", "group_part")),
    ("head", "partners:event_list", ()),
    ("head", "partners:event_detail", ("event",)),
    ("head", "partners:event_create", ()),
    ("head", "partners:event_edit", ("event",)),
    ("head", "partners:participant_create", ("event",)),
    ("head", "partners:project_list", ()),
    ("head", "partners:project_detail", ("project",)),
    ("head", "partners:project_create", ()),
    ("head", "partners:project_edit", ("project",)),
    ("head", "partners:result_create", ("project",)),
    ("head", "partners:result_edit", ("result_project", "result")),
    ("head", "answers:account_list", ()),
    ("head", "answers:account_create", ()),
    ("head", "answers:account_detail", ("authority_account",)),
    ("head", "answers:account_deactivate", ("authority_account",)),
    # The head's own account and the security pages (npm_portal.security, npm_portal.api,
    # npm_portal.webhooks); re-authentication is off in tests, so the pages behind it open.
    ("head", "two_factor", ()),
    # No demo user has an authenticator: the page says to ask for an enrolment link.
    ("head", "otp_setup", ()),
    ("head", "reauthenticate", ()),
    ("head", "enrolment_links", ()),
    ("head", "password_change", ()),
    ("head", "password_change_done", ()),
    ("head", "api_tokens", ()),
    ("head", "api_token_create", ()),
    ("head", "access_log", ()),
    ("head", "webhooks:list", ()),
    ("head", "webhooks:create", ()),
    # Every role's notifications and the search across the app.
    ("partner", "notifications:list", ()),
    ("staff", "notifications:list", ()),
    ("staff", "notifications:settings", ()),
    ("staff", "search:index", (), "?q=Pozarevac"),
    ("partner", "search:index", (), "?q=V-2025"),
    # Journey 5: the authority portal (a focal point).
    ("uiks-focal", "authority:home", ()),
    ("uiks-focal", "authority:reports", ()),
    ("uiks-focal", "authority:report", ("focal_report",)),
    ("uiks-focal", "authority:recommendation", ("focal_recommendation",)),
    ("uiks-focal", "authority:submissions", ()),
    ("uiks-focal", "authority:submission", ("focal_submission",)),
    # The validating authority, on the answer its alternate sent for sign-off.
    ("uiks-validator", "authority:submission_sign_off", ("signoff_submission",)),
    ("uiks-validator", "authority:submission_return", ("signoff_submission",)),
]


def _axe_violations(page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    results = page.evaluate(
        "async (options) => { const r = await axe.run(document, options);"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " targets: v.nodes.map(n => n.target.join(' '))})); }",
        AXE_OPTIONS,
    )
    return [v for v in results if v["impact"] in BLOCKING]


def _log_in(context, base: str, username: str):
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def test_no_critical_or_serious_axe_violations(live_server, browser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_demo()
    objects = {name: find() for name, find in OBJECTS.items()}
    pages: dict[str, object] = {}
    failures: list[str] = []
    checked = 0
    for login, url_name, argument_names, *query in PAGES:
        if login not in pages:
            context = browser.new_context()
            if login == "anonymous":
                pages[login] = context.new_page()
            else:
                pages[login] = _log_in(context, live_server.url, login)
        page = pages[login]
        path = reverse(url_name, args=[objects[name] for name in argument_names])
        path += query[0].format(**objects) if query else ""
        try:
            response = page.goto(f"{live_server.url}{path}")
        except PlaywrightError as error:
            failures.append(f"{login} {path}: {error.message.splitlines()[0]}")
            continue
        if response.status != 200:
            failures.append(f"{login} {path}: HTTP {response.status}")
            continue
        checked += 1
        for violation in _axe_violations(page):
            failures.append(
                f"{login} {path} ({url_name}): {violation['id']} [{violation['impact']}] "
                f"{violation['help']}: {json.dumps(violation['targets'][:5])}"
            )
    assert not failures, f"{len(failures)} problems on {len(PAGES)} pages:\n" + "\n".join(failures)
    assert checked == len(PAGES)


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(_rgb(a)), _luminance(_rgb(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _rgb(css: str) -> tuple[int, int, int]:
    r, g, b = (int(float(x)) for x in css[css.index("(") + 1 : css.index(")")].split(",")[:3])
    return r, g, b


FOCUS_STYLE = """() => { const e = document.activeElement, s = getComputedStyle(e);
  let bg = 'rgb(255, 255, 255)';
  for (let n = e.parentElement; n; n = n.parentElement) {
    const c = getComputedStyle(n).backgroundColor;
    if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') { bg = c; break; } }
  return {width: parseFloat(s.outlineWidth), style: s.outlineStyle, color: s.outlineColor, bg: bg,
          text: e.textContent.trim()}; }"""


def test_keyboard_focus_is_visible_in_the_navigation_bar_and_the_page(live_server, page, login):
    UserFactory(username="staff", roles=[Role.STAFF])
    login("staff", PASSWORD)
    page.goto(f"{live_server.url}/visits/")
    seen = {"navigation bar": None, "page": None}
    for _ in range(60):
        page.keyboard.press("Tab")
        where = (
            "navigation bar"
            if page.evaluate("() => !!document.activeElement.closest('nav.navbar')")
            else "page"
        )
        if seen[where] is None and page.evaluate("() => document.activeElement !== document.body"):
            seen[where] = page.evaluate(FOCUS_STYLE)
        if all(seen.values()):
            break
    for where, style in seen.items():
        assert style, f"nothing in the {where} took the keyboard focus"
        # WCAG 2.2 focus appearance: a solid outline of at least 2 px, 3:1 against what is
        # behind it (the dark bar, the white page).
        assert style["style"] == "solid", (where, style)
        assert style["width"] >= 2, (where, style)
        assert _contrast(style["color"], style["bg"]) >= 3, (where, style)
