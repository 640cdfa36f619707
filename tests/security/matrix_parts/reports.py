"""Report drafting and review URLs (visits/report_urls.py) in the role × URL matrix.

The world's visit gets a drafting report with one section written by the partner on the team
and one by staff: the partner on the team reads and edits their own section only; the partner
not on the team gets 404 everywhere; compliance reads; head and staff change."""

from tests.factories.visits import ReportFactory, ReportSectionFactory
from visits.models import Report

MATRIX = {
    "visits:report_detail": "L 200 200 200 200 404",
    # The world's visit has its report already: creating another goes back to it.
    "visits:report_create": "L R R 403 403 404",
    "visits:report_edit": "L 200 200 403 403 404",
    "visits:report_transition": "L 405 405 405 405 405",
    "visits:section_create": "L 200 200 403 403 404",
    # The partner's own section: they, and every NPM role, read it.
    "visits:section_edit": "L 200 200 200 200 404",
    "visits:section_settings": "L 200 200 403 403 404",
    "visits:section_autosave": "L 405 405 405 405 405",
    "visits:section_preview": "L 405 405 405 405 405",
    "visits:section_transition": "L 405 405 405 405 405",
    "visits:section_history": "L 200 200 200 200 404",
    # Only issued reports are dispatched: back to the (drafting) report.
    "visits:dispatch_create": "L R R 403 403 404",
}

# Columns: anonymous partner_off partner_on compliance staff head.
POST_MATRIX = {
    # Sections are not submitted yet: staff and head are sent back with the reason.
    "visits:report_transition": "L 404 403 403 R R",
    "visits:report_create": "L 404 403 403 R R",
    # The partner submits their own section; staff and head then get "cannot become".
    "visits:section_transition": "L 404 R 403 R R",
    "visits:section_autosave": "L 404 200 403 200 200",
    "visits:section_preview": "L 404 200 200 200 200",
    # An empty form: shown again with its errors to those who may edit.
    "visits:section_edit": "L 404 200 403 200 200",
    "visits:section_settings": "L 404 403 403 200 200",
}


def _visit(w, **extra) -> dict:
    return {"pk": w.visit.pk, **extra}


def _section(w, **extra) -> dict:
    return _visit(w, section_pk=w.objects["section_partner"].pk, **extra)


ARGUMENTS = {
    "visits:report_detail": _visit,
    "visits:report_create": _visit,
    "visits:report_edit": _visit,
    "visits:report_transition": lambda w: _visit(w, action="submit"),
    "visits:section_create": _visit,
    "visits:section_edit": _section,
    "visits:section_settings": _section,
    "visits:section_autosave": _section,
    "visits:section_preview": _section,
    "visits:section_transition": lambda w: _section(w, action="submit"),
    "visits:section_history": _section,
    "visits:dispatch_create": _visit,
}


def extend_world(world) -> None:
    users = world.objects["users"]
    report = Report.objects.filter(visit=world.visit).first() or ReportFactory(visit=world.visit)
    world.objects["report"] = report
    world.objects["section_partner"] = ReportSectionFactory(
        report=report, title="Partner's section", author=users["partner_on"], order=1
    )
    world.objects["section_staff"] = ReportSectionFactory(
        report=report, title="Staff section", author=users["staff"], order=2
    )
