"""/reports/: metadata, dispatches and checksums for those who see the visit; the frozen PDFs
for those who may have them on the pages, sent as stored and logged as downloads."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tests.api.resources.conftest import codes, ids
from tests.factories.visits import ReportFactory
from visits.models import AccessLog

pytestmark = pytest.mark.django_db

FULL = b"%PDF-1.4\n% the full report\n%%EOF\n"
PUBLIC = b"%PDF-1.4\n% the public version\n%%EOF\n"


@pytest.fixture
def frozen(case, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    report = case.visit.report
    report.pdf.save("full.pdf", ContentFile(FULL), save=False)
    report.public_pdf.save("public.pdf", ContentFile(PUBLIC), save=False)
    report.pdf_sha256 = hashlib.sha256(FULL).hexdigest()
    report.public_pdf_sha256 = hashlib.sha256(PUBLIC).hexdigest()
    report.save()
    return report


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


def test_report_metadata_for_those_who_see_the_visit(frozen, clients, case):
    path = reverse("api:report-detail", args=[frozen.pk])
    assert codes(clients, path) == "401 200 200 200 200 404"
    body = clients["compliance"].get(path).json()
    assert body["reference"] == frozen.reference
    assert body["status"] == "issued"
    assert body["issued_on"] == "2025-10-01"
    assert body["pdf_sha256"] == hashlib.sha256(FULL).hexdigest()
    assert body["public_pdf_sha256"] == hashlib.sha256(PUBLIC).hexdigest()
    assert [(d["authority"], d["sent_on"]) for d in body["dispatches"]] == [
        (case.institution.pk, "2025-10-03")
    ]
    assert body["pdf"].endswith(reverse("api:report-pdf", args=[frozen.pk]))
    # The partner on the team may not have the full PDF: no link to it.
    partner = clients["partner_on"].get(path).json()
    assert partner["pdf"] is None
    assert partner["public_pdf"].endswith(reverse("api:report-public-pdf", args=[frozen.pk]))


def test_report_list_holds_only_visible_visits(frozen, clients, case):
    other = ReportFactory(visit=case.elsewhere)
    url = reverse("api:report-list")
    assert ids(clients["staff"].get(url)) == {frozen.pk, other.pk}
    assert ids(clients["partner_on"].get(url)) == {frozen.pk}
    assert ids(clients["partner_off"].get(url)) == set()
    assert ids(clients["staff"].get(url, {"status": "drafting"})) == {other.pk}
    assert ids(clients["staff"].get(url, {"issued_from": "2025-10-02"})) == set()
    assert codes(clients, reverse("api:report-detail", args=[other.pk])) == (
        "401 200 200 200 404 404"
    )


def test_full_pdf_is_streamed_as_frozen_and_logged(frozen, clients, head):
    path = reverse("api:report-pdf", args=[frozen.pk])
    assert codes(clients, path) == "401 200 200 200 403 404"
    response = clients["head"].get(path)
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-SHA256"] == frozen.pdf_sha256
    assert _content(response) == FULL
    logged = AccessLog.objects.filter(user=head, action="download").latest("pk")
    assert logged.object_type == "visits.Report"
    assert logged.object_id == str(frozen.pk)


def test_public_pdf_for_everyone_who_sees_the_visit(frozen, clients):
    path = reverse("api:report-public-pdf", args=[frozen.pk])
    assert codes(clients, path) == "401 200 200 200 200 404"
    assert _content(clients["partner_on"].get(path)) == PUBLIC
    # Asking for a PDF explicitly works too; an error is still JSON.
    response = clients["staff"].get(path, HTTP_ACCEPT="application/pdf")
    assert _content(response) == PUBLIC
    missing = clients["partner_off"].get(path, HTTP_ACCEPT="application/pdf")
    assert missing.status_code == 404
    assert missing.json()["error"]["status"] == 404


def test_a_draft_has_no_pdf(case, clients):
    draft = ReportFactory(visit=case.elsewhere)
    for name in ("api:report-pdf", "api:report-public-pdf"):
        path = reverse(name, args=[draft.pk])
        assert codes(clients, path) == "401 404 404 404 404 404", name
