"""Report pages through the client: who sees and changes what (404/403), conflicts between two
sessions, autosave and restore, preview, history and diff, issued reports, dispatch."""

from django.test import Client
from django.urls import reverse

from tests.factories.visits import VisitFactory
from tests.visits.reports.sections import PARTNER_TEXT, STAFF_TEXT, mine, other
from visits import services as rs
from visits.models import Dispatch, Report, ReportSection, SectionAutosave

S = ReportSection.Status


def url(name, report, section=None, **kwargs):
    args = {"pk": report.visit_id, **kwargs}
    if section is not None:
        args["section_pk"] = section.pk
    return reverse(f"visits:{name}", kwargs=args)


def test_report_tab_offers_create_to_staff_only(visit, staff_client, partner_client):
    path = reverse("visits:report_detail", args=[visit.pk])
    response = staff_client.get(path)
    assert response.status_code == 200
    assert reverse("visits:report_create", args=[visit.pk]) in response.content.decode()
    response = partner_client.get(path)
    assert response.status_code == 200
    assert reverse("visits:report_create", args=[visit.pk]) not in response.content.decode()
    # The tab is on the visit's overview.
    overview = staff_client.get(reverse("visits:visit_detail", args=[visit.pk]))
    assert path in overview.content.decode()


def test_staff_creates_the_report(visit, staff_client):
    response = staff_client.post(
        reverse("visits:report_create", args=[visit.pk]), {"title": "", "language": "en"}
    )
    assert response.status_code == 302
    report = Report.objects.get(visit=visit)
    assert report.reference.startswith("NPM-2026-")
    assert report.sections.count() == 4


def test_create_for_a_planned_visit_shows_the_error(db, staff_client):
    visit = VisitFactory()
    response = staff_client.post(
        reverse("visits:report_create", args=[visit.pk]), {"title": "", "language": "en"}
    )
    assert response.status_code == 200
    assert "once the visit is conducted" in response.content.decode()
    assert not Report.objects.exists()


def test_partner_sees_the_section_list_but_only_their_own_text(report, partner_client):
    response = partner_client.get(url("report_detail", report))
    content = response.content.decode()
    assert response.status_code == 200
    assert mine(report).title in content
    assert other(report).title in content
    assert PARTNER_TEXT in content
    assert STAFF_TEXT not in content


def test_staff_and_compliance_see_every_text(report, staff_client, compliance_client):
    for client in (staff_client, compliance_client):
        content = client.get(url("report_detail", report)).content.decode()
        assert PARTNER_TEXT in content
        assert STAFF_TEXT in content


def test_partner_section_permissions(report, partner_client):
    assert partner_client.get(url("section_edit", report, mine(report))).status_code == 200
    for name in ("section_edit", "section_history"):
        assert partner_client.get(url(name, report, other(report))).status_code == 403
    assert (
        partner_client.post(
            url("section_edit", report, other(report)), {"body": "x", "version": 2}
        ).status_code
        == 403
    )
    assert (
        partner_client.post(
            url("section_autosave", report, other(report)), {"body": "x", "version": 2}
        ).status_code
        == 403
    )
    for name in ("report_edit", "section_create"):
        assert partner_client.get(url(name, report)).status_code == 403
    assert partner_client.get(url("section_settings", report, mine(report))).status_code == 403
    assert (
        partner_client.post(url("report_transition", report, action="approve")).status_code == 403
    )
    assert (
        partner_client.post(
            url("section_transition", report, mine(report), action="accept")
        ).status_code
        == 403
    )
    section = other(report)
    section.refresh_from_db()
    assert section.body == STAFF_TEXT


