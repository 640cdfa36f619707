"""Every URL pattern of the project × every kind of user, with real objects: the expected
status is written down here, and a URL that is not in this matrix fails the test.

Codes: a number is the status; L = 302 to the login page; A = 302 to the admin login; R = 302
elsewhere (a redirect the view itself makes). Columns: anonymous, head, staff, compliance,
partner on the visit, partner not on the visit.
"""

import os
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from tests.security import matrix_parts
from tests.security.urlwalk import resolve_path, url_names
from tests.security.world import ROLES, build_world

MATRIX = {
    "access_log": "L 200 403 403 404 404",
    "access_log_export": "L 200 403 403 404 404",
    "backup_codes": "L 405 405 405 405 405",
    "dashboard": "L 200 200 200 200 200",
    "healthz": "200 200 200 200 200 200",
    "login": "200 200 200 200 200 200",
    "logout": "L 405 405 405 405 405",
    "otp_setup": "L 200 200 200 200 200",
    "otp_verify": "L R R R R R",
    "partners:agreement_create": "L 200 200 403 403 403",
    "partners:agreement_document": "L 200 200 200 200 404",
    "partners:agreement_edit": "L 200 200 403 403 404",
    "partners:agreement_list": "L 200 200 200 404 404",
    "partners:application_create": "L 200 200 403 404 404",
    "partners:call_create": "L 200 200 403 403 403",
    "partners:call_decision": "L 200 200 403 404 404",
    "partners:call_detail": "L 200 200 200 404 404",
    "partners:call_edit": "L 200 200 403 404 404",
    "partners:call_list": "L 200 200 200 404 404",
    "partners:event_create": "L 200 200 403 403 403",
    "partners:event_detail": "L 200 200 200 404 404",
    "partners:event_edit": "L 200 200 403 404 404",
    "partners:event_list": "L 200 200 200 404 404",
    "partners:member_create": "L 200 200 403 403 403",
    "partners:member_detail": "L 200 200 200 200 404",
    "partners:member_edit": "L 200 200 403 403 404",
    "partners:member_list": "L 200 200 200 404 404",
    "partners:member_pledge": "L 200 200 200 200 404",
    "partners:network_create": "L 200 200 403 403 403",
    "partners:network_detail": "L 200 200 200 404 404",
    "partners:network_edit": "L 200 200 403 404 404",
    "partners:network_list": "L 200 200 200 404 404",
    "partners:network_part_create": "L 200 200 403 404 404",
    "partners:organisation_create": "L 200 200 403 403 403",
    "partners:organisation_detail": "L 200 200 200 200 404",
    "partners:organisation_edit": "L 200 200 403 403 404",
    "partners:organisation_list": "L 200 200 200 200 200",
    "partners:participant_create": "L 200 200 403 404 404",
    "partners:project_create": "L 200 200 403 403 403",
    "partners:project_detail": "L 200 200 200 404 404",
    "partners:project_edit": "L 200 200 403 404 404",
    "partners:project_list": "L 200 200 200 404 404",
    "partners:result_create": "L 200 200 403 404 404",
    "partners:result_edit": "L 200 200 403 404 404",
    "password_change": "L 200 200 200 200 200",
    "password_change_done": "L 200 200 200 200 200",
    "reauthenticate": "L 200 200 200 200 200",
    "set_language": "R R R R R R",
    "two_factor": "L 200 200 200 200 200",
    "visits:attachment_download": "L 200 200 200 200 404",
    "visits:authority_create": "L 200 200 403 403 403",
    "visits:authority_detail": "L 200 200 200 200 200",
    "visits:authority_edit": "L 200 200 403 403 403",
    "visits:authority_list": "L 200 200 200 200 200",
    "visits:follow_up_check": "L 200 200 403 403 404",
    "visits:interview_detail": "L 200 200 404 200 404",
    "visits:place_create": "L 200 200 403 403 403",
    "visits:place_detail": "L 200 200 200 200 200",
    "visits:place_edit": "L 200 200 403 403 403",
    "visits:lookup": "L 200 200 200 200 200",  # visits: a partner's own only (test_tracker_lookups)
    "visits:place_list": "L 200 200 200 200 200",
    "visits:team_member_remove": "L 405 405 405 405 405",
    "visits:visit_agenda": "L 200 200 200 200 200",
    "visits:visit_attachments": "L 200 200 200 200 404",
    "visits:visit_cancel": "L 200 200 403 403 404",
    "visits:visit_conduct": "L 200 200 403 403 404",
    "visits:visit_create": "L 200 200 403 403 403",
    "visits:visit_detail": "L 200 200 200 200 404",
    "visits:visit_edit": "L 200 200 403 403 404",
    "visits:visit_findings": "L 200 200 200 200 404",
    "visits:visit_interviews": "L 200 200 403 200 404",
    "visits:visit_list": "L 200 200 200 200 200",
    "visits:visit_population": "L 200 200 200 200 404",
    "visits:visit_return": "L R R R R 404",
    "visits:visit_team": "L 200 200 200 200 404",
    "visits:visit_transition": "L 405 405 405 405 405",
    **matrix_parts.MATRIX,
}

