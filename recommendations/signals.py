"""Receivers that hand events of `visits` to the services here (no business logic of their own).

- `visits.signals.report_dispatched` (sent by `visits.services.dispatch_record`): the
  recommendations addressed to that authority get their dispatch date and response deadline
  (`services.recommendations_set_due_dates`).
- `visits.signals.visit_planned` (sent by `visits.services.visit_create`): a follow-up visit's
  checklist is pre-filled with the place's open recommendations
  (`services.follow_up_checklist_prefill`); the checklist page can refresh it later. Visits made
  any other way (the admin, factories) get their checklist from that service or its button.
- Saving or deleting anything the compliance figures count, and changing the addressee or repeat
  links, invalidates the cached figures (`cache.figures_changed`). The bulk writers that send no
  signals are covered too: a letter's items are written with the letter (saved), an import or
  its undo saves its `ImportBatch` in the same transaction (the token is bumped again at the
  commit). The services of this app make no queryset `update()`.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from visits.models import Authority, Dispatch, Place, Report, Theme, Visit, VisitKind, VisitStatus
from visits.signals import report_dispatched, visit_planned

from . import services
from .cache import figures_changed
from .models import Assessment, AuthorityResponse, ImportBatch, Recommendation, ResponseItem

# What the figures are computed from (names and categories are in them too).
FIGURE_MODELS = (
    Recommendation,
    Assessment,
    AuthorityResponse,
    ResponseItem,
    ImportBatch,
    Report,
    Dispatch,
    Visit,
    Place,
    Authority,
    Theme,
)
FIGURE_LINKS = (Recommendation.addressees.through, Recommendation.repeats.through)


@receiver(report_dispatched, dispatch_uid="recommendations_due_dates")
def set_due_dates(sender, dispatch, **kwargs) -> None:
    services.recommendations_set_due_dates(dispatch=dispatch)


@receiver(visit_planned, dispatch_uid="recommendations_follow_up_checklist")
def prefill_follow_up_checklist(sender, visit: Visit, **kwargs) -> None:
    if visit.kind == VisitKind.FOLLOW_UP and visit.status != VisitStatus.CANCELLED:
        services.follow_up_checklist_prefill(visit=visit)


def invalidate_figures(sender, action: str = "post_", **kwargs) -> None:
    # m2m_changed: once the links have changed (not also before).
    if action.startswith("post_"):
        figures_changed()


for model in FIGURE_MODELS:
    for signal in (post_save, post_delete):
        signal.connect(
            invalidate_figures, sender=model, dispatch_uid=f"figures_{model._meta.label_lower}"
        )
for link in FIGURE_LINKS:
    m2m_changed.connect(
        invalidate_figures, sender=link, dispatch_uid=f"figures_{link._meta.label_lower}"
    )