def test_partner_not_on_the_team_gets_404_everywhere(report, other_partner_client):
    section = mine(report)
    for name in ("report_detail", "report_edit", "section_create", "dispatch_create"):
        assert other_partner_client.get(url(name, report)).status_code == 404
    for name in ("section_edit", "section_settings", "section_history"):
        assert other_partner_client.get(url(name, report, section)).status_code == 404
    for name in ("section_autosave", "section_preview"):
        assert other_partner_client.post(url(name, report, section)).status_code == 404
    assert (
        other_partner_client.post(
            url("section_transition", report, section, action="submit")
        ).status_code
        == 404
    )


def test_compliance_reads_but_cannot_change(report, compliance_client):
    response = compliance_client.get(url("section_edit", report, mine(report)))
    assert response.status_code == 200
    assert 'name="body"' not in response.content.decode()
    assert PARTNER_TEXT in response.content.decode()
    assert (
        compliance_client.post(
            url("section_edit", report, mine(report)), {"body": "x", "version": 2}
        ).status_code
        == 403
    )
    assert compliance_client.get(url("report_edit", report)).status_code == 403
    assert (
        compliance_client.post(url("report_transition", report, action="submit")).status_code == 403
    )


def test_partner_drafts_submits_and_staff_returns_and_accepts(report, partner_client, staff_client):
    section = mine(report)
    response = partner_client.post(
        url("section_edit", report, section), {"body": "Revised", "version": section.version}
    )
    assert response.status_code == 302
    response = partner_client.post(url("section_transition", report, section, action="submit"))
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.status == S.SUBMITTED
    # Submitted: read-only for the partner now.
    page = partner_client.get(url("section_edit", report, section)).content.decode()
    assert 'name="body"' not in page
    # A return needs a comment: without one nothing changes.
    staff_client.post(url("section_transition", report, section, action="return"), {"comment": ""})
    section.refresh_from_db()
    assert section.status == S.SUBMITTED
    staff_client.post(
        url("section_transition", report, section, action="return"), {"comment": "Add the dates"}
    )
    section.refresh_from_db()
    assert (section.status, section.review_comment) == (S.RETURNED, "Add the dates")
    page = partner_client.get(url("section_edit", report, section)).content.decode()
    assert "Add the dates" in page
    assert 'name="body"' in page
    partner_client.post(
        url("section_edit", report, section), {"body": "With dates", "version": section.version}
    )
    partner_client.post(url("section_transition", report, section, action="submit"))
    staff_client.post(url("section_transition", report, section, action="accept"))
    section.refresh_from_db()
    assert (section.status, section.body) == (S.ACCEPTED, "With dates")


