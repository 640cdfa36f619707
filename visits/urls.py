from django.urls import path

from .views import corrections, lookup, pdf, registry, reports, sections, tabs, visits

app_name = "visits"

VISIT = "visits/<int:pk>/"
REPORT = f"{VISIT}report/"
SECTION = f"{REPORT}sections/<int:section_pk>/"
FINDING = f"{VISIT}findings/<int:finding_pk>/"
INTERVIEW = f"{VISIT}interviews/<int:interview_pk>/"

urlpatterns = [
    # The registry.
    path("lookup/<slug:kind>/", lookup.lookup, name="lookup"),
    path("places/", registry.place_list, name="place_list"),
    path("places/new/", registry.place_create, name="place_create"),
    path("places/<int:pk>/", registry.place_detail, name="place_detail"),
    path("places/<int:pk>/edit/", registry.place_edit, name="place_edit"),
    path("authorities/", registry.authority_list, name="authority_list"),
    path("authorities/new/", registry.authority_create, name="authority_create"),
    path("authorities/<int:pk>/", registry.authority_detail, name="authority_detail"),
    path("authorities/<int:pk>/edit/", registry.authority_edit, name="authority_edit"),
    # Visits.
    path("visits/", visits.visit_list, name="visit_list"),
    path("visits/agenda/", visits.visit_agenda, name="visit_agenda"),
    path("visits/new/", visits.visit_create, name="visit_create"),
    path(VISIT, visits.visit_detail, name="visit_detail"),
    path(f"{VISIT}edit/", visits.visit_edit, name="visit_edit"),
    path(f"{VISIT}conduct/", visits.visit_conduct, name="visit_conduct"),
    path(f"{VISIT}cancel/", visits.visit_cancel, name="visit_cancel"),
    path(f"{VISIT}status/<slug:action>/", visits.visit_transition, name="visit_transition"),
    # Confirmation pages before irreversible steps; "Yes" posts to the action itself.
    path(f"{VISIT}close/", visits.visit_close_confirm, name="visit_close_confirm"),
    path(f"{VISIT}reopen/", visits.visit_reopen, name="visit_reopen"),
    path(
        f"{VISIT}follow-ups/<int:follow_up_pk>/check/",
        visits.follow_up_check,
        name="follow_up_check",
    ),
    # The visit's tabs.
    path(f"{VISIT}team/", tabs.visit_team, name="visit_team"),
    path(
        f"{VISIT}team/<int:member_pk>/remove/", tabs.team_member_remove, name="team_member_remove"
    ),
    path(
        f"{VISIT}team/<int:member_pk>/remove/confirm/",
        tabs.team_member_remove_confirm,
        name="team_member_remove_confirm",
    ),
    path(f"{VISIT}population/", tabs.visit_population, name="visit_population"),
    path(f"{VISIT}findings/", tabs.visit_findings, name="visit_findings"),
    path(f"{FINDING}edit/", corrections.finding_edit, name="finding_edit"),
    path(f"{FINDING}delete/", corrections.finding_delete, name="finding_delete"),
    path(f"{VISIT}interviews/", tabs.visit_interviews, name="visit_interviews"),
    path(f"{VISIT}interviews/<int:interview_pk>/", tabs.interview_detail, name="interview_detail"),
    path(f"{INTERVIEW}edit/", corrections.interview_edit, name="interview_edit"),
    path(f"{INTERVIEW}delete/", corrections.interview_delete, name="interview_delete"),
    path(f"{VISIT}attachments/", tabs.visit_attachments, name="visit_attachments"),
    path(
        f"{VISIT}attachments/<int:attachment_pk>/download/",
        tabs.attachment_download,
        name="attachment_download",
    ),
    path(f"{VISIT}return-operation/", tabs.visit_return, name="visit_return"),
    # The visit's report: drafting, review, issue and dispatch.
    path(REPORT, reports.report_detail, name="report_detail"),
    path(f"{REPORT}new/", reports.report_create, name="report_create"),
    path(f"{REPORT}edit/", reports.report_edit, name="report_edit"),
    path(f"{REPORT}status/<slug:action>/", reports.report_transition, name="report_transition"),
    path(f"{REPORT}issue/", reports.report_issue_confirm, name="report_issue_confirm"),
    path(f"{REPORT}dispatches/new/", reports.dispatch_create, name="dispatch_create"),
    # Share the full issued report with one addressee's authority portal users, or stop.
    path(
        f"{REPORT}dispatches/<int:dispatch_pk>/share/",
        reports.dispatch_share,
        name="dispatch_share",
    ),
    # Its sections.
    path(f"{REPORT}sections/new/", sections.section_create, name="section_create"),
    path(SECTION, sections.section_edit, name="section_edit"),
    path(f"{SECTION}settings/", sections.section_settings, name="section_settings"),
    path(f"{SECTION}autosave/", sections.section_autosave, name="section_autosave"),
    path(f"{SECTION}preview/", sections.section_preview, name="section_preview"),
    path(f"{SECTION}status/<slug:action>/", sections.section_transition, name="section_transition"),
    path(f"{SECTION}history/", sections.section_history, name="section_history"),
    # Its PDFs: draft previews, render jobs, the frozen issued PDF and its public version.
    path(f"{REPORT}preview/", pdf.report_preview, name="report_preview"),
    path(f"{REPORT}renders/<int:render_pk>/", pdf.report_render, name="report_render"),
    path(
        f"{REPORT}renders/<int:render_pk>/download/",
        pdf.report_render_download,
        name="report_render_download",
    ),
    path(f"{REPORT}pdf/", pdf.report_pdf, name="report_pdf"),
    path(f"{REPORT}public.pdf", pdf.report_public_pdf, name="report_public_pdf"),
    # Its Word edition: a draft made on request, the frozen DOCX of the issued report.
    path(f"{REPORT}draft.docx", pdf.report_draft_docx, name="report_draft_docx"),
    path(f"{REPORT}docx/", pdf.report_docx, name="report_docx"),
]
