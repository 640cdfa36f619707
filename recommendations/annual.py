"""The frozen annual statistics reports (kept in their own module, beside `models`).

Once a year is over its annual report is rendered once per language and stored
(`services.annual`): every later download is the same document with the same checksum, as a
ministry quoting it expects. The year still running is never stored (its figures change)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


def annual_report_path(instance: AnnualReport, filename: str) -> str:
    # A random name, like the reports': what the file is lives in the database.
    return f"annual/{instance.year}/{uuid.uuid4().hex}.pdf"


class AnnualReport(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    # A code of settings.LANGUAGES: the language the report was rendered in.
    language = models.CharField(_("language"), max_length=10, editable=False)
    pdf = models.FileField(_("PDF"), upload_to=annual_report_path, max_length=255, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    pages = models.PositiveIntegerField(_("pages"), editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "language"]
        verbose_name = _("annual statistics report")
        verbose_name_plural = _("annual statistics reports")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "language"], name="annual_report_once_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} ({self.language})"