def test_second_save_of_the_same_version_gets_a_conflict(report, staff, head):
    section = other(report)
    first, second = Client(), Client()
    first.force_login(staff)
    second.force_login(head)
    # Both open the section at the same version.
    for client in (first, second):
        page = client.get(url("section_edit", report, section)).content.decode()
        assert f'name="version" value="{section.version}"' in page
    version = section.version
    assert (
        first.post(
            url("section_edit", report, section), {"body": "First <b>save</b>", "version": version}
        ).status_code
        == 302
    )
    response = second.post(
        url("section_edit", report, section), {"body": "Second save", "version": version}
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "First &lt;b&gt;save&lt;/b&gt;" in content
    assert "Second save" in content
    assert f'name="version" value="{version + 1}"' in content
    section.refresh_from_db()
    assert (section.body, section.version) == ("First <b>save</b>", version + 1)
    # Saved again from the conflict page: on top of the latest version.
    response = second.post(
        url("section_edit", report, section), {"body": "Second save", "version": version + 1}
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert (section.body, section.version) == ("Second save", version + 2)


def test_autosave_and_restore(report, partner_client, partner_member):
    section = mine(report)
    response = partner_client.post(
        url("section_autosave", report, section),
        {"body": "Unsaved words", "version": section.version},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Draft saved at" in response.content.decode()
    autosave = SectionAutosave.objects.get(section=section, user=partner_member)
    assert (autosave.body, autosave.base_version) == ("Unsaved words", section.version)
    section.refresh_from_db()
    assert section.body == PARTNER_TEXT
    page = partner_client.get(url("section_edit", report, section)).content.decode()
    assert "Restored your unsaved text" in page
    assert "Unsaved words</textarea>" in page
    # Saving drops the autosave; the next visit shows the saved text.
    partner_client.post(
        url("section_edit", report, section), {"body": "Unsaved words", "version": section.version}
    )
    assert not SectionAutosave.objects.exists()
    page = partner_client.get(url("section_edit", report, section)).content.decode()
    assert "Restored your unsaved text" not in page


def test_preview_is_sanitised(report, partner_client):
    response = partner_client.post(
        url("section_preview", report, mine(report)),
        {"body": "**Bold** <script>alert(1)</script> [x](javascript:alert(1))"},
    )
    content = response.content.decode()
    assert "<strong>Bold</strong>" in content
    assert "<script" not in content
    assert "javascript:" not in content


def test_history_lists_versions_and_shows_an_escaped_diff(report, staff_client, staff):
    section = other(report)
    rs.section_save(section=section, body="Line one\n<i>Line two</i>", base_version=2, by=staff)
    response = staff_client.get(url("section_history", report, section))
    assert response.status_code == 200
    records = list(section.history.order_by("history_id"))
    assert len(records) == 4  # created, settings, two saves
    old, new = records[-2], records[-1]
    response = staff_client.get(
        url("section_history", report, section), {"a": old.history_id, "b": new.history_id}
    )
    content = response.content.decode()
    assert f"- {STAFF_TEXT}" in content
    assert "+ &lt;i&gt;Line two&lt;/i&gt;" in content
    assert "<i>Line two</i>" not in content
    bad = staff_client.get(url("section_history", report, section), {"a": 999999, "b": 1})
    assert bad.status_code == 404


# The "Yes, issue the report" button of the confirmation page (report_issue_confirm).
CONFIRMED = {"confirm": "yes"}


def test_head_approves_and_issues_through_the_page(
    report, staff, head_client, staff_client, django_capture_on_commit_callbacks
):
    for section in report.sections.all():
        section.refresh_from_db()
        if not section.body:
            section = rs.section_save(section=section, body="Text.", base_version=1, by=staff)
        staff_client.post(url("section_transition", report, section, action="submit"))
        staff_client.post(url("section_transition", report, section, action="accept"))
    staff_client.post(url("report_transition", report, action="submit"))
    assert staff_client.post(url("report_transition", report, action="approve")).status_code == 403
    report.refresh_from_db()
    assert report.status == Report.Status.IN_REVIEW
    head_client.post(url("report_transition", report, action="approve"))
    with django_capture_on_commit_callbacks(execute=True):  # the render job, at the commit
        issue = head_client.post(url("report_transition", report, action="issue"), CONFIRMED)
    report.refresh_from_db()
    assert report.status == Report.Status.ISSUED
    # To the progress page of the frozen PDFs' render job, which links the PDF once done.
    render = report.renders.get(kind="issued")
    assert issue.url == url("report_render", report, render_pk=render.pk)
    progress = head_client.get(issue.url).content.decode()
    assert "The report is issued; its PDFs are being rendered." in progress
    assert 'data-state="done"' in progress
    assert url("report_pdf", report) in progress
    page = head_client.get(url("report_detail", report)).content.decode()
    assert report.pdf_sha256 in page
    assert len(report.pdf_sha256) == 64


def test_issued_report_refuses_every_edit_through_the_pages(issued, head_client, head):
    section = other(issued)
    before = (section.body, section.version, section.status)
    response = head_client.post(
        url("section_edit", issued, section), {"body": "Changed", "version": section.version}
    )
    assert response.status_code == 200
    assert "Issued reports are immutable" in response.content.decode()
    autosave = head_client.post(
        url("section_autosave", issued, section), {"body": "x", "version": section.version}
    )
    assert "Issued reports are immutable" in autosave.content.decode()
    for name in ("report_edit", "section_create"):
        response = head_client.post(url(name, issued), {"title": "Changed", "language": "en"})
        assert response.status_code == 302
    response = head_client.post(
        url("section_settings", issued, section), {"title": "Changed", "kind": "other"}
    )
    assert response.status_code == 302
    head_client.post(
        url("section_transition", issued, section, action="return"), {"comment": "Too late"}
    )
    head_client.post(url("report_transition", issued, action="reopen"))
    section.refresh_from_db()
    issued.refresh_from_db()
    assert (section.body, section.version, section.status) == before
    assert section.title != "Changed"
    assert issued.status == Report.Status.ISSUED
    assert issued.title != "Changed"
    assert issued.sections.count() == 4
    assert not SectionAutosave.objects.exists()


def test_dispatch_form_suggests_the_authorities_and_records(issued, staff_client):
    response = staff_client.get(url("dispatch_create", issued))
    content = response.content.decode()
    assert response.status_code == 200
    prison = issued.visit.place.authority
    assert f'<option value="{prison.pk}" selected>' in content
    assert "Ministry of Justice" in content
    data = {"authority": prison.pk, "sent_on": issued.issued_on.isoformat(), "channel": "post"}
    assert staff_client.post(url("dispatch_create", issued), data).status_code == 302
    response = staff_client.post(url("dispatch_create", issued), data)
    assert response.status_code == 200
    assert "already sent" in response.content.decode()
    # The next suggestion is the ministry.
    content = staff_client.get(url("dispatch_create", issued)).content.decode()
    assert f'<option value="{prison.parent.pk}" selected>' in content
    assert Dispatch.objects.count() == 1


def test_dispatch_of_a_drafting_report_is_refused(report, staff_client):
    response = staff_client.get(url("dispatch_create", report))
    assert response.status_code == 302
    assert response.url == url("report_detail", report)


def test_report_page_queries_do_not_grow_with_sections(
    report, staff_client, staff, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = url("report_detail", report)
    staff_client.get(path)  # warm caches (permissions, session)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(path)
    for number in range(6):
        rs.section_create(report=report, by=staff, title=f"Annex {number}", author=staff)
    with django_assert_max_num_queries(len(few)):
        response = staff_client.get(path)
    assert response.content.decode().count("data-section-status") == 10


def test_report_history_lists_status_changes_once(issued, head_client):
    # Issuing also stores the PDF (one more save): the page lists "Issued" once.
    content = head_client.get(url("report_detail", issued)).content.decode()
    assert issued.history.filter(status="issued").count() == 2
    assert content.count('data-history-status="issued"') == 1
    assert content.count('data-history-status="approved"') == 1


def test_admin_cannot_change_an_issued_report(issued, client, django_user_model):
    admin_user = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin_user)
    path = reverse("admin:visits_report_change", args=[issued.pk])
    assert client.get(path).status_code == 200
    response = client.post(path, {"title": "Changed", "language": "en"})
    assert response.status_code == 403
    issued.refresh_from_db()
    assert issued.title != "Changed"
    section = issued.sections.first()
    section_path = reverse("admin:visits_reportsection_change", args=[section.pk])
    assert client.post(section_path, {"body": "Changed"}).status_code == 403


def test_autosave_after_submission_says_why_it_was_not_kept(report, partner_client, partner_member):
    section = mine(report)
    rs.section_submit(section=section, by=partner_member)
    response = partner_client.post(
        url("section_autosave", report, section), {"body": "late words", "version": 2}
    )
    assert response.status_code == 200
    assert "you can change it again if it is returned" in response.content.decode()
    assert not SectionAutosave.objects.exists()


def test_a_report_loaded_without_history_still_opens(issued, head_client):
    # Bulk loads (imports, generate_dataset) write no history rows.
    issued.history.all().delete()
    response = head_client.get(url("report_detail", issued))
    assert response.status_code == 200
    assert 'data-history-status="' not in response.content.decode()
