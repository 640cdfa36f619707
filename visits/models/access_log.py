"""The access log: who saw, downloaded, revealed or was refused which confidential record, when
and from where. Append-only and tamper-evident:

- on PostgreSQL a trigger refuses every UPDATE, DELETE and TRUNCATE of the table, whoever sends
  it (the ORM, `bulk_update`, raw SQL); the one exception is the retention command's path,
  `AccessLog.objects.purge_before`, which deletes the oldest entries only;
- every entry stores the SHA-256 of its own content and of the entry before it (`row_hash`,
  `prev_hash`), so an entry changed, removed or inserted out of place breaks the chain, and
  `manage.py verify_access_log` names the first broken link.

`visits/audit.py:record` is the only writer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .visit import Visit

GENESIS_HASH = "0" * 64
APPEND_ONLY_TRIGGER = "visits.AccessLog:append_only"
NO_TRUNCATE_TRIGGER = "visits.AccessLog:no_truncate"


class AccessAction(models.TextChoices):
    VIEW_CONFIDENTIAL = "view_confidential", _("Viewed a confidential record")
    REVEAL_IDENTITY = "reveal_identity", _("Revealed an identity")
    EXPORT = "export", _("Exported")
    DOWNLOAD = "download", _("Downloaded a file")
    DENIED = "denied", _("Access denied")
    RETENTION = "retention", _("Old entries deleted (retention)")
    API_REQUEST = "api_request", _("API request")


def entry_hash(
    *,
    prev_hash: str,
    created_at,
    user_id,
    action: str,
    object_type: str,
    object_id: str,
    visit_id,
    ip,
) -> str:
    """SHA-256 of one entry's content and the previous entry's hash. An auditor can recompute it
    from an export: the JSON array below, compact, UTF-8."""
    content = [
        prev_hash,
        created_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "" if user_id is None else str(user_id),
        action,
        object_type,
        object_id,
        "" if visit_id is None else str(visit_id),
        ip or "",
    ]
    payload = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValueError("The access log is append-only: entries cannot be changed.")

    def delete(self):
        raise ValueError("The access log is append-only: entries cannot be deleted.")

    def bulk_create(self, objs, *args, **kwargs):
        raise ValueError("Write access-log entries with visits.audit.record: it chains them.")

    def purge_before(self, cutoff) -> tuple[int, AccessLog | None]:
        """The retention path (`visits.audit.purge_access_log`, run by `manage.py
        apply_retention`): delete the entries older than `cutoff`, oldest first and without
        gaps, so the chain stays whole from the first entry kept. Returns how many went and the
        last entry deleted. Not for any other use."""
        last_old = AccessLog.objects.filter(created_at__lt=cutoff).order_by("-pk").first()
        if last_old is None:
            return 0, None
        doomed = models.QuerySet(model=AccessLog).filter(pk__lte=last_old.pk)
        with pgtrigger.ignore(APPEND_ONLY_TRIGGER):
            deleted, _by_model = doomed.delete()
        return deleted, last_old

    def chain_order(self):
        return self.order_by("pk")


class AccessLog(models.Model):
    """One entry of the append-only, hash-chained access log."""

    Action = AccessAction

    # PROTECT: the log keeps pointing at who and what; users are deactivated, never deleted, and
    # a visit with log entries cannot be deleted (a trigger would refuse SET NULL anyway).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=AccessAction.choices)
    object_type = models.CharField(_("record type"), max_length=50)
    object_id = models.CharField(_("record"), max_length=50)
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    prev_hash = models.CharField(_("previous entry's hash"), max_length=64, editable=False)
    row_hash = models.CharField(_("hash"), max_length=64, editable=False)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=AccessAction.values), name="accesslog_action_valid"
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
            pgtrigger.Trigger(
                name="no_truncate",
                when=pgtrigger.Before,
                operation=pgtrigger.Truncate,
                level=pgtrigger.Statement,
                func="RAISE EXCEPTION 'pgtrigger: Cannot truncate % table', TG_TABLE_NAME;",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("The access log is append-only: entries cannot be changed.")
        if not self.row_hash:
            raise ValueError("Write access-log entries with visits.audit.record: it chains them.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The access log is append-only: entries cannot be deleted.")

    def compute_hash(self) -> str:
        return entry_hash(
            prev_hash=self.prev_hash,
            created_at=self.created_at,
            user_id=self.user_id,
            action=self.action,
            object_type=self.object_type,
            object_id=self.object_id,
            visit_id=self.visit_id,
            ip=self.ip,
        )
