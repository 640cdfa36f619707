"""The authority area's tests: a dispatched case with the institution's three users (focal point,
alternate, validating authority), a ministry focal point and a stranger authority's focal point,
at a frozen date after the dispatch."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from npm_portal.authority_portal import services
from npm_portal.authority_portal.models import AuthorityAccount, Submission
from tests.authority_portal.helpers import authority_user, dispatched_case
from tests.factories import AuthorityFactory
from tests.factories.visits import local

# Dispatched on 2 October 2025 (helpers.dispatched_case): due on 1 December 2025 (60 days).
TODAY = dt.date(2025, 11, 10)
NOW = local(2025, 11, 10, 10, 0)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

F = AuthorityAccount.Function


@dataclass
class Case:
    visit: object
    institution: object
    ministry: object
    recommendations: list
    focal: AuthorityAccount
    alternate: AuthorityAccount
    validator: AuthorityAccount
    ministry_focal: AuthorityAccount
    stranger: AuthorityAccount

    @property
    def report(self):
        return self.visit.report


def build_case(count: int = 2) -> Case:
    """Recommendations addressed to the institution only (the ministry sees them, through its
    subtree, but does not answer them); the report dispatched to both."""
    visit, institution, ministry, recommendations = dispatched_case(count=count)
    for recommendation in recommendations:
        recommendation.addressees.set([institution])
    stranger_authority = AuthorityFactory()
    return Case(
        visit=visit,
        institution=institution,
        ministry=ministry,
        recommendations=recommendations,
        focal=authority_user(institution, F.FOCAL_POINT),
        alternate=authority_user(institution, F.ALTERNATE),
        validator=authority_user(institution, F.VALIDATOR),
        ministry_focal=authority_user(ministry, F.FOCAL_POINT),
        stranger=authority_user(stranger_authority, F.FOCAL_POINT),
    )


def client_for(account_or_user) -> Client:
    user = getattr(account_or_user, "user", account_or_user)
    client = Client()
    client.force_login(user)
    return client


def pdf_upload(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def answer_items(case: Case) -> list[dict]:
    """Two answers, the same whether given through the portal or typed in by compliance."""
    first, second = case.recommendations[:2]
    return [
        {
            "recommendation": first,
            "position": "accepted",
            "stated_status": "implemented",
            "measures": "The cells were repainted and ventilated.",
            "promised_by": None,
        },
        {
            "recommendation": second,
            "position": "partly",
            "stated_status": "in_progress",
            "measures": "Funds are requested for new mattresses.",
            "promised_by": dt.date(2026, 3, 1),
        },
    ]


def draft_with_answers(case: Case, items: list[dict] | None = None) -> Submission:
    submission = services.submission_start(visit=case.visit, by=case.focal.user)
    for item in items or answer_items(case):
        services.answer_save(submission=submission, by=case.focal.user, **item)
    submission.refresh_from_db()
    return submission


def submitted(case: Case, items: list[dict] | None = None) -> Submission:
    """Drafted by the focal point, sent, signed off by the validating authority."""
    submission = draft_with_answers(case, items)
    submission = services.submission_send(submission=submission, by=case.focal.user)
    submission = services.submission_sign_off(submission=submission, by=case.validator.user)
    submission.refresh_from_db()
    return submission
