"""Report PDFs: `html` (HTML → PDF with WeasyPrint behind a locked-down fetcher), `rendering`
(the HTML of a report and the work of a render job), `tasks` (queueing render jobs; the periodic
pruning task), `pruning` (draft previews: only the latest per report and user, expired after
NPM_PREVIEW_TTL_HOURS)."""

from .html import LockedURLFetcher, html_to_pdf, html_to_pdf_with_pages

__all__ = ["LockedURLFetcher", "html_to_pdf", "html_to_pdf_with_pages"]
