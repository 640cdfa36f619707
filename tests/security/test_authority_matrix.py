"""Every URL pattern of the project × two authority users of different authorities, on the
objects of the test world (tests/security/matrix_parts/authority_portal.py):

- A: the focal point of the institution (report AP-1 was dispatched to it);
- B: the focal point of an unrelated authority (report AP-2 was dispatched to it).

Default deny: every URL the main matrix knows (test_access_matrix.MATRIX, which must hold every
URL of the project) and every admin page is a 404 for an authority user, except what is written
down below: their account pages, the public portal and open data, `/` (to the authority area),
and the authority area itself, where each sees its own objects and gets 404 on the other's. A
URL added to the project is therefore denied to authority users until someone writes it here.

Codes as in test_access_matrix (L login, R a redirect the view makes); columns: A, B.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from npm_portal.authority_portal.models import Answer, Evidence, Submission
from tests.security.matrix_parts.authority_portal import PDF
from tests.security.test_access_matrix import MATRIX as MAIN_MATRIX
from tests.security.test_access_matrix import _code
from tests.security.urlwalk import resolve_path, url_names
from tests.security.world import build_world

DENIED = "404 404"
COLUMNS = ["focal", "other"]

# The account pages an authority user keeps, answering as they do for every logged-in user.
ACCOUNT_PAGES = {
    "login": "200 200",
    "logout": "405 405",
    "two_factor": "200 200",
    "otp_setup": "200 200",
    "otp_verify": "R R",
    "backup_codes": "405 405",
    # The world's enrolment link is the NPM head's: the 404 of a link that is not yours.
    "enrolment_link": "404 404",
    "reauthenticate": "200 200",
    "password_change": "200 200",
    "password_change_done": "200 200",
    "set_language": "R R",
    "healthz": "200 200",
    # The home page sends them to the authority area (checked below: to authority:home).
    "dashboard": "R R",
}

# The public portal and open data: what everyone sees.
PUBLIC = {
    "portal:index": "200 200",
    "portal:lookup": "200 200",
    "portal:report_pdf": "200 200",
    "portal:recommendation_detail": "200 200",
    "opendata:root": "200 200",
    "opendata:dictionary": "200 200",
    "opendata:report-list": "200 200",
    "opendata:report-detail": "200 200",
    "opendata:recommendation-list": "200 200",
    "opendata:recommendation-detail": "200 200",
    "opendata:recommendations_csv": "200 200",
    "opendata:recommendations_json": "200 200",
    "opendata:reports_csv": "200 200",
    "opendata:reports_json": "200 200",
}

# The authority area on A's objects (the main matrix's ARGUMENTS: report AP-1, recommendation
# 1, the institution's draft, the submitted submission's evidence).
AUTHORITY_AREA = {
    "authority:home": "200 200",
    "authority:reports": "200 200",
    "authority:submissions": "200 200",
    "authority:recommendation": "200 404",
    "authority:report": "200 404",
    "authority:report_public_pdf": "200 404",
    # The NPM did not share the full version with the institution: it does not exist for A.
    "authority:report_full_pdf": "404 404",
    "authority:submission": "200 404",
    "authority:answer_edit": "200 404",
    "authority:evidence": "200 404",
    # The draft's "send for sign-off" confirmation page is the focal point's.
    "authority:submission_send": "200 404",
    # A is a focal point, not the validating authority: returning and signing off are not for
    # them (the draft exists for them, so 403, not 404).
    "authority:submission_return": "403 404",
    "authority:submission_sign_off": "403 404",
    # POST only: the method is refused before anything is looked up (nothing is revealed).
    "authority:submission_start": "405 405",
    "authority:answer_remove": "405 405",
    "authority:evidence_add": "405 405",
    "authority:evidence_remove": "405 405",
    "authority:submission_follow_up": "405 405",
    # Someone else's good invitation link: the form, as for anyone holding the link.
    "authority:invitation": "200 200",
}

EXPECTED = {
    **{name: DENIED for name in MAIN_MATRIX},
    **ACCOUNT_PAGES,
    **PUBLIC,
    **AUTHORITY_AREA,
}


def _expected(name: str) -> str | None:
    if name.startswith("admin:"):
        return DENIED
    return EXPECTED.get(name)


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


def _codes(world, path: str, method: str = "get") -> str:
    clients = world.objects["ap_clients"]
    return " ".join(_code(getattr(clients[key], method)(path)) for key in COLUMNS)


def test_every_url_has_an_expectation_for_authority_users():
    names = {name for name, _pattern in url_names()}
    missing = sorted(n for n in names if _expected(n) is None)
    stale = sorted(set(EXPECTED) - names)
    assert not missing, f"URLs with no expected status for authority users: {missing}"
    assert not stale, f"Expectations for URLs that no longer exist: {stale}"


def test_every_url_answers_authority_users_as_expected(world):
    wrong = []
    for name, pattern in sorted(url_names(), key=lambda item: item[0]):
        path = resolve_path(name, pattern, world)
        codes = _codes(world, path)
        expected = _expected(name)
        if expected is not None and codes != expected:
            wrong.append(f"{name} {path}: expected {expected!r}, got {codes!r}")
    assert not wrong, "\n".join(wrong)


def test_the_home_page_sends_authority_users_to_their_area(world):
    for key in COLUMNS:
        response = world.objects["ap_clients"][key].get(reverse("dashboard"))
        assert response.status_code == 302
        assert response.url == reverse("authority:home")


def b_objects(w) -> dict[str, tuple[str, str]]:
    """URL → expected "A B" on objects of the unrelated authority (report AP-2, its
    recommendation, its draft), and on rows that exist for neither."""
    o = w.objects
    draft, evidence = o["ap_other_draft"], o["ap_other_evidence"]
    report = o["ap_other_report"]
    return {
        "B's recommendation": (
            reverse("authority:recommendation", args=[o["ap_other_rec"].pk]),
            "404 200",
        ),
        "B's report": (reverse("authority:report", args=[report.pk]), "404 200"),
        "B's public PDF": (reverse("authority:report_public_pdf", args=[report.pk]), "404 200"),
        "B's draft": (reverse("authority:submission", args=[draft.pk]), "404 200"),
        "B's answer form": (
            reverse("authority:answer_edit", args=[draft.pk, o["ap_other_rec"].pk]),
            "404 200",
        ),
        "B's evidence": (reverse("authority:evidence", args=[draft.pk, evidence.pk]), "404 200"),
        # A's submitted submission, as B sees it.
        "A's submitted submission": (
            reverse("authority:submission", args=[o["ap_submitted"].pk]),
            "200 404",
        ),
        # In AP-1, addressed only to B's authority: AP-1 was not dispatched to B.
        "AP-1 recommendation addressed only to B": (
            reverse("authority:recommendation", args=[o["ap_rec_only_other"].pk]),
            "404 404",
        ),
        # In AP-2, addressed to A's institution: AP-2 was not dispatched to A.
        "AP-2 recommendation addressed to A": (
            reverse("authority:recommendation", args=[o["ap_undispatched_rec"].pk]),
            "404 404",
        ),
        # A's evidence through B's draft's URL (and the other way round): the row must belong
        # to the submission in the URL.
        "A's evidence under B's draft": (
            reverse("authority:evidence", args=[draft.pk, o["ap_evidence"].pk]),
            "404 404",
        ),
        "B's evidence under A's submission": (
            reverse("authority:evidence", args=[o["ap_submitted"].pk, evidence.pk]),
            "404 404",
        ),
    }


def test_each_authority_sees_its_own_objects_only(world):
    wrong = []
    for label, (path, expected) in b_objects(world).items():
        codes = _codes(world, path)
        if codes != expected:
            wrong.append(f"{label} {path}: expected {expected!r}, got {codes!r}")
    assert not wrong, "\n".join(wrong)


def _a_submission_posts(w) -> dict[str, str]:
    o = w.objects
    draft, submitted = o["ap_draft"], o["ap_submitted"]
    return {
        "submission_start": reverse("authority:submission_start", args=[o["ap_report"].pk]),
        "answer_edit": reverse("authority:answer_edit", args=[draft.pk, o["ap_rec_2"].pk]),
        "answer_remove": reverse(
            "authority:answer_remove", args=[draft.pk, o["ap_draft_answer"].pk]
        ),
        "evidence_add": reverse("authority:evidence_add", args=[draft.pk, o["ap_draft_answer"].pk]),
        "evidence_remove": reverse(
            "authority:evidence_remove", args=[draft.pk, o["ap_draft_evidence"].pk]
        ),
        "submission_send": reverse("authority:submission_send", args=[draft.pk]),
        "submission_return": reverse("authority:submission_return", args=[draft.pk]),
        "submission_sign_off": reverse("authority:submission_sign_off", args=[draft.pk]),
        "submission_follow_up": reverse("authority:submission_follow_up", args=[submitted.pk]),
    }


def _state(w) -> tuple:
    draft = Submission.objects.get(pk=w.objects["ap_draft"].pk)
    return (
        draft.state,
        draft.version,
        Answer.objects.filter(submission=draft).count(),
        Evidence.objects.filter(answer__submission=draft).count(),
        Submission.objects.filter(authority=w.objects["ap_other_authority"]).count(),
        Submission.objects.count(),
    )


def test_a_bad_invitation_link_is_a_404(world):
    good = world.objects["ap_invitation_path"]
    uidb64, token = good.strip("/").split("/")[-2:]
    bad = [
        reverse("authority:invitation", args=[uidb64, token[:-2] + "xx"]),
        reverse("authority:invitation", args=["MTIzNDU2", token]),
        reverse("authority:invitation", args=["%%%", "1-2"]),
    ]
    clients = [Client(), world.objects["ap_clients"]["focal"], world.clients["head"]]
    for path in bad:
        for client in clients:
            assert client.get(path).status_code == 404, path
            assert client.post(path, {"new_password1": "x"}).status_code == 404, path
    assert Client().get(good).status_code == 200


def test_another_authority_cannot_post_to_a_submission(world):
    before = _state(world)
    client = world.objects["ap_clients"]["other"]
    codes = {
        name: client.post(path).status_code for name, path in _a_submission_posts(world).items()
    }
    assert codes == dict.fromkeys(codes, 404)
    assert _state(world) == before


def test_the_validator_cannot_draft(world):
    """The validating authority of the same institution sees the draft (its authority's), so it
    is not hidden from them (no 404): they may not change it. The answer form sends them back
    to the submission's page, read-only (a redirect with a message: the page they can use);
    every other drafting action is a 403. Nothing changes either way (four eyes: who drafts
    does not sign off, and who signs off does not draft)."""
    o = world.objects
    draft = Submission.objects.get(pk=o["ap_draft"].pk)
    expected = {
        "answer_edit": "R",
        "answer_remove": "403",
        "evidence_add": "403",
        "evidence_remove": "403",
        "submission_send": "403",
    }
    posts = {n: p for n, p in _a_submission_posts(world).items() if n in expected}
    before = _state(world)
    client = o["ap_clients"]["validator"]
    data = {
        "position": "accepted",
        "stated_status": "implemented",
        "measures": "Done by the validator.",
        "version": draft.version,
        "file": SimpleUploadedFile("more.pdf", PDF),
    }
    responses = {name: client.post(path, data) for name, path in posts.items()}
    assert {name: _code(r) for name, r in responses.items()} == expected
    assert responses["answer_edit"].url == reverse("authority:submission", args=[draft.pk])
    assert _state(world) == before
