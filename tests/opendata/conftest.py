"""An open-data world: two issued reports (one with a stored public PDF), an approved and a
drafting report, public and non-public recommendations, and a marker string in everything that
must stay inside (drafts, unissued reports, confidential sections, non-public recommendations,
interviews, response explanations and notes, assessment notes, place notes, the full PDF)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from core.roles import Role
from recommendations import services
from tests.factories import AuthorityFactory, PlaceFactory, UserFactory
from tests.factories.recommendations import RecommendationFactory
from tests.factories.visits import (
    InterviewFactory,
    ReportFactory,
    ReportSectionFactory,
    VisitFactory,
    local,
)
from visits.models import Authority, Place, Report, Theme, Visit

MARKERS = {
    "unissued_report": "Qodunissuedtitle4411",
    "unissued_rec": "Qodunissuedrec5521",
    "approved_rec": "Qodapprovedrec6631",
    "approved_report": "Qodapprovedtitle6632",
    "private_rec": "Qodprivaterec7741",
    "confidential_section": "Qodconfsection8851",
    "confidential_title": "Qodconftitle9961",
    "interview": "Qodinterview1071",
    "explanation": "Qodexplanation4301",
    "response_note": "Qodresponsenote5411",
    "assessment_note": "Qodassessnote7631",
    "place_notes": "Qodplacenotes8741",
    "purpose": "Qodpurpose9851",
    "full_pdf": "Qodfullpdf1961",
}
PUBLIC_PDF = b"%PDF-1.4\n% the public version\n%%EOF\n"
FORMULA_TEXT = '=HYPERLINK("http://evil.example/","Click")'
CYRILLIC_TEXT = "Обезбедити довољно светла у ћелијама, ђаци и џак"


def issue(report: Report, day: dt.date) -> None:
    report.status = Report.Status.ISSUED
    report.issued_at = local(day.year, day.month, day.day, 12, 0)
    report.issued_on = day
    report.save()


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ministry = AuthorityFactory(name="Ministry of Interior")
    station_authority = AuthorityFactory(
        name="Kruševac Police Department", kind=Authority.Kind.INSTITUTION, parent=ministry
    )
    justice = AuthorityFactory(name="Ministry of Justice")
    prison_authority = AuthorityFactory(
        name="Niš Correctional Institution", kind=Authority.Kind.INSTITUTION, parent=justice
    )
    station = PlaceFactory(
        name="Kruševac Police Station",
        authority=station_authority,
        notes=MARKERS["place_notes"],
    )
    prison = PlaceFactory(
        name="Niš Correctional Institution",
        category=Place.Category.PRISON,
        authority=prison_authority,
        municipality="Niš",
        district="Nišava",
    )
    staff = UserFactory(username="od-staff", roles=[Role.STAFF])

    def visit(place, year, status, kind=Visit.Kind.REGULAR):
        return VisitFactory(
            place=place,
            kind=kind,
            planned_start=local(year, 3, 10, 9, 0),
            planned_end=local(year, 3, 11, 15, 0),
            status=status,
            purpose=f"Purpose {MARKERS['purpose']}",
        )

    # 1. Issued with a public PDF (and a full PDF that must never be linked): Kruševac 2025.
    krusevac = visit(station, 2025, Visit.Status.CLOSED)
    InterviewFactory(visit=krusevac, notes=f"Notes {MARKERS['interview']}")
    report = ReportFactory(visit=krusevac, reference="NPM-2025-007", title="Kruševac visit")
    ReportSectionFactory(
        report=report,
        title=MARKERS["confidential_title"],
        body=MARKERS["confidential_section"],
        confidential=True,
    )
    report.public_pdf.save("public.pdf", ContentFile(PUBLIC_PDF), save=False)
    report.public_pdf_sha256 = hashlib.sha256(PUBLIC_PDF).hexdigest()
    report.pdf.save("full.pdf", ContentFile(b"%PDF " + MARKERS["full_pdf"].encode()), save=False)
    report.pdf_sha256 = hashlib.sha256(MARKERS["full_pdf"].encode()).hexdigest()
    issue(report, dt.date(2025, 4, 1))
    public = RecommendationFactory(
        visit=krusevac,
        number=1,
        text="Renovate the detention rooms of the police station",
        theme=Theme.objects.get(code="material-conditions"),
        public=True,
        addressees=[station_authority, ministry],
        dispatched_on=dt.date(2025, 4, 2),
        due_date=dt.date(2025, 6, 1),
    )
    formula = RecommendationFactory(
        visit=krusevac,
        number=2,
        text=FORMULA_TEXT,
        theme=Theme.objects.get(code="ill-treatment"),
        public=True,
        addressees=[station_authority],
    )
    private = RecommendationFactory(
        visit=krusevac, number=3, text=MARKERS["private_rec"], public=False
    )
    response = services.response_record(
        visit=krusevac,
        authority=station_authority,
        received_on=dt.date(2025, 5, 1),
        reference="72-1/2025",
        note=MARKERS["response_note"],
        items=[
            {
                "recommendation": public,
                "stated_status": "partially_implemented",
                "explanation": MARKERS["explanation"],
                "promised_by": None,
            },
        ],
        by=staff,
    )
    services.assessment_record(
        recommendation=public,
        status="partially_implemented",
        reason="funds",
        basis="response",
        response=response,
        note=MARKERS["assessment_note"],
        assessed_on=dt.date(2025, 5, 10),
        by=staff,
    )

    # 2. Issued, public PDF not stored yet: Niš 2026, in Cyrillic, without a theme on one.
    nis = visit(prison, 2026, Visit.Status.REPORTING, kind=Visit.Kind.FOLLOW_UP)
    nis_report = ReportFactory(
        visit=nis, reference="NPM-2026-003", title="Niš visit", language="sr-cyrl"
    )
    issue(nis_report, dt.date(2026, 5, 4))
    cyrillic = RecommendationFactory(
        visit=nis,
        number=1,
        text=CYRILLIC_TEXT,
        theme=Theme.objects.get(code="health-care"),
        public=True,
        addressees=[prison_authority, justice],
    )
    themeless = RecommendationFactory(
        visit=nis,
        number=2,
        text="Publish the house rules",
        theme=None,
        public=True,
        addressees=[prison_authority],
    )

    # 3. Approved, not issued (with a public PDF file), and 4. drafting.
    approved = visit(station, 2026, Visit.Status.REPORTING)
    approved_report = ReportFactory(
        visit=approved,
        reference="NPM-2026-009",
        title=MARKERS["approved_report"],
        status=Report.Status.APPROVED,
    )
    approved_report.public_pdf.save("early.pdf", ContentFile(PUBLIC_PDF), save=True)
    approved_rec = RecommendationFactory(
        visit=approved, number=1, text=MARKERS["approved_rec"], public=True
    )
    draft = visit(prison, 2026, Visit.Status.REPORTING)
    draft_report = ReportFactory(visit=draft, title=MARKERS["unissued_report"])
    draft_rec = RecommendationFactory(
        visit=draft, number=1, text=MARKERS["unissued_rec"], public=True
    )
    return {
        "report": report,
        "nis_report": nis_report,
        "approved_report": approved_report,
        "draft_report": draft_report,
        "public": public,
        "formula": formula,
        "private": private,
        "cyrillic": cyrillic,
        "themeless": themeless,
        "approved_rec": approved_rec,
        "draft_rec": draft_rec,
        "station": station,
        "prison": prison,
        "ministry": ministry,
        "justice": justice,
        "station_authority": station_authority,
        "prison_authority": prison_authority,
    }


def get_json(client, name: str, *args, **params):
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200, response.content
    return response.json()


def all_pages(client, name: str, **params) -> list[dict]:
    """Every record of a list, following the cursor to the end."""
    url = reverse(name)
    records = []
    data = client.get(url, params).json()
    while True:
        records += data["results"]
        if not data["next"]:
            return records
        data = client.get(data["next"]).json()


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def ids(records) -> list[int]:
    return [record["id"] for record in records]


def as_text(response) -> str:
    return body(response).decode("utf-8")