# Every admin page turns away users who are not staff (no fixture user here is), whatever it is.
ADMIN_DEFAULT = "L A A A A A"
# The admin site's own pages send even anonymous users to the admin login.
SITE_PAGE = "A A A A A A"
ADMIN_EXCEPTIONS = {
    "admin:login": "200 200 200 200 200 200",
    "admin:logout": "A R R R R R",
    "admin:<unnamed admin/(?P<url>.*)$>": SITE_PAGE,
    "admin:app_list": SITE_PAGE,
    "admin:autocomplete": SITE_PAGE,
    "admin:index": SITE_PAGE,
    "admin:jsi18n": SITE_PAGE,
    "admin:password_change": SITE_PAGE,
    "admin:password_change_done": SITE_PAGE,
    "admin:view_on_site": SITE_PAGE,
}


def _code(response) -> str:
    if response.status_code != 302:
        return str(response.status_code)
    target = urlparse(response.url).path
    if target == reverse("login"):
        return "L"
    if target == reverse("admin:login"):
        return "A"
    return "R"


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


def _expected(name: str) -> str | None:
    if name.startswith("admin:"):
        return ADMIN_EXCEPTIONS.get(name, ADMIN_DEFAULT)
    return MATRIX.get(name)


def test_every_url_is_in_the_matrix():
    names = {name for name, _pattern in url_names()}
    missing = sorted(n for n in names if _expected(n) is None)
    stale = sorted(set(MATRIX) - names)
    assert not missing, f"URLs with no expected status for each role: {missing}"
    assert not stale, f"Matrix entries for URLs that no longer exist: {stale}"


def test_every_url_answers_every_role_as_expected(world):
    observed, wrong = {}, []
    for name, pattern in sorted(url_names(), key=lambda item: item[0]):
        path = resolve_path(name, pattern, world)
        codes = " ".join(_code(world.clients[role].get(path)) for role in ROLES)
        observed[name] = codes
        expected = _expected(name)
        if expected is not None and codes != expected:
            wrong.append(f"{name} {path}: expected {expected!r}, got {codes!r}")
    if os.environ.get("NPM_PRINT_MATRIX"):
        for name, codes in observed.items():
            if not name.startswith("admin:") or codes != ADMIN_DEFAULT:
                print(f'    "{name}": "{codes}",')
    assert not wrong, "\n".join(wrong)


# Beyond one GET per pattern: the confidential attachment, and what POST-only URLs do.
# POSTs run in the order below; only the last columns (head, staff) may change anything.
POST_ORDER = ["anonymous", "partner_off", "partner_on", "compliance", "staff", "head"]
POST_MATRIX = {
    # Columns in POST_ORDER.
    # Without the confirmation page's "Yes": back to it, nobody removed.
    "visits:team_member_remove": "L 404 403 403 R R",
    "visits:visit_transition": "L 404 403 403 R R",
    "visits:interview_detail": "L 404 403 404 200 200",  # reveal: head, and staff heads the team
    "backup_codes": "L R R R R R",  # no authenticator yet: to enrolment
    **matrix_parts.POST_MATRIX,
}


def test_confidential_attachment_download(world):
    path = reverse(
        "visits:attachment_download",
        args=[world.visit.pk, world.objects["confidential_attachment"].pk],
    )
    codes = " ".join(_code(world.clients[role].get(path)) for role in ROLES)
    assert codes == "L 200 200 404 404 404"


@pytest.mark.parametrize("name", sorted(POST_MATRIX))
def test_post_only_urls(world, name):
    pattern = dict(url_names())[name]
    path = resolve_path(name, pattern, world)
    codes = " ".join(_code(world.clients[role].post(path)) for role in POST_ORDER)
    assert codes == POST_MATRIX[name]
