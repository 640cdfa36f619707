"""Compliance pages: a recommendation's detail, assessments, response letters, a visit's
recommendations and a follow-up visit's checklist. The NPM roles see all of them (compliance
may not record follow-up checks); partner-only users get 404 everywhere, even on their visit."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from recommendations import services
from recommendations.models import FollowUpCheck
from tests.factories import PlaceFactory
from tests.factories.recommendations import RecommendationFactory
from tests.factories.visits import ReportFactory, VisitFactory, local
from visits.models import Report

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NPM_ONLY = "L 200 200 200 404 404"

MATRIX = {
    "recommendations:detail": NPM_ONLY,
    "recommendations:assess": NPM_ONLY,
    "recommendations:response_create": NPM_ONLY,
    "recommendations:response_detail": NPM_ONLY,
    "recommendations:response_document": NPM_ONLY,
    "recommendations:response_edit": NPM_ONLY,
    "recommendations:visit_recommendations": NPM_ONLY,
    "recommendations:follow_up_checklist": NPM_ONLY,
    "recommendations:check_record": "L 405 405 405 404 404",
}

# Columns: anonymous partner_off partner_on compliance staff head.
POST_MATRIX = {
    # An empty form: shown again with its errors to those who may record.
    "recommendations:check_record": "L 404 404 403 200 200",
    # Correcting a letter with an empty form: shown again with its errors, nothing changed.
    "recommendations:response_edit": "L 404 404 200 200 200",
    # "Refresh checklist".
    "recommendations:follow_up_checklist": "L 404 404 403 R R",
}

ARGUMENTS = {
    "recommendations:detail": lambda w: {"pk": w.objects["rc_issued_rec"].pk},
    "recommendations:assess": lambda w: {"pk": w.objects["rc_issued_rec"].pk},
    "recommendations:response_detail": lambda w: {"pk": w.objects["rc_response"].pk},
    "recommendations:response_document": lambda w: {"pk": w.objects["rc_response"].pk},
    "recommendations:response_edit": lambda w: {"pk": w.objects["rc_response"].pk},
    "recommendations:visit_recommendations": lambda w: {"visit_pk": w.visit.pk},
    "recommendations:follow_up_checklist": lambda w: {"visit_pk": w.objects["rc_follow_up"].pk},
    "recommendations:check_record": lambda w: {"pk": w.objects["rc_check"].pk},
}


def _visit(place, day: dt.date, **kwargs):
    start = local(day.year, day.month, day.day, 9, 0)
    return VisitFactory(
        place=place, planned_start=start, planned_end=start + dt.timedelta(hours=6), **kwargs
    )


def extend_world(world) -> None:
    place = world.visit.place
    authority = place.authority
    # A draft recommendation on the world's visit (whose report, if any, belongs to others).
    draft = RecommendationFactory(visit=world.visit, number=901, addressees=[authority])
    # An earlier visit to the same place with an issued, dispatched report.
    issued_visit = _visit(place, dt.date(2025, 9, 10), status="reporting")
    issued_rec = RecommendationFactory(visit=issued_visit, number=1, addressees=[authority])
    answered = RecommendationFactory(visit=issued_visit, number=2, addressees=[authority])
    ReportFactory(
        visit=issued_visit,
        reference="RC-2025-001",
        status=Report.Status.ISSUED,
        issued_on=dt.date(2025, 10, 1),
        issued_at=local(2025, 10, 1, 12, 0),
    )
    response = services.response_record(
        visit=issued_visit,
        authority=authority,
        received_on=dt.date(2025, 11, 20),
        reference="RC-72/2025",
        document=SimpleUploadedFile("letter.pdf", PDF),
        items=[{"recommendation": answered, "stated_status": "in_progress"}],
    )
    # A recommendation at another place.
    elsewhere = RecommendationFactory(visit=_visit(PlaceFactory(), dt.date(2025, 9, 12)), number=1)
    # A conducted follow-up visit to the place: its checklist holds the open recommendations.
    follow_up = _visit(place, dt.date(2026, 2, 10), kind="follow_up", status="conducted")
    services.follow_up_checklist_prefill(visit=follow_up)
    world.objects.update(
        {
            "rc_draft_rec": draft,
            "rc_issued_visit": issued_visit,
            "rc_issued_rec": issued_rec,
            "rc_answered_rec": answered,
            "rc_response": response,
            "rc_other_place_rec": elsewhere,
            "rc_follow_up": follow_up,
            "rc_check": FollowUpCheck.objects.get(visit=follow_up, recommendation=issued_rec),
        }
    )
