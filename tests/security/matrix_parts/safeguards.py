"""Safeguards on irreversible steps (confirmation pages) and corrections of findings and
interviews in the role × URL matrix.

The world's visit is planned with a drafting report: closing and reopening it are not open, so
those who may change visits are sent back to it with the reason (R); findings and interviews may
still be corrected. Interviews are confidential: compliance gets the same 404 as on the
interview's page, a partner on the team (who sees the interview list) a 403. Every POST here
comes without the confirmation page's "Yes" and changes nothing."""

from visits.models import Finding, Theme

MATRIX = {
    "visits:visit_close_confirm": "L R R 403 403 404",
    # The head only; the world's visit is not closed.
    "visits:visit_reopen": "L R 403 403 403 404",
    "visits:team_member_remove_confirm": "L 200 200 403 403 404",
    "visits:finding_edit": "L 200 200 403 403 404",
    "visits:finding_delete": "L 200 200 403 403 404",
    "visits:interview_edit": "L 200 200 404 403 404",
    "visits:interview_delete": "L 200 200 404 403 404",
    # Issuing is confirmed once the report is approved: before, back to the report.
    "visits:report_issue_confirm": "L R 403 403 403 404",
}

# Columns: anonymous partner_off partner_on compliance staff head.
POST_MATRIX = {
    "visits:visit_reopen": "L 404 403 403 403 R",
    # An empty form (no reason): shown again with its errors.
    "visits:finding_edit": "L 404 403 403 200 200",
    "visits:finding_delete": "L 404 403 403 200 200",
    "visits:interview_edit": "L 404 403 404 200 200",
    "visits:interview_delete": "L 404 403 404 200 200",
}


def _visit(w, **extra) -> dict:
    return {"pk": w.visit.pk, **extra}


ARGUMENTS = {
    "visits:visit_close_confirm": _visit,
    "visits:visit_reopen": _visit,
    "visits:team_member_remove_confirm": lambda w: _visit(w, member_pk=w.objects["team_member"].pk),
    "visits:finding_edit": lambda w: _visit(w, finding_pk=w.objects["finding"].pk),
    "visits:finding_delete": lambda w: _visit(w, finding_pk=w.objects["finding"].pk),
    "visits:interview_edit": lambda w: _visit(w, interview_pk=w.objects["interview"].pk),
    "visits:interview_delete": lambda w: _visit(w, interview_pk=w.objects["interview"].pk),
    "visits:report_issue_confirm": _visit,
}


def extend_world(world) -> None:
    world.objects["finding"] = Finding.objects.create(
        visit=world.visit, theme=Theme.objects.filter(forced_return=False).first(), text="Seen"
    )
