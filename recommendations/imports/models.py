"""The record of each import, and what it created (so that it can be undone as one unit)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One import of a file: who, when, which file (name and SHA-256), how many rows, what the
    dry run found; and, once undone, by whom and when."""

    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    # What the check before writing found (the same as the dry run): counts by kind of object,
    # names matched or created. JSON, no text from the file beyond registry names.
    summary = models.JSONField(_("dry-run summary"), default=dict, blank=True)
    created_places = models.BooleanField(_("missing places created"), default=False)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(undone_at__isnull=True) | Q(undone_at__gte=models.F("imported_at")),
                name="import_undone_after_import",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None

    def count(self, name: str) -> int:
        return int((self.summary or {}).get("counts", {}).get(name, 0))


class ImportedObject(models.Model):
    """One row an import created (by content type and id): what undo removes, and nothing
    else."""

    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="imported_objects"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = _("imported object")
        verbose_name_plural = _("imported objects")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="imported_object_once"
            )
        ]
        indexes = [models.Index(fields=["batch", "content_type"])]

    def __str__(self) -> str:
        return f"{self.batch_id}: {self.content_type_id}/{self.object_id}"
