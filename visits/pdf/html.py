"""HTML → PDF with WeasyPrint, locked down.

WeasyPrint fetches stylesheets, fonts and images through a URL fetcher. The one here serves only
the app's own bundled PDF assets, named in templates with a private URL form:

    <link rel="stylesheet" href="pdfasset:pdf/report.css">
    @font-face { src: url("pdfasset:vendor/dejavu-fonts/DejaVuSans.ttf") }

Each name is a path under the static directories and must be on `ALLOWED_ASSETS`. Everything
else — file://, http(s) to any host (localhost included), data: URLs, relative URLs, any path not
on the list — is refused before any I/O, so WeasyPrint skips the resource. Any template may be
rendered with `html_to_pdf`; it is not tied to reports.
"""

from __future__ import annotations

import mimetypes
from functools import lru_cache
from pathlib import Path

from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .standards import ARCHIVAL_OPTIONS, declare_pdf_ua

# No "-" in the scheme: ManifestStaticFilesStorage leaves `url()`s with a plain [a-z]+ scheme
# alone when it rewrites the PDF stylesheets at collectstatic.
ASSET_SCHEME = "pdfasset:"

# Static paths a PDF may load. Keep it short: fonts, the PDF stylesheets and the logo.
ALLOWED_ASSETS: frozenset[str] = frozenset(
    {
        "pdf/base.css",
        "pdf/report.css",
        "img/logo.svg",
        # The draft watermark per report language, drawn as outlines (no extractable text).
        "pdf/draft-en.svg",
        "pdf/draft-sr-latn.svg",
        "pdf/draft-sr-cyrl.svg",
        "vendor/dejavu-fonts/DejaVuSans.ttf",
        "vendor/dejavu-fonts/DejaVuSans-Bold.ttf",
        "vendor/dejavu-fonts/DejaVuSans-Oblique.ttf",
        "vendor/dejavu-fonts/DejaVuSans-BoldOblique.ttf",
        "vendor/dejavu-fonts/DejaVuSansMono.ttf",
    }
)
CONTENT_TYPES = {".css": "text/css", ".ttf": "font/ttf", ".svg": "image/svg+xml"}


class RefusedURL(ValueError):
    """A URL the PDF renderer may not load; WeasyPrint logs it and skips the resource."""


def asset_url(path: str) -> str:
    """The URL a PDF template uses for a bundled asset: `pdfasset:<static path>`."""
    return ASSET_SCHEME + path


@lru_cache(maxsize=len(ALLOWED_ASSETS))
def _asset_bytes(path: str) -> bytes:
    found = finders.find(path)
    if not found:
        raise RefusedURL(f"Bundled PDF asset is missing: {path}")
    return Path(found).read_bytes()


def resolve_asset(url: str) -> str:
    """The allowed static path named by `url`, or RefusedURL."""
    if not isinstance(url, str) or not url.startswith(ASSET_SCHEME):
        raise RefusedURL(f"PDF rendering may not load {str(url)[:80]!r}")
    path = url[len(ASSET_SCHEME) :].split("?", 1)[0].split("#", 1)[0].lstrip("/")
    if path not in ALLOWED_ASSETS:
        raise RefusedURL(f"PDF rendering may not load {str(url)[:80]!r}")
    return path


class LockedURLFetcher(URLFetcher):
    """Serves the bundled PDF assets from memory and refuses every other URL.

    The parent class is kept only for WeasyPrint's interface (`fetch`, `_fail_on_errors`);
    its network and file handlers are never reached."""

    def __init__(self):
        super().__init__(allowed_protocols=(), fail_on_errors=False)

    def fetch(self, url, headers=None):
        path = resolve_asset(url)
        content_type = CONTENT_TYPES.get(Path(path).suffix) or (
            mimetypes.guess_type(path)[0] or "application/octet-stream"
        )
        headers = {"Content-Type": content_type}
        if content_type == "text/css":
            headers["Content-Type"] = "text/css; charset=utf-8"
        return URLFetcherResponse(url, _asset_bytes(path), headers)

    def open(self, url, data=None, timeout=None):
        return self.fetch(url.full_url if hasattr(url, "full_url") else url)

    def __call__(self, url):
        return self.fetch(url)


def url_fetcher() -> LockedURLFetcher:
    return LockedURLFetcher()


def html_document(html: str, **options):
    """The laid-out WeasyPrint document of `html` (no base URL: relative URLs load nothing)."""
    return HTML(string=html, url_fetcher=url_fetcher()).render(**options)


def html_to_pdf_with_pages(html: str, *, archival: bool = False) -> tuple[bytes, int]:
    """The PDF of `html` and its page count; `archival`: tagged, PDF/A-3u and PDF/UA-1
    (`visits.pdf.standards`)."""
    options = ARCHIVAL_OPTIONS if archival else {}
    document = html_document(html, **options)
    finisher = declare_pdf_ua if archival else None
    return document.write_pdf(finisher=finisher, **options), len(document.pages)


def html_to_pdf(html: str) -> bytes:
    """The PDF of `html`, rendered with the locked-down fetcher."""
    return html_to_pdf_with_pages(html)[0]
