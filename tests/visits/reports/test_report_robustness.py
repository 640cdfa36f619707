"""Review of reports and their PDFs: a render job nobody picks up, the report's history after
issue, who sees which render link, bad input that must not be a 500, double submits, and user
text escaped on the section pages."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories.visits import ReportFactory, ReportSectionFactory, TeamMemberFactory, local
from tests.visits.reports.sections import mine, other
from visits import services as rs
from visits.models import Report, ReportRender, SectionAutosave
from visits.pdf import rendering
from visits.pdf.tasks import request_render
from visits.views.pdf import pdf_panel_context

XSS = '</textarea><script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CELERY_TASK_ALWAYS_EAGER = True


def url(name, report, *args, **kwargs):
    if kwargs:
        return reverse(f"visits:{name}", kwargs={"pk": report.visit_id, **kwargs})
    return reverse(f"visits:{name}", args=[report.visit_id, *args])


def section_url(name, report, section, **kwargs):
    return reverse(
        f"visits:{name}", kwargs={"pk": report.visit_id, "section_pk": section.pk, **kwargs}
    )


@pytest.fixture
def draft(db):
    report = ReportFactory(reference="NPM-2026-051")
    ReportSectionFactory(report=report, title="Findings", body="Text.")
    return report


def _issue(report):
    now = timezone.now()
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.ISSUED, issued_at=now, issued_on=timezone.localdate(now)
    )
    report.refresh_from_db()
    return report


# --- A queued render when the worker is down ------------------------------------------------


def _queued(report, user, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    return ReportRender.objects.create(report=report, kind="preview", requested_by=user)


def test_a_render_queued_for_long_stops_polling_and_offers_to_try_again(
    staff_client, staff, draft, settings
):
    with time_machine.travel(local(2026, 4, 1, 10, 0), tick=False):
        render = _queued(draft, staff, settings)
    path = url("report_render", draft, render.pk)
    with time_machine.travel(local(2026, 4, 1, 10, 5), tick=False):
        assert b'hx-trigger="every 2s"' in staff_client.get(path).content
    with time_machine.travel(local(2026, 4, 1, 10, 11), tick=False):
        page = staff_client.get(path)
        fragment = staff_client.get(path, HTTP_HX_REQUEST="true")
        panel = staff_client.get(url("report_detail", draft))
    for response in (page, fragment):
        assert response.status_code == 200
        content = response.content.decode()
        assert "hx-trigger" not in content
        assert 'id="render-stalled"' in content
        assert "is the background worker (Celery) running?" in content
        assert url("report_preview", draft) in content
        assert "<progress" not in content
    assert "stuck, try again" in panel.content.decode()


def test_a_render_running_for_very_long_stops_polling(staff_client, staff, draft, settings):
    with time_machine.travel(local(2026, 4, 1, 10, 0), tick=False):
        render = _queued(draft, staff, settings)
    ReportRender.objects.filter(pk=render.pk).update(state="running", progress=60)
    path = url("report_render", draft, render.pk)
    with time_machine.travel(local(2026, 4, 1, 10, 20), tick=False):
        assert b'hx-trigger="every 2s"' in staff_client.get(path).content
    with time_machine.travel(local(2026, 4, 1, 10, 31), tick=False):
        content = staff_client.get(path).content.decode()
    assert "hx-trigger" not in content
    assert "stopped before it finished" in content


def test_a_stuck_issued_render_can_be_started_again_from_the_panel(
    head_client, head, draft, settings
):
    issued = _issue(draft)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with time_machine.travel(local(2026, 4, 1, 10, 0), tick=False):
        ReportRender.objects.create(report=issued, kind="issued", requested_by=head)
    with time_machine.travel(local(2026, 4, 1, 10, 30), tick=False):
        content = head_client.get(url("report_detail", issued)).content.decode()
    assert 'data-action="render-issued"' in content


# --- The report's history after issue -------------------------------------------------------


def test_history_shows_the_frozen_pdf_being_stored_by_the_issuer(
    report, head, head_client, django_capture_on_commit_callbacks
):
    for section in report.sections.all():
        if not section.body:
            rs.section_save(section=section, body="Text.", base_version=section.version, by=head)
        rs.section_submit(section=section, by=head)
        rs.section_accept(section=section, by=head)
    rs.report_submit_for_review(report=report, by=head)
    rs.report_approve(report=report, by=head)
    with django_capture_on_commit_callbacks(execute=True):  # the render job
        rs.report_issue(report=report, by=head)
    stored = report.history.order_by("-history_id").first()
    assert stored.pdf_sha256
    assert stored.history_user == head
    content = head_client.get(url("report_detail", report)).content.decode()
    assert content.count('data-history-event="pdf-stored"') == 1
    assert "Frozen PDF stored" in content
    assert content.count('data-history-status="issued"') == 1


def test_history_of_a_pdf_stored_by_a_worker_names_who_asked(head, draft, render_now):
    issued = _issue(draft)
    render_now(report=issued, kind="issued", by=head)
    assert issued.history.order_by("-history_id").first().history_user == head


# --- Who sees which render link -------------------------------------------------------------


def test_compliance_panel_has_no_link_to_someone_elses_issued_render(
    rf, compliance, staff, draft, monkeypatch, render_now
):
    monkeypatch.setattr(
        rendering, "report_pdf", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("no fonts"))
    )
    issued = _issue(draft)
    render = render_now(report=issued, kind="issued", by=staff)
    assert render.state == "failed"
    request = rf.get("/")
    request.user = compliance
    panel = pdf_panel_context(request, issued)["pdf_panel"]
    assert panel["issued_render"] is None  # opening it would be a 404
    request.user = staff
    assert pdf_panel_context(request, issued)["pdf_panel"]["issued_render"] == render


def test_partner_gets_no_pdf_but_the_public_version_of_an_issued_report(
    partner_client, partner_as_member, staff, draft, render_now
):
    TeamMemberFactory(visit=draft.visit, member=partner_as_member)
    staff_render = request_render(report=draft, kind="preview", by=staff)
    assert partner_client.post(url("report_preview", draft)).status_code == 403
    for name, args in (
        ("report_render", [staff_render.pk]),
        ("report_render_download", [staff_render.pk]),
    ):
        assert partner_client.get(url(name, draft, *args)).status_code == 403
    assert partner_client.get(url("report_pdf", draft)).status_code == 403
    assert partner_client.get(url("report_public_pdf", draft)).status_code == 404
    page = partner_client.get(url("report_detail", draft)).content.decode()
    assert "/renders/" not in page
    issued = _issue(draft)
    render_now(report=issued, kind="issued", by=staff)
    assert partner_client.get(url("report_pdf", issued)).status_code == 403
    assert partner_client.get(url("report_public_pdf", issued)).status_code == 200
    page = partner_client.get(url("report_detail", issued)).content.decode()
    assert url("report_public_pdf", issued) in page
    assert url("report_pdf", issued) not in page


# --- Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["-3", "0", "99999999999999999999", "x"])
def test_autosave_with_a_bad_version_is_refused_not_a_500(
    report,
    partner_client,
    partner_member,
    version,
):
    response = partner_client.post(
        section_url("section_autosave", report, mine(report)), {"body": "w", "version": version}
    )
    assert response.status_code == 200
    assert "Not saved" in response.content.decode()
    assert not SectionAutosave.objects.exists()


def test_autosave_without_a_version_uses_the_current_one(
    report,
    partner_client,
    partner_member,
):
    section = mine(report)
    response = partner_client.post(section_url("section_autosave", report, section), {"body": "w"})
    assert response.status_code == 200
    assert SectionAutosave.objects.get().base_version == section.version


def test_section_settings_with_a_huge_order_is_a_form_error(
    report,
    staff_client,
):
    section = other(report)
    response = staff_client.post(
        section_url("section_settings", report, section),
        {"title": "T", "kind": section.kind, "order": "99999999999999999999"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["order"]
    section.refresh_from_db()
    assert section.order == 2


def test_a_save_sent_twice_is_saved_once_without_a_conflict(
    report,
    staff_client,
):
    section = other(report)
    data = {"body": "New words", "version": section.version}
    first = staff_client.post(section_url("section_edit", report, section), data)
    second = staff_client.post(section_url("section_edit", report, section), data)
    assert (first.status_code, second.status_code) == (302, 302)
    section.refresh_from_db()
    assert section.version == data["version"] + 1
    # Section texts are encrypted at rest: compared after decryption.
    assert [h.body for h in section.history.all()].count("New words") == 1


def test_a_stale_save_with_other_text_still_conflicts(
    report,
    staff_client,
):
    section = other(report)
    version = section.version
    path = section_url("section_edit", report, section)
    staff_client.post(path, {"body": "A", "version": version})
    response = staff_client.post(
        section_url("section_edit", report, section), {"body": "B", "version": version}
    )
    assert response.status_code == 409


# --- The live preview and escaping ----------------------------------------------------------


def test_preview_refused_to_whoever_cannot_read_the_section(
    report,
    partner_client,
    compliance_client,
):
    path = section_url("section_preview", report, other(report))
    assert partner_client.post(path, {"body": "**x**"}).status_code == 403
    mine_path = section_url("section_preview", report, mine(report))
    response = partner_client.post(mine_path, {"body": XSS})
    assert response.status_code == 200
    assert "<script" not in response.content.decode()
    assert "<img" not in response.content.decode()
    # Compliance reads every section (and so may preview text in it).
    assert compliance_client.post(path, {"body": "**x**"}).status_code == 200


def test_conflict_history_and_edit_pages_escape_user_text(
    report,
    staff_client,
    staff,
    head,
):
    section = other(report)
    version = section.version
    rs.section_save(section=section, body=XSS, base_version=version, by=head)
    conflict = staff_client.post(
        section_url("section_edit", report, section), {"body": XSS + " mine", "version": version}
    )
    assert conflict.status_code == 409
    edit = staff_client.get(section_url("section_edit", report, section))
    records = list(section.history.order_by("history_id"))
    diff = staff_client.get(
        section_url("section_history", report, section),
        {"a": records[0].history_id, "b": records[-1].history_id},
    )
    rs.section_update_settings(
        section=section, by=staff, title=XSS, kind=section.kind, order=2, author=staff
    )
    history = staff_client.get(section_url("section_history", report, section))
    detail = staff_client.get(url("report_detail", report))
    for response in (conflict, edit, diff, history, detail):
        content = response.content.decode()
        assert "<script>alert" not in content
        assert "<img src=x" not in content
        assert "&lt;script&gt;" in content or "&lt;/textarea&gt;" in content


def test_stale_section_save_on_a_report_issued_meanwhile_is_refused_with_a_message(
    draft, staff_client
):
    section = draft.sections.get()
    _issue(draft)
    response = staff_client.post(
        section_url("section_edit", draft, section), {"body": "Late", "version": section.version}
    )
    assert response.status_code == 200
    assert "Issued reports are immutable." in response.content.decode()
    section.refresh_from_db()
    assert section.body == "Text."


def test_issuing_twice_says_why_and_keeps_one_issue(
    report, head, head_client, django_capture_on_commit_callbacks
):
    for section in report.sections.all():
        if not section.body:
            rs.section_save(section=section, body="Text.", base_version=section.version, by=head)
        rs.section_submit(section=section, by=head)
        rs.section_accept(section=section, by=head)
    rs.report_submit_for_review(report=report, by=head)
    rs.report_approve(report=report, by=head)
    path = url("report_transition", report, action="issue")
    with django_capture_on_commit_callbacks(execute=True):  # the render job
        head_client.post(path, {"confirm": "yes"})  # from the confirmation page
    second = head_client.post(path, {"confirm": "yes"}, follow=True)
    assert second.status_code == 200
    assert "cannot become issued" in second.content.decode()
    # The status change and the stored PDF: no second issue.
    assert report.history.filter(status="issued").count() == 2
    assert ReportRender.objects.filter(report=report, kind="issued").count() == 1


def test_discard_my_text_on_the_conflict_page_really_discards_it(report, staff_client, head):
    section = other(report)
    version = section.version
    edit = section_url("section_edit", report, section)
    autosave = section_url("section_autosave", report, section)
    staff_client.post(autosave, {"body": "My typing", "version": version})
    rs.section_save(section=section, body="Head's text", base_version=version, by=head)
    conflict = staff_client.post(edit, {"body": "My typing", "version": version})
    assert conflict.status_code == 409
    assert 'data-action="discard"' in conflict.content.decode()
    # Before: the link went back to the edit page, which restored the same text again.
    assert "Restored your unsaved text" in staff_client.get(edit).content.decode()
    response = staff_client.post(autosave, {"discard": "1"})
    assert response.status_code == 302
    assert response.url == edit
    assert not SectionAutosave.objects.filter(section=section).exists()
    page = staff_client.get(edit).content.decode()
    assert "Restored your unsaved text" not in page
    assert "Head&#x27;s text" in page


def test_discard_is_refused_to_whoever_cannot_write_the_section(report, compliance_client, staff):
    section = other(report)
    rs.section_autosave(section=section, user=staff, body="kept", base_version=section.version)
    path = section_url("section_autosave", report, section)
    assert compliance_client.post(path, {"discard": "1"}).status_code == 403
    assert SectionAutosave.objects.filter(section=section).exists()


# --- The admin's history pages ----------------------------------------------------------------


def test_admin_history_cannot_revert_an_issued_report_to_drafting(
    issued, client, django_user_model
):
    admin_user = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin_user)
    drafting = issued.history.filter(status="drafting").earliest("history_id")
    path = reverse("admin:visits_report_simple_history", args=[issued.pk, drafting.history_id])
    assert client.get(path).status_code == 200  # history stays readable
    response = client.post(path, {"title": "Reverted", "language": "en"})
    assert response.status_code == 403
    issued.refresh_from_db()
    assert issued.status == "issued"
    assert issued.title != "Reverted"
    assert issued.pdf_sha256


def test_admin_history_cannot_revert_a_section_or_dispatch(issued, client, django_user_model):
    admin_user = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin_user)
    section = issued.sections.order_by("pk").first()
    first = section.history.earliest("history_id")
    path = reverse("admin:visits_reportsection_simple_history", args=[section.pk, first.history_id])
    assert client.post(path, {"title": "Reverted"}).status_code == 403
    section.refresh_from_db()
    assert section.status == "accepted"
