"""`make screenshots`: PNGs of a demo report's PDF for the README, in docs/screenshots/.

The demo data (`load_demo`, which issues the demo reports and freezes their PDFs) goes into a
throwaway SQLite database with its own media directory, both deleted afterwards: the
developer's database and files are never touched. The issued English report with the most
pages is taken as it was frozen (the full version), and pdftoppm (Debian poppler-utils) draws
three of its pages WIDTH pixels wide:

- report-cover.png: page 1;
- report-body.png: the page of the first recommendation in the text (numbered paragraphs and a
  recommendation in bold);
- report-annex.png: the first page of the annex of recommendations.

The pages are found by the PDF's named destinations (the HTML ids WeasyPrint keeps), so they
follow the layout when it changes."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
# Wide enough to read the text, narrow enough for a README column.
WIDTH = 800
# The HTML ids of the pages drawn (templates/visits/pdf/report.html, visits/pdf/content.py).
BODY_ANCHOR = "recommendation-1"
ANNEX_ANCHOR = "annex-recommendations"


def _setup_django(workdir: Path) -> None:
    """Django on a fresh SQLite database and media directory under `workdir`."""
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'demo.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ.pop("DATABASE_REPLICA_URL", None)
    # The demo's PDFs render in this process, before load_demo returns (visits.pdf.tasks).
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ["NPM_RENDER_RUNNER"] = "inline"
    os.environ["EMAIL_URL"] = "dummymail://"  # the demo's notifications go nowhere
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "npm_portal.settings")
    import django

    django.setup()
    from django.conf import settings

    # The PDF assets come from the static directories; no collectstatic manifest is needed.
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }


def _demo_report_pdf() -> tuple[str, bytes]:
    """The reference and the frozen PDF of the longest issued English demo report."""
    from django.core.management import call_command

    from npm_portal.demo import load_demo
    from visits.models import Report, ReportLanguage

    call_command("migrate", verbosity=0, interactive=False)
    load_demo()
    report = (
        Report.objects.issued()
        .filter(language=ReportLanguage.ENGLISH)
        .exclude(pdf="")
        .order_by("-pdf_pages", "pk")
        .first()
    )
    if report is None:
        sys.exit("The demo data has no issued English report with a stored PDF.")
    with report.pdf.open("rb") as handle:
        return report.reference, handle.read()


def pages_to_draw(data: bytes) -> dict[str, int]:
    """{file name: 1-based page number} of the pages to draw."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    destinations = reader.named_destinations

    def page_of(anchor: str) -> int:
        if anchor not in destinations:
            sys.exit(f"The report PDF has no destination {anchor!r}.")
        return reader.get_destination_page_number(destinations[anchor]) + 1

    return {
        "report-cover.png": 1,
        "report-body.png": page_of(BODY_ANCHOR),
        "report-annex.png": page_of(ANNEX_ANCHOR),
    }


def draw(pdf: Path, page: int, target: Path) -> None:
    """One page of `pdf` as a PNG WIDTH pixels wide (pdftoppm adds the extension itself)."""
    stem = target.with_suffix("")
    command = ["pdftoppm", "-png", "-singlefile", "-f", str(page), "-l", str(page)]
    size = ["-scale-to-x", str(WIDTH), "-scale-to-y", "-1"]  # -1: the page's proportions
    subprocess.run([*command, *size, str(pdf), str(stem)], check=True)


def main() -> None:
    if shutil.which("pdftoppm") is None:
        sys.exit("pdftoppm is missing: install poppler-utils (apt-get install poppler-utils).")
    with tempfile.TemporaryDirectory(prefix="npm-screenshots-") as workdir:
        _setup_django(Path(workdir))
        reference, data = _demo_report_pdf()
        pdf = Path(workdir) / "report.pdf"
        pdf.write_bytes(data)
        OUT.mkdir(parents=True, exist_ok=True)
        for name, page in pages_to_draw(data).items():
            draw(pdf, page, OUT / name)
            print(f"{(OUT / name).relative_to(ROOT)}: page {page} of {reference}")


if __name__ == "__main__":
    main()
