"""The import page as staff: upload → dry run → confirm → the batch; undo asked first; the
template; and the imported report's pages (no PDF, nothing broken)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from recommendations.imports.service import records_import
from recommendations.models import ImportBatch, Recommendation
from tests.factories import AuthorityFactory, PlaceFactory
from tests.recommendations.imports.helpers import csv_file, row, table_counts
from visits.models import Authority, Report

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 1, 10, 10, 0, tzinfo=dt.UTC)
START = reverse("recommendations:import")
CONFIRM = reverse("recommendations:import_confirm")


@pytest.fixture
def registry(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ministry = AuthorityFactory(name="Ministry of Interior", kind=Authority.Kind.MINISTRY)
    station = AuthorityFactory(name="Police Department Kruševac", parent=ministry)
    return PlaceFactory(name="Police Station Kruševac", authority=station)


def upload(data: bytes, name: str = "past.csv"):
    return SimpleUploadedFile(name, data, content_type="text/csv")


@time_machine.travel(NOW, tick=False)
def test_staff_upload_dry_run_confirm_and_the_batch_page(staff_client, staff, registry):
    before = Recommendation.objects.count()
    response = staff_client.post(START, {"file": upload(csv_file([row(), row(number="2")]))})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Import 2 rows" in body
    assert "Nothing has been written." in body
    assert Recommendation.objects.count() == before
    token = response.context["confirm"].initial["token"]

    response = staff_client.post(CONFIRM, {"token": token})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("recommendations:import_batch", args=[batch.pk])
    assert batch.imported_by == staff
    assert batch.rows == 2
    assert len(batch.sha256) == 64
    assert Recommendation.objects.count() == before + 2
    page = staff_client.get(response.url)
    assert page.status_code == 200
    assert "past.csv" in page.content.decode()
    # The staged file is used once.
    again = staff_client.post(CONFIRM, {"token": token})
    assert again.status_code == 302
    assert again.url == START
    assert ImportBatch.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_the_dry_run_page_lists_every_error_and_offers_no_import(staff_client, registry):
    data = csv_file([row(visit_start="31.02.2019"), row(number="2", place="Nowhere")])
    response = staff_client.post(START, {"file": upload(data)})
    body = response.content.decode()
    assert response.context["confirm"] is None
    assert "row 2, column &#x27;Visit start&#x27;: 31.02.2019 is not a date" in body
    assert "row 3, column &#x27;Place&#x27;: no place is named Nowhere" in body
    assert 'data-unmatched="place"' in body
    assert "import-confirm" not in body


def test_a_file_that_is_no_spreadsheet_is_refused_next_to_the_field(staff_client, registry):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    response = staff_client.post(START, {"file": SimpleUploadedFile("past.csv", png)})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert not ImportBatch.objects.exists()


def test_a_token_of_another_user_is_refused(staff_client, head_client, registry):
    response = head_client.post(START, {"file": upload(csv_file([row()]))})
    token = response.context["confirm"].initial["token"]
    refused = staff_client.post(CONFIRM, {"token": token})
    assert refused.status_code == 302
    assert refused.url == START
    assert not ImportBatch.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_undo_asks_first_then_removes(staff_client, staff, registry):
    result = records_import(data=csv_file([row()]), file_name="past.csv", by=staff)
    url = reverse("recommendations:import_undo", args=[result.batch.pk])
    page = staff_client.get(url)
    assert page.status_code == 200
    assert "undo-form" in page.content.decode()
    assert staff_client.post(url, {}).status_code == 400  # not confirmed
    assert Recommendation.objects.exists()
    response = staff_client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert not Recommendation.objects.exists()
    assert ImportBatch.objects.get().is_undone


def test_compliance_gets_403_and_partners_404(compliance_client, partner_client, staff, registry):
    batch = ImportBatch.objects.create(file_name="x.csv", sha256="0" * 64)
    for name, args in (
        ("import", []),
        ("import_batch", [batch.pk]),
        ("import_undo", [batch.pk]),
        ("import_template_csv", []),
        ("import_template_xlsx", []),
    ):
        url = reverse(f"recommendations:{name}", args=args)
        assert compliance_client.get(url).status_code == 403
        assert partner_client.get(url).status_code == 404
    assert compliance_client.post(START, {"file": upload(csv_file([row()]))}).status_code == 403
    assert partner_client.post(CONFIRM, {"token": "x"}).status_code == 404
    assert not Recommendation.objects.exists()


def test_the_template_has_the_columns_an_example_and_a_guide(staff_client, registry):
    response = staff_client.get(reverse("recommendations:import_template_xlsx"))
    workbook = load_workbook(io.BytesIO(response.content))
    data, guide = workbook.worksheets
    header = [cell.value for cell in data[1]]
    assert header[:3] == ["Reference", "Visit", "Place"]
    assert header[-1] == "Text"
    assert data.max_row == 2
    assert any("partially_implemented" in str(c.value) for c in guide["D"])
    csv_body = staff_client.get(reverse("recommendations:import_template_csv")).content
    assert csv_body.decode("utf-8-sig").splitlines()[0].startswith("Reference,Visit,Place")


@time_machine.travel(NOW, tick=False)
def test_the_template_itself_imports(staff_client, staff, registry):
    AuthorityFactory(name="Ministry of Interior 2")
    body = staff_client.get(reverse("recommendations:import_template_csv")).content
    result = records_import(data=body, file_name="t.csv", dry_run=True, by=staff)
    assert result.ok, [str(e) for e in result.errors]
    assert result.plan.rows == 1  # the guide's lines are skipped


@time_machine.travel(NOW, tick=False)
def test_an_imported_report_has_no_pdf_and_its_pages_do_not_break(
    staff_client, head_client, anonymous_client, staff, registry
):
    records_import(data=csv_file([row(public="yes")]), file_name="f.csv", by=staff)
    report = Report.objects.get()
    detail = head_client.get(reverse("visits:report_detail", args=[report.visit_id]))
    assert detail.status_code == 200
    body = detail.content.decode()
    assert "report-pdf-imported" in body
    assert 'data-action="render-issued"' not in body
    assert head_client.get(reverse("visits:report_pdf", args=[report.visit_id])).status_code == 404
    assert (
        head_client.get(reverse("visits:report_public_pdf", args=[report.visit_id])).status_code
        == 404
    )
    # Asking to render it anyway: a message, nothing rendered.
    response = head_client.post(reverse("visits:report_preview", args=[report.visit_id]))
    assert response.status_code == 302
    assert not report.renders.exists()
    portal = anonymous_client.get(reverse("portal:index"))
    assert portal.status_code == 200
    assert "data-imported" in portal.content.decode()
    assert anonymous_client.get(reverse("portal:report_pdf", args=[report.pk])).status_code == 404


def test_dry_run_page_writes_nothing_to_the_database(staff_client, registry):
    before = table_counts()
    staff_client.post(START, {"file": upload(csv_file([row()]))})
    after = table_counts()
    # The session and the login throttle may change; no record of the NPM does.
    changed = {t for t in after if after[t] != before[t]}
    assert not {t for t in changed if not t.startswith(("django_session", "axes_"))}
