"""One case that raises every event, with the markers of tests/security/world.py planted in
every confidential and free-text place around it: the visit's purpose, an interview's identity
and notes, the report's title and a confidential section, the recommendation's text, the
letter's reference, note and explanation, the assessment's note."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from recommendations import services as rec
from recommendations.models import Recommendation
from tests.factories import AuthorityFactory, PlaceFactory
from tests.factories.recommendations import RecommendationFactory
from tests.factories.visits import ReportFactory, ReportSectionFactory, TeamMemberFactory
from tests.recommendations.compliance_helpers import visit_at
from tests.security.world import (
    AT_REST_MARKERS,
    IDENTITY_MARKER,
    NOTES_MARKER,
    OTHER_VISIT_MARKER,
    VISIT_MARKER,
)
from visits import services as vs
from visits.models import Report, Visit

MARKERS = [
    IDENTITY_MARKER,
    NOTES_MARKER,
    VISIT_MARKER,
    OTHER_VISIT_MARKER,
    *AT_REST_MARKERS.values(),
]


@dataclass
class Case:
    visit: object
    report: Report
    institution: object
    recommendation: object


def approved_case(*, staff) -> Case:
    ministry = AuthorityFactory(name="Ministry of Justice")
    institution = AuthorityFactory(name="District Prison", kind="institution", parent=ministry)
    visit = visit_at(
        PlaceFactory(authority=institution),
        day=dt.date(2025, 9, 10),
        purpose=f"Purpose {VISIT_MARKER}",
    )
    TeamMemberFactory(visit=visit, user=staff, role="head")
    vs.interview_create(
        visit=visit,
        interviewee="detainee",
        notes=f"Notes {NOTES_MARKER}",
        allegation=True,
        reprisal_risk="high",
        identity={"full_name": f"Name {IDENTITY_MARKER}", "location": IDENTITY_MARKER},
        by=staff,
    )
    report = ReportFactory(
        visit=visit, status=Report.Status.APPROVED, title=f"Report {VISIT_MARKER}"
    )
    ReportSectionFactory(report=report, title="Findings", body=AT_REST_MARKERS["section text"])
    ReportSectionFactory(
        report=report, title="Identities", body=f"Secret {IDENTITY_MARKER}", confidential=True
    )
    recommendation = RecommendationFactory(
        visit=visit,
        number=1,
        text=f"Recommendation {OTHER_VISIT_MARKER}",
        addressees=[institution, ministry],
    )
    return Case(visit, report, institution, recommendation)


def issue_and_answer(case: Case, *, head, compliance) -> None:
    """Every event: issue, dispatch, a letter, its correction, an assessment."""
    vs.report_issue(report=case.report, by=head)
    # Fresh objects: the cached ones still hold the approved report.
    case.visit = Visit.objects.get(pk=case.visit.pk)
    case.report = Report.objects.get(pk=case.report.pk)
    case.recommendation = Recommendation.objects.get(pk=case.recommendation.pk)
    today = timezone.localdate()
    vs.dispatch_record(
        report=case.report,
        authority=case.institution,
        sent_on=today,
        reference=f"Dispatch {NOTES_MARKER}",
        channel="post",
        by=head,
    )
    response = rec.response_record(
        visit=case.visit,
        authority=case.institution,
        received_on=today,
        reference=f"Letter {NOTES_MARKER}",
        note=f"Note {AT_REST_MARKERS['letter note']}",
        items=[
            {
                "recommendation": case.recommendation,
                "stated_status": "in_progress",
                "explanation": f"Explained {NOTES_MARKER}",
            }
        ],
        by=compliance,
    )
    rec.response_correct(
        response=response,
        received_on=today,
        reference=f"Letter {NOTES_MARKER}",
        note=f"Note {AT_REST_MARKERS['letter note']}",
        items=[
            {
                "recommendation": case.recommendation,
                "stated_status": "implemented",
                "explanation": f"Corrected {IDENTITY_MARKER}",
            }
        ],
        by=compliance,
    )
    rec.assessment_record(
        recommendation=case.recommendation,
        status="implemented",
        basis="response",
        response=response,
        note=f"Note {AT_REST_MARKERS['assessment note']}",
        assessed_on=today,
        by=compliance,
    )
