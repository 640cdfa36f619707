"""Report PDF URLs (visits/pdf_urls.py) in the role × URL matrix.

NOTE for tests/security/matrix_parts/reports.py: parts run in file-name order, so this module's
`extend_world` runs first. It creates the DRAFTING report on `world.visit` (ReportFactory) and
stores it as `world.objects["report"]`; reports.py reuses it (it looks the report up by visit).
The issued report lives on a second visit with the same team (partner_on as a member, w-staff as
head of team), `world.objects["issued_visit"]` / `["issued_report"]`, so that the drafting
workflow of world.visit stays as reports.py expects.

Rules: head, staff and compliance preview drafts and download the full issued PDF; a preview
is opened by whoever requested it, and by head and staff (compliance gets 404 for someone else's);
the partner on the team gets 403 for previews, renders and the full PDF, 200 for the public
version; the partner not on the team gets 404 everywhere.
"""

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from tests.factories.visits import (
    ReportFactory,
    ReportSectionFactory,
    TeamMemberFactory,
    VisitFactory,
)
from visits.models import Report
from visits.pdf.tasks import request_render

MATRIX = {
    # GET on a POST-only URL.
    "visits:report_preview": "L 405 405 405 405 405",
    # A preview w-staff requested: head and staff open it, compliance may not see it.
    "visits:report_render": "L 200 200 404 403 404",
    "visits:report_render_download": "L 200 200 404 403 404",
    "visits:report_pdf": "L 200 200 200 403 404",
    "visits:report_public_pdf": "L 200 200 200 200 404",
    # The Word edition: a draft of world.visit's report, the issued report's frozen DOCX.
    "visits:report_draft_docx": "L 200 200 200 403 404",
    "visits:report_docx": "L 200 200 200 403 404",
}

# Columns: anonymous partner_off partner_on compliance staff head.
POST_MATRIX = {
    # A draft preview, then on to its progress page.
    "visits:report_preview": "L 404 403 R R R",
}


def _visit(w) -> dict:
    return {"pk": w.visit.pk}


def _render(w) -> dict:
    return {"pk": w.visit.pk, "render_pk": w.objects["staff_render"].pk}


def _issued(w) -> dict:
    return {"pk": w.objects["issued_visit"].pk}


ARGUMENTS = {
    "visits:report_preview": _visit,
    "visits:report_render": _render,
    "visits:report_render_download": _render,
    "visits:report_pdf": _issued,
    "visits:report_public_pdf": _issued,
    "visits:report_draft_docx": _visit,
    "visits:report_docx": _issued,
}


def extend_world(world) -> None:
    users = world.objects["users"]
    report = Report.objects.filter(visit=world.visit).first() or ReportFactory(visit=world.visit)
    world.objects["report"] = report
    # Render jobs run at the commit (the test settings' "inline" runner): here, at once.
    with TestCase.captureOnCommitCallbacks(execute=True):
        render = request_render(report=report, kind="preview", by=users["staff"])
    render.refresh_from_db()
    world.objects["staff_render"] = render

    # A visit that took place a month ago (not an upcoming one: dashboard counts stay as the
    # other tests expect).
    start = timezone.now() - dt.timedelta(days=30)
    visit = VisitFactory(
        place=world.visit.place, planned_start=start, planned_end=start + dt.timedelta(hours=6)
    )
    TeamMemberFactory(visit=visit, member=world.objects["member"], role="member")
    TeamMemberFactory(visit=visit, user=users["staff"], role="head")
    issued = ReportFactory(visit=visit, title="Issued report")
    ReportSectionFactory(report=issued, title="Findings", body="Text.")
    ReportSectionFactory(report=issued, title="Identities", body="Secret.", confidential=True)
    now = timezone.now()
    Report.objects.filter(pk=issued.pk).update(
        status=Report.Status.ISSUED, issued_at=now, issued_on=timezone.localdate(now)
    )
    issued.refresh_from_db()
    with TestCase.captureOnCommitCallbacks(execute=True):
        request_render(report=issued, kind="issued", by=users["head"])
    issued.refresh_from_db()
    world.objects["issued_visit"] = visit
    world.objects["issued_report"] = issued
