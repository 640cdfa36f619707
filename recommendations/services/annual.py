"""The annual statistics report of a year that is over: rendered once per language, then stored
and served as it was (`annual.AnnualReport`). The view renders; this module keeps the result."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction

from .. import cache
from ..annual import AnnualReport


def annual_report_frozen(*, year: int, language: str) -> AnnualReport | None:
    """The stored report, read from the primary: a replica that lags would not see a report
    frozen a moment ago, and the year would be rendered a second time."""
    return AnnualReport.objects.using(DEFAULT_DB_ALIAS).filter(year=year, language=language).first()


@transaction.atomic
def annual_report_freeze(*, year: int, language: str, pdf: bytes, pages: int) -> AnnualReport:
    """Store `pdf` as the report of (`year`, `language`), once. When another request froze it
    first (both rendered at the same time), that one is kept and this file is dropped, so
    every download serves one document."""
    report = AnnualReport(
        year=year, language=language, sha256=hashlib.sha256(pdf).hexdigest(), pages=pages
    )
    content = ContentFile(pdf)
    # Stored byte for byte, its metadata kept (the NPM as author, PDF/A): the checksum shown
    # is of these bytes (npm_portal.security.metadata).
    content.keep_metadata = True
    report.pdf.save(f"annual-{year}-{language}.pdf", content, save=False)
    try:
        with transaction.atomic():
            report.save(force_insert=True)
    except IntegrityError:
        report.pdf.delete(save=False)
        return AnnualReport.objects.get(year=year, language=language)
    # The dashboard shows the stored report's checksum beside its link.
    cache.figures_changed()
    return report
