"""Report PDFs: the HTML of a report (full, public or draft preview) and the work of one render
job, `run_render`: a draft preview (stored on the `ReportRender`) or the issued report (the
frozen PDF and the public version, stored once on the `Report`).

Jobs are queued by `visits.pdf.tasks.request_render`, inline when Celery is not configured and
as a Celery task otherwise; `run_render` does the work in both cases."""

from __future__ import annotations

import contextlib
import hashlib
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.translit import html_to_cyrillic

from ..models import RenderKind, RenderState, Report, ReportLanguage, ReportRender
from .content import (
    Sheet,
    recommendation_row,
    recommendations_of,
    section_sheets,
    signatory,
    visit_dates,
)
from .dates import format_date, format_datetime
from .html import html_to_pdf_with_pages
from .pruning import drop_older_previews

logger = logging.getLogger(__name__)

# Django language used for the PDF's own strings (headings, cover, footer) per report language.
# Serbian Cyrillic uses the Cyrillic catalogue ("sr"); the section texts, written in Latin, are
# transliterated after rendering.
PDF_LANGUAGE = {
    ReportLanguage.ENGLISH: "en",
    ReportLanguage.SERBIAN_LATIN: "sr-latn",
    ReportLanguage.SERBIAN_CYRILLIC: "sr",
}
HTML_LANG = {
    ReportLanguage.ENGLISH: "en",
    ReportLanguage.SERBIAN_LATIN: "sr-Latn",
    ReportLanguage.SERBIAN_CYRILLIC: "sr-Cyrl",
}

# --- HTML -----------------------------------------------------------------------------------


def report_context(report: Report, *, public: bool = False, draft: bool = False) -> dict:
    """Everything the PDF template needs. Call inside the report's language.

    The public version has the public recommendations only, no confidential section and no
    team; interviewees appear in no version (nothing here reads interviews)."""
    visit = report.visit
    language = report.language if report.language in ReportLanguage.values else "en"
    every_recommendation = recommendations_of(report)
    shown = [r for r in every_recommendation if r.public or not public]
    sheets, sections_left_out = section_sheets(
        report, public=public, recommendations=shown, language=language
    )
    recommendations = [recommendation_row(r, language) for r in shown]
    team = []
    if not public:
        team = [
            {"name": member.person_name, "role": member.get_role_display()}
            for member in visit.team.select_related("user", "member").order_by("role", "pk")
        ]
    annexes = []
    if recommendations:
        annexes.append(Sheet(anchor="annex-recommendations", title=_("Annex: Recommendations")))
    if team:
        annexes.append(Sheet(anchor="annex-team", title=_("Annex: The visiting team")))
    marking = _("Public version") if public else _("Confidential")
    now = timezone.localtime()
    created = timezone.localtime(report.issued_at) if report.issued_at and not draft else now
    issued_on = report.issued_on if report.is_issued else None
    return {
        "report": report,
        "visit": visit,
        "place": visit.place,
        "npm_name": settings.NPM_NAME or _("National Preventive Mechanism"),
        "marking": marking,
        "public": public,
        "draft": draft,
        "sheets": sheets,
        "annexes": annexes,
        "recommendations": recommendations,
        "team": team,
        # What the public version leaves out, said on its contents page.
        "sections_left_out": public and sections_left_out,
        "recommendations_left_out": public and len(shown) < len(every_recommendation),
        "signatory": signatory(report, language),
        "visit_dates": visit_dates(visit, language),
        "issued_on": format_date(issued_on, language) if issued_on else "",
        "draft_line": _("Draft generated on %(when)s") % {"when": format_datetime(now, language)},
        "watermark": f"pdf/draft-{language}.svg",
        "html_lang": HTML_LANG.get(report.language, "en"),
        "created_iso": created.isoformat(timespec="seconds"),
        "generated_at": now,
    }


def transliterate_html(html: str) -> str:
    """Serbian Latin → Cyrillic in the text nodes of `html`; tags and their attributes, style
    and script blocks, URLs, e-mail addresses and reference numbers are left alone, and so is
    the text of code and of elements in another language or script: `<span lang="en">` around
    an English-only name, an author's `[…]{.latin}` (`core.translit.html_to_cyrillic`)."""
    return html_to_cyrillic(html)


def report_html(report: Report, *, public: bool = False, draft: bool = False) -> str:
    """The final HTML of the report PDF, in the report's language and script."""
    with translation.override(PDF_LANGUAGE.get(report.language, "en")):
        html = render_to_string(
            "visits/pdf/report.html", report_context(report, public=public, draft=draft)
        )
    if report.language == ReportLanguage.SERBIAN_CYRILLIC:
        html = transliterate_html(html)
    return html


