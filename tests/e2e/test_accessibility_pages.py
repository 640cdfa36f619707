"""Every named URL outside admin/ and api/ is either a page that axe checks
(`test_accessibility.PAGES`) or listed here, in NOT_PAGES, with the reason it is not one.

No browser and no live server: the URL names come from the resolver, the pages from the list. A
new URL name fails `test_every_url_name_is_a_checked_page_or_not_a_page` until it is added to
PAGES (an HTML page a user sees) or, with an honest reason, to NOT_PAGES.
"""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter

from tests.e2e.test_accessibility import PAGES

# Namespaces that are not HTML pages at all: the Django admin, the token API (its own tests).
SKIPPED_NAMESPACES = {"admin", "api"}

# Every reason starts with one of these.
POST_ONLY = "POST only"
DOWNLOAD = "file download"
DATA = "JSON or htmx fragment"
REDIRECT = "redirect"
SAME_TEMPLATE = "same template as"
TOKEN = "needs a one-time token (e-mailed link)"
NO_DEMO_OBJECT = "no such object in the demo data"
CATEGORIES = (POST_ONLY, DOWNLOAD, DATA, REDIRECT, SAME_TEMPLATE, TOKEN, NO_DEMO_OBJECT)

# URL name -> why it is not in PAGES. "POST only" is checked below (a GET gets 405); the other
# reasons were checked against the views (FileResponse / an attachment for downloads,
# JsonResponse or DRF's JSON renderer, a "#fragment" template for htmx).
NOT_PAGES: dict[str, str] = {
    # The project's own URLs (npm_portal/urls.py).
    "healthz": f"{DATA}: the load balancer's health check (JsonResponse)",
    "logout": f"{POST_ONLY} (the form is in the navigation bar of every page)",
    "otp_verify": (
        f"{NO_DEMO_OBJECT}: no demo user has an authenticator; a GET sends them to otp_setup "
        "(listed)"
    ),
    "backup_codes": f"{POST_ONLY} (the form is on two_factor; the new codes answer the POST)",
    "enrolment_link": f"{TOKEN}: the link the head issues on enrolment_links",
    "api_token_revoke": f"{NO_DEMO_OBJECT}: no API token (the GET confirmation asks first)",
    "access_log_export": f"{DOWNLOAD}: the access log as CSV (attachment)",
    "password_reset_confirm": f"{TOKEN}: the password reset link",
    "set_language": (
        f"{REDIRECT}: a GET only goes back; the language form in the navigation bar posts"
    ),
    # Open data (npm_portal/opendata): DRF with the JSON renderer only, and bulk files.
    "opendata:root": f"{DATA}: the open data API's index",
    "opendata:dictionary": f"{DATA}: the data dictionary",
    "opendata:report-list": f"{DATA}: the open data API",
    "opendata:report-detail": f"{DATA}: the open data API",
    "opendata:recommendation-list": f"{DATA}: the open data API",
    "opendata:recommendation-detail": f"{DATA}: the open data API",
    "opendata:recommendations_json": f"{DATA}: the bulk JSON file",
    "opendata:reports_json": f"{DATA}: the bulk JSON file",
    "opendata:recommendations_csv": f"{DOWNLOAD}: the bulk CSV file",
    "opendata:reports_csv": f"{DOWNLOAD}: the bulk CSV file",
    # Webhooks (npm_portal/webhooks).
    "webhooks:edit": (
        f"{SAME_TEMPLATE} webhooks:create (includes/form_page.html with the same "
        "SubscriptionForm); and no subscription in the demo data"
    ),
    "webhooks:deliveries": f"{NO_DEMO_OBJECT}: no webhook subscription",
    "webhooks:rotate": f"{NO_DEMO_OBJECT}: no webhook subscription (webhooks/confirm.html)",
    "webhooks:delete": f"{NO_DEMO_OBJECT}: no webhook subscription (webhooks/confirm.html)",
    "webhooks:ping": f"{POST_ONLY} (the button is on webhooks:deliveries)",
    "webhooks:redeliver": f"{POST_ONLY} (the button is on webhooks:deliveries)",
    # Partners.
    "partners:agreement_document": f"{DOWNLOAD}: the signed agreement",
    "partners:member_pledge": f"{DOWNLOAD}: the member's signed pledge",
    # Recommendations.
    "recommendations:bulk": (
        f"{POST_ONLY} (the form is on recommendations:list; the 'Mark public' confirmation "
        "is the answer to the POST)"
    ),
    "recommendations:export_csv": f"{DOWNLOAD}: the tracker's rows as CSV",
    "recommendations:export_xlsx": f"{DOWNLOAD}: the tracker's rows as XLSX",
    "recommendations:suggestions": (
        f"{DATA}: the htmx fragment of similar earlier recommendations on "
        "recommendations:create and recommendations:edit"
    ),
    "recommendations:repeat_link": f"{POST_ONLY} (the form is on recommendations:edit)",
    "recommendations:response_document": f"{DOWNLOAD}: the authority's letter",
    "recommendations:check_record": (
        f"{POST_ONLY} (the form is on recommendations:follow_up_checklist)"
    ),
    "recommendations:import_confirm": (
        f"{POST_ONLY} (the form is on the dry-run report that answers an upload on "
        "recommendations:import)"
    ),
    "recommendations:import_template_xlsx": f"{DOWNLOAD}: the import template",
    "recommendations:import_template_csv": f"{DOWNLOAD}: the import template",
    "recommendations:import_batch": f"{NO_DEMO_OBJECT}: no import batch",
    "recommendations:import_undo": f"{NO_DEMO_OBJECT}: no import batch",
    "recommendations:annual_report": f"{DOWNLOAD}: the annual report PDF",
    # The public portal.
    "portal:lookup": f"{DATA}: the filters' autocomplete (JsonResponse)",
    "portal:report_pdf": f"{DOWNLOAD}: the public PDF of an issued report",
    # Notifications.
    "notifications:read": f"{POST_ONLY} (the form is on notifications:list)",
    "notifications:read_all": f"{POST_ONLY} (the form is on notifications:list)",
    # The authority portal: the authorities' area.
    "authority:report_public_pdf": f"{DOWNLOAD}: the report's public PDF",
    "authority:report_full_pdf": f"{DOWNLOAD}: the report's full PDF",
    "authority:submission_start": f"{POST_ONLY} (the form is on authority:report)",
    "authority:answer_edit": (
        f"{NO_DEMO_OBJECT}: no draft submission (the demo's are submitted or awaiting "
        "sign-off, and a GET on those goes back to authority:submission)"
    ),
    "authority:answer_remove": f"{POST_ONLY} (the form is on authority:submission)",
    "authority:evidence_add": f"{POST_ONLY} (the form is on authority:submission)",
    "authority:evidence": f"{DOWNLOAD}: an evidence file",
    "authority:evidence_remove": f"{POST_ONLY} (the form is on authority:submission)",
    "authority:submission_send": (
        f"{NO_DEMO_OBJECT}: no draft submission (its GET confirmation is the template of "
        "authority:submission_sign_off, listed)"
    ),
    "authority:submission_follow_up": f"{POST_ONLY} (the form is on authority:submission)",
    "authority:invitation": f"{TOKEN}: the invitation link of a new authority account",
    # The authority portal: the NPM's side.
    "answers:accept": f"{POST_ONLY} (the form is on answers:detail)",
    "answers:evidence": f"{DOWNLOAD}: an evidence file",
    "answers:account_invite": f"{POST_ONLY} (the form is on answers:account_detail)",
    # Visits.
    "visits:lookup": f"{DATA}: the forms' autocomplete (JsonResponse)",
    "visits:visit_transition": f"{POST_ONLY} (the buttons are on visits:visit_detail)",
    "visits:team_member_remove": (
        f"{POST_ONLY} (the form is on visits:team_member_remove_confirm)"
    ),
    "visits:attachment_download": f"{DOWNLOAD}: a visit's attachment",
    "visits:report_transition": f"{POST_ONLY} (the buttons are on visits:report_detail)",
    "visits:dispatch_share": f"{POST_ONLY} (the button is on visits:report_detail)",
    "visits:section_autosave": f"{POST_ONLY} (htmx, from visits:section_edit)",
    "visits:section_preview": f"{POST_ONLY} (htmx, the preview on visits:section_edit)",
    "visits:section_transition": f"{POST_ONLY} (the buttons are on visits:section_edit)",
    "visits:report_preview": (
        f"{POST_ONLY} (the button is on visits:report_detail; it goes to visits:report_render)"
    ),
    "visits:report_render_download": f"{DOWNLOAD}: a rendered draft PDF",
    "visits:report_pdf": f"{DOWNLOAD}: the issued report's frozen PDF",
    "visits:report_public_pdf": f"{DOWNLOAD}: the issued report's public PDF",
    "visits:report_draft_docx": f"{DOWNLOAD}: the draft as DOCX",
    "visits:report_docx": f"{DOWNLOAD}: the issued report's DOCX",
}


