"""Receivers that hand events of `visits` to the services here (no business logic of their own).

- `visits.signals.report_dispatched` (sent by `visits.services.dispatch_record`): the
  recommendations addressed to that authority get their dispatch date and response deadline
  (`services.recommendations_set_due_dates`).
- `visits.signals.visit_planned` (sent by `visits.services.visit_create`): a follow-up visit's
  checklist is pre-filled with the place's open recommendations
  (`services.follow_up_checklist_prefill`); the checklist page can refresh it later. Visits made
  any other way (the admin, factories) get their checklist from that service or its button.
"""

from __future__ import annotations

from django.dispatch import receiver

from visits.models import Visit, VisitKind, VisitStatus
from visits.signals import report_dispatched, visit_planned

from . import services


@receiver(report_dispatched, dispatch_uid="recommendations_due_dates")
def set_due_dates(sender, dispatch, **kwargs) -> None:
    services.recommendations_set_due_dates(dispatch=dispatch)


@receiver(visit_planned, dispatch_uid="recommendations_follow_up_checklist")
def prefill_follow_up_checklist(sender, visit: Visit, **kwargs) -> None:
    if visit.kind == VisitKind.FOLLOW_UP and visit.status != VisitStatus.CANCELLED:
        services.follow_up_checklist_prefill(visit=visit)