def report_pdf(report: Report, *, public: bool = False, draft: bool = False) -> tuple[bytes, int]:
    """The PDF bytes and page count. Every version but a draft preview is tagged, PDF/A-3u and
    PDF/UA-1 (`visits.pdf.standards`)."""
    html = report_html(report, public=public, draft=draft)
    return html_to_pdf_with_pages(html, archival=not draft)


# --- Render jobs ----------------------------------------------------------------------------


def _set_progress(render: ReportRender, progress: int, state: str = RenderState.RUNNING) -> None:
    render.state = state
    render.progress = progress
    render.save(update_fields=["state", "progress"])


def _generated(data: bytes) -> ContentFile:
    """A PDF made here: the storage keeps it byte for byte (its SHA-256 is the one shown) and
    leaves its metadata, which names the NPM as author, never a person, and is part of the
    PDF/A and PDF/UA conformance (npm_portal.security.metadata)."""
    content = ContentFile(data)
    content.keep_metadata = True
    return content


def _store_issued(report_pk: int, by=None) -> None:
    """Render and store the frozen PDF, the public version and the DOCX (full version, for
    translators and ministries): each once. A file already stored is never rendered again, so
    a report issued before the DOCX existed gets only that.

    Storing writes one more history row of the (issued) report, by whoever asked for the
    rendering: the record of when the frozen PDF and its checksum were stored."""
    # Imported here: `visits.docx` builds on this module's `report_context`.
    from ..docx import report_docx

    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("visit__place").get(pk=report_pk)
        if not report.is_issued:
            raise ValidationError(_("Only an issued report has a frozen PDF."))
        fields = []
        if not report.pdf:
            data, pages = report_pdf(report)
            report.pdf.save(f"{report.reference}.pdf", _generated(data), save=False)
            report.pdf_sha256 = hashlib.sha256(data).hexdigest()
            report.pdf_pages = pages
            fields += ["pdf", "pdf_sha256", "pdf_pages"]
        if not report.public_pdf:
            data, _pages = report_pdf(report, public=True)
            report.public_pdf.save(f"{report.reference}-public.pdf", _generated(data), save=False)
            report.public_pdf_sha256 = hashlib.sha256(data).hexdigest()
            fields += ["public_pdf", "public_pdf_sha256"]
        if not report.docx:
            data = report_docx(report, draft=False)
            report.docx.save(f"{report.reference}.docx", _generated(data), save=False)
            report.docx_sha256 = hashlib.sha256(data).hexdigest()
            fields += ["docx", "docx_sha256"]
        if fields:
            if by is not None:
                report._history_user = by
            report.save(update_fields=fields)


def run_render(render_pk: int) -> None:
    """Do one render job. Never raises for a rendering error: the job is marked failed with the
    error text (logged), and the page offers to try again."""
    render = (
        ReportRender.objects.select_related("report__visit__place", "requested_by")
        .filter(pk=render_pk)
        .first()
    )
    if render is None or render.state == RenderState.DONE:
        return  # gone (a newer preview or `prune_previews` replaced it), or done already
    _set_progress(render, 10)
    # Inline (inside the request's or the issue service's transaction), a savepoint keeps a
    # database error here from breaking that transaction; in a Celery worker each step commits
    # on its own, so the page sees the progress.
    inline = transaction.get_connection().in_atomic_block
    try:
        with transaction.atomic() if inline else contextlib.nullcontext():
            if render.kind == RenderKind.PREVIEW:
                data, _pages = report_pdf(render.report, draft=True)
                _set_progress(render, 60)
                with transaction.atomic():
                    name = f"{render.report.reference}-draft.pdf"
                    render.file.save(name, _generated(data), save=False)
                    render.save(update_fields=["file"])
            else:
                _set_progress(render, 60)
                _store_issued(render.report_id, by=render.requested_by)
    except Exception as error:  # noqa: BLE001 - any failure becomes a failed job, never a 500
        logger.exception("Rendering %s of report %s failed", render.kind, render.report_id)
        render.state = RenderState.FAILED
        render.error = str(error) or error.__class__.__name__
        render.finished_at = timezone.now()
        render.save(update_fields=["state", "error", "finished_at"])
        return
    render.state = RenderState.DONE
    render.progress = 100
    render.finished_at = timezone.now()
    render.save(update_fields=["state", "progress", "finished_at"])
    # The requester's older previews of this report go: one draft copy each, not a pile.
    drop_older_previews(render)
