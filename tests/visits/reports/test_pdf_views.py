"""PDF views: previews and their progress page, the frozen issued PDF and its public version,
and who may open what. A job runs at the commit (the test settings' "inline" runner): the tests
run the commit callbacks where the job must be done."""

import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.visits import ReportFactory, ReportSectionFactory, VisitFactory
from visits.models import AccessLog, Report, ReportRender
from visits.pdf import rendering
from visits.pdf.tasks import request_render
from visits.views.pdf import pdf_panel_context


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def report(db):
    report = ReportFactory(reference="NPM-2026-044")
    ReportSectionFactory(report=report, title="Findings", body="Text.")
    ReportSectionFactory(report=report, title="Identities", body="Secret.", confidential=True)
    return report


@pytest.fixture
def issued(report, staff, render_now):
    now = timezone.now()
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.ISSUED, issued_at=now, issued_on=timezone.localdate(now)
    )
    report.refresh_from_db()
    render_now(report=report, kind="issued", by=staff)
    report.refresh_from_db()
    return report


def url(name, report, *args):
    return reverse(f"visits:{name}", args=[report.visit_id, *args])


def content(response) -> bytes:
    return b"".join(response.streaming_content)


# --- Previews -------------------------------------------------------------------------------


def test_staff_previews_a_draft_and_downloads_it(
    staff_client, staff, report, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url("report_preview", report))
    render = ReportRender.objects.get()
    assert render.kind == "preview"
    assert render.requested_by == staff
    assert response.status_code == 302
    assert response.url == url("report_render", report, render.pk)
    page = staff_client.get(response.url)
    assert page.status_code == 200
    download = url("report_render_download", report, render.pk)
    assert download.encode() in page.content
    assert b"hx-trigger" not in page.content  # done: no more polling
    pdf = staff_client.get(download)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert content(pdf).startswith(b"%PDF")
    assert 'filename="NPM-2026-044-draft.pdf"' in pdf["Content-Disposition"]
    assert AccessLog.objects.filter(
        user=staff, action="download", object_type="visits.ReportRender", object_id=str(render.pk)
    ).exists()


def test_progress_page_polls_while_the_render_is_queued(staff_client, staff, report):
    render = ReportRender.objects.create(report=report, kind="preview", requested_by=staff)
    page = staff_client.get(url("report_render", report, render.pk))
    assert page.status_code == 200
    assert b'hx-trigger="every 2s"' in page.content
    assert b"<progress" in page.content
    assert b"<html" in page.content
    fragment = staff_client.get(url("report_render", report, render.pk), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert b"<html" not in fragment.content
    assert b'id="render-progress"' in fragment.content
    assert b'hx-trigger="every 2s"' in fragment.content
    assert staff_client.get(url("report_render_download", report, render.pk)).status_code == 404


def test_failed_render_shows_try_again_not_an_error(
    staff_client, report, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(
        rendering, "report_pdf", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("no fonts"))
    )
    with django_capture_on_commit_callbacks(execute=True):
        posted = staff_client.post(url("report_preview", report))
    render = ReportRender.objects.get()
    assert posted.url == url("report_render", report, render.pk)
    response = staff_client.get(posted.url)
    assert response.status_code == 200
    assert b"Rendering failed, try again." in response.content
    assert url("report_preview", report).encode() in response.content
    assert ReportRender.objects.get().state == "failed"


def test_compliance_previews_but_cannot_open_someone_elses_render(
    compliance_client, compliance, staff, report
):
    response = compliance_client.post(url("report_preview", report))
    assert response.status_code == 302
    own = ReportRender.objects.get(requested_by=compliance)
    assert compliance_client.get(url("report_render", report, own.pk)).status_code == 200
    other = ReportRender.objects.create(report=report, kind="preview", requested_by=staff)
    assert compliance_client.get(url("report_render", report, other.pk)).status_code == 404
    assert compliance_client.get(url("report_render_download", report, other.pk)).status_code == 404


def test_head_opens_any_render(head_client, staff, report, render_now):
    render = render_now(report=report, kind="preview", by=staff)
    assert head_client.get(url("report_render", report, render.pk)).status_code == 200
    assert head_client.get(url("report_render_download", report, render.pk)).status_code == 200


def test_render_of_another_report_is_not_found(staff_client, staff, report):
    other = ReportFactory()
    render = ReportRender.objects.create(report=other, kind="preview", requested_by=staff)
    assert staff_client.get(url("report_render", report, render.pk)).status_code == 404


def test_preview_needs_post(staff_client, report):
    assert staff_client.get(url("report_preview", report)).status_code == 405
    assert not ReportRender.objects.exists()


def test_no_report_is_not_found(staff_client, db):
    visit = VisitFactory()
    for name in ("report_pdf", "report_public_pdf"):
        assert staff_client.get(reverse(f"visits:{name}", args=[visit.pk])).status_code == 404
    assert staff_client.post(reverse("visits:report_preview", args=[visit.pk])).status_code == 404


# --- The issued PDF -------------------------------------------------------------------------


def test_issued_pdf_is_served_frozen_with_its_checksum(staff_client, staff, issued):
    stored = issued.pdf.open("rb").read()
    renders = ReportRender.objects.count()
    first = staff_client.get(url("report_pdf", issued))
    second = staff_client.get(url("report_pdf", issued))
    assert first.status_code == second.status_code == 200
    body = content(first)
    assert body == content(second) == stored
    assert hashlib.sha256(body).hexdigest() == issued.pdf_sha256 == first["X-Content-SHA256"]
    assert 'filename="NPM-2026-044.pdf"' in first["Content-Disposition"]
    assert ReportRender.objects.count() == renders  # downloads never render
    assert (
        AccessLog.objects.filter(
            user=staff, action="download", object_type="visits.Report", object_id=str(issued.pk)
        ).count()
        == 2
    )


def test_public_version_is_served_with_its_checksum(staff_client, issued):
    response = staff_client.get(url("report_public_pdf", issued))
    assert response.status_code == 200
    body = content(response)
    assert hashlib.sha256(body).hexdigest() == issued.public_pdf_sha256
    assert response["X-Content-SHA256"] == issued.public_pdf_sha256
    assert 'filename="NPM-2026-044-public.pdf"' in response["Content-Disposition"]


def test_pdfs_of_a_report_not_issued_are_not_found(staff_client, report):
    assert staff_client.get(url("report_pdf", report)).status_code == 404
    assert staff_client.get(url("report_public_pdf", report)).status_code == 404


def test_preview_of_an_issued_report_does_not_render_again(staff_client, issued):
    renders = ReportRender.objects.count()
    response = staff_client.post(url("report_preview", issued))
    assert response.status_code == 302
    assert response.url == reverse("visits:report_detail", args=[issued.visit_id])
    assert ReportRender.objects.count() == renders


def test_staff_can_retry_a_failed_issue_render(
    staff_client, staff, report, monkeypatch, render_now, django_capture_on_commit_callbacks
):
    now = timezone.now()
    Report.objects.filter(pk=report.pk).update(status="issued", issued_at=now)
    report.refresh_from_db()
    real = rendering.report_pdf
    monkeypatch.setattr(
        rendering, "report_pdf", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("x"))
    )
    assert render_now(report=report, kind="issued", by=staff).state == "failed"
    monkeypatch.setattr(rendering, "report_pdf", real)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url("report_preview", report))
    assert response.status_code == 302
    render = ReportRender.objects.order_by("-pk").first()
    assert render.kind == "issued"
    assert render.state == "done"
    report.refresh_from_db()
    assert report.pdf_ready


