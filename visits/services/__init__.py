"""Rules of `visits` that span several rows, models, files or the PDF, one module per concern.
Views, admin actions and commands all call these; the public names are re-exported here, so
callers write `from visits import services; services.visit_create(...)`."""

from .dispatch import dispatch_record, dispatch_share_set, suggested_addressees
from .records import (
    attachment_add,
    finding_add,
    follow_up_record_check,
    identity_reveal,
    interview_create,
    return_operation_save,
)
from .reports import (
    UI_LANGUAGE,
    report_approve,
    report_create,
    report_issue,
    report_reopen,
    report_return_to_drafting,
    report_submit_for_review,
    report_update,
    require_editable,
)
from .sections import (
    SectionConflict,
    eligible_authors,
    section_accept,
    section_autosave,
    section_create,
    section_return,
    section_save,
    section_submit,
    section_update_settings,
)
from .team import team_member_add, team_member_remove, visit_team_warnings
from .visits import (
    visit_cancel,
    visit_close,
    visit_conduct,
    visit_create,
    visit_start_reporting,
    visit_stats,
)

__all__ = [
    "UI_LANGUAGE",
    "SectionConflict",
    "attachment_add",
    "dispatch_record",
    "dispatch_share_set",
    "eligible_authors",
    "finding_add",
    "follow_up_record_check",
    "identity_reveal",
    "interview_create",
    "report_approve",
    "report_create",
    "report_issue",
    "report_reopen",
    "report_return_to_drafting",
    "report_submit_for_review",
    "report_update",
    "require_editable",
    "return_operation_save",
    "section_accept",
    "section_autosave",
    "section_create",
    "section_return",
    "section_save",
    "section_submit",
    "section_update_settings",
    "suggested_addressees",
    "team_member_add",
    "team_member_remove",
    "visit_cancel",
    "visit_close",
    "visit_conduct",
    "visit_create",
    "visit_stats",
    "visit_start_reporting",
    "visit_team_warnings",
]
