"""Receivers that hand events of `visits` to the services here (no business logic of their own)."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from visits.models import Visit, VisitKind, VisitStatus
from visits.signals import report_dispatched

from . import services


@receiver(report_dispatched, dispatch_uid="recommendations_due_dates")
def set_due_dates(sender, dispatch, **kwargs) -> None:
    services.recommendations_set_due_dates(dispatch=dispatch)


@receiver(post_save, sender=Visit, dispatch_uid="recommendations_follow_up_checklist")
def prefill_follow_up_checklist(sender, instance: Visit, created: bool, raw=False, **kwargs):
    # Planning a follow-up visit pre-fills its checklist; the checklist page can refresh it.
    if raw or not created:
        return
    if instance.kind == VisitKind.FOLLOW_UP and instance.status != VisitStatus.CANCELLED:
        services.follow_up_checklist_prefill(visit=instance)