# --- Partners and anonymous -----------------------------------------------------------------


def test_partner_on_the_team_gets_only_the_public_version(partner_client, on_team, staff, issued):
    on_team(issued.visit)
    render = request_render(report=issued, kind="preview", by=staff)
    assert partner_client.post(url("report_preview", issued)).status_code == 403
    assert partner_client.get(url("report_render", issued, render.pk)).status_code == 403
    assert partner_client.get(url("report_render_download", issued, render.pk)).status_code == 403
    assert partner_client.get(url("report_pdf", issued)).status_code == 403
    public = partner_client.get(url("report_public_pdf", issued))
    assert public.status_code == 200
    assert hashlib.sha256(content(public)).hexdigest() == issued.public_pdf_sha256


def test_partner_not_on_the_team_gets_not_found(partner_client, on_team, staff, issued):
    on_team(VisitFactory())
    render = request_render(report=issued, kind="preview", by=staff)
    assert partner_client.post(url("report_preview", issued)).status_code == 404
    for response in (
        partner_client.get(url("report_render", issued, render.pk)),
        partner_client.get(url("report_render_download", issued, render.pk)),
        partner_client.get(url("report_pdf", issued)),
        partner_client.get(url("report_public_pdf", issued)),
    ):
        assert response.status_code == 404


def test_anonymous_is_sent_to_login(client, staff, issued):
    render = request_render(report=issued, kind="preview", by=staff)
    for response in (
        client.post(url("report_preview", issued)),
        client.get(url("report_render", issued, render.pk)),
        client.get(url("report_render_download", issued, render.pk)),
        client.get(url("report_pdf", issued)),
        client.get(url("report_public_pdf", issued)),
    ):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


# --- The panel on the report page -----------------------------------------------------------


def test_panel_shows_preview_and_latest_render(rf, staff, report, render_now):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = staff
    assert pdf_panel_context(request, report)["pdf_panel"]["latest_render"] is None
    render = render_now(report=report, kind="preview", by=staff)
    context = pdf_panel_context(request, report)
    assert context["pdf_panel"]["latest_render"] == render
    html = render_to_string("visits/_report_pdf_panel.html", context, request=request)
    assert url("report_preview", report) in html
    assert url("report_render_download", report, render.pk) in html
    assert url("report_pdf", report) not in html


def test_panel_of_an_issued_report_shows_the_frozen_pdf_and_checksum(rf, staff, issued):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = staff
    html = render_to_string(
        "visits/_report_pdf_panel.html", pdf_panel_context(request, issued), request=request
    )
    assert url("report_pdf", issued) in html
    assert url("report_public_pdf", issued) in html
    assert issued.pdf_sha256 in html
    assert url("report_preview", issued) not in html


def test_panel_for_a_partner_shows_only_the_public_version(rf, partner_member, issued):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = partner_member
    html = render_to_string(
        "visits/_report_pdf_panel.html", pdf_panel_context(request, issued), request=request
    )
    assert url("report_public_pdf", issued) in html
    assert url("report_pdf", issued) not in html
    assert url("report_preview", issued) not in html
    assert issued.pdf_sha256 not in html