def _url_names(patterns=None, namespace: str = "", converters=None) -> dict[str, dict]:
    """Every URL name outside SKIPPED_NAMESPACES -> the converters of its arguments."""
    names: dict[str, dict] = {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        arguments = {**(converters or {}), **getattr(pattern.pattern, "converters", {})}
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            names |= _url_names(pattern.url_patterns, inner, arguments)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names[f"{namespace}:{pattern.name}" if namespace else pattern.name] = arguments
    return names


def _listed() -> set[str]:
    return {url_name for _login, url_name, *_rest in PAGES}


def test_every_url_name_is_a_checked_page_or_not_a_page():
    missing = sorted(set(_url_names()) - _listed() - set(NOT_PAGES))
    assert not missing, (
        "URL names that axe does not check: add each HTML page to PAGES in "
        "tests/e2e/test_accessibility.py (with the role that uses it, and its objects in "
        "OBJECTS); only what is not a page (POST only, a download, JSON…) goes to NOT_PAGES in "
        f"tests/e2e/test_accessibility_pages.py, with its reason: {missing}"
    )


def test_no_url_name_is_both_a_page_and_not_a_page():
    both = sorted(_listed() & set(NOT_PAGES))
    assert not both, f"In PAGES and in NOT_PAGES: {both}"


def test_every_listed_name_still_exists():
    names = set(_url_names())
    stale = sorted(set(NOT_PAGES) - names)
    assert not stale, f"NOT_PAGES names no URL has any more: {stale}"
    gone = sorted(_listed() - names)
    assert not gone, f"PAGES names no URL has any more: {gone}"


def test_every_reason_is_one_of_the_categories():
    vague = {name: why for name, why in NOT_PAGES.items() if not why.startswith(CATEGORIES)}
    assert not vague, f"Reasons must start with one of {CATEGORIES}: {vague}"
    listed = _listed()
    for name, why in NOT_PAGES.items():
        if why.startswith(SAME_TEMPLATE):
            page = why.removeprefix(SAME_TEMPLATE).split()[0]
            assert page in listed, f"{name}: {page} is not in PAGES"


def _example_path(url_name: str) -> str:
    """The URL with 1 for each number it takes and "x" for each other part."""
    kwargs = {
        key: 1 if isinstance(converter, IntConverter) else "x"
        for key, converter in _url_names()[url_name].items()
    }
    return reverse(url_name, kwargs=kwargs)


@pytest.mark.parametrize(
    "url_name", sorted(name for name, why in NOT_PAGES.items() if why.startswith(POST_ONLY))
)
def test_post_only_refuses_a_get(url_name, head):
    # The view itself, without the middleware: the NPM head passes any permission check made
    # before the method is (recommendations:check_record's), so only the method is refused.
    path = _example_path(url_name)
    request = RequestFactory().get(path)
    request.user = head
    match = resolve(path)
    try:
        status = match.func(request, *match.args, **match.kwargs).status_code
    except Exception as error:  # a 404 or 403 raised: the view went past the method
        status = type(error).__name__
    assert status == 405, f"{url_name} is not POST only: a GET gets {status}, not 405"
