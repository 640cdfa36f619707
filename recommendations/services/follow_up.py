"""Follow-up visits: the checklist of a place's open recommendations, and what the team saw on
site (recorded as an assessment with basis "follow-up visit")."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from visits.models import Visit, VisitKind, VisitStatus

from .. import access
from ..models import Basis, FollowUpCheck, Recommendation
from .assessments import assessment_record
from .due_dates import local_date


def follow_up_candidates(*, visit: Visit):
    """Open, issued recommendations of earlier visits to the visit's place. "Earlier" by when the
    visits took place (the actual start, else the planned one): a visit conducted before its
    planned date is earlier than a follow-up planned in between."""
    return (
        Recommendation.objects.issued()
        .open()
        .filter(visit__place_id=visit.place_id)
        .alias(visit_start=Coalesce("visit__actual_start", "visit__planned_start"))
        .filter(visit_start__lt=visit.start)
        .exclude(visit=visit)
    )


@transaction.atomic
def follow_up_checklist_prefill(*, visit: Visit, by=None) -> int:
    """One checklist line per open recommendation at the place (idempotent: lines already there
    stay as they are). Returns the number of lines added. Run when a follow-up visit is planned
    (the `visit_planned` receiver) and from the checklist's "Refresh" button."""
    access.require_that(by is None or access.can_record_checks(by))
    if visit.kind != VisitKind.FOLLOW_UP:
        raise ValidationError(_("Only follow-up visits have a checklist."))
    if visit.status == VisitStatus.CANCELLED:
        raise ValidationError(_("The visit is cancelled."))
    existing = set(
        FollowUpCheck.objects.filter(visit=visit).values_list("recommendation_id", flat=True)
    )
    missing = [
        pk
        for pk in follow_up_candidates(visit=visit).values_list("pk", flat=True)
        if pk not in existing
    ]
    FollowUpCheck.objects.bulk_create(
        [FollowUpCheck(visit=visit, recommendation_id=pk) for pk in missing],
        ignore_conflicts=True,
    )
    return len(missing)


@transaction.atomic
def follow_up_check_record(
    *,
    check: FollowUpCheck,
    observation: str,
    status: str,
    reason: str = "",
    progress: str = "",
    by=None,
) -> FollowUpCheck:
    """What the team saw on site becomes an assessment with basis "follow-up visit", verified on
    site, dated the day of the visit, with the team's optional judgement of progress (`Progress`).
    Recording again adds a new assessment and relinks the line
    (the timeline keeps both)."""
    access.require_that(by is None or access.can_record_checks(by))
    check = (
        FollowUpCheck.objects.select_for_update(of=("self",))
        .select_related("visit", "recommendation")
        .get(pk=check.pk)
    )
    visit = check.visit
    if not visit.took_place:
        raise ValidationError(
            _("Record what was seen once the visit has been conducted (it is %(status)s).")
            % {"status": visit.get_status_display().lower()}
        )
    observation = (observation or "").strip()
    if not observation:
        raise ValidationError({"observation": _("Say what the team saw on site.")})
    assessment = assessment_record(
        recommendation=check.recommendation,
        status=status,
        reason=reason,
        progress=progress,
        basis=Basis.FOLLOW_UP_VISIT,
        follow_up_visit=visit,
        verified_on_site=True,
        note=observation,
        assessed_on=min(local_date(visit.start), timezone.localdate()),
        by=by,
    )
    check.observation = observation
    check.assessment = assessment
    check.recorded_by = by
    check.recorded_at = timezone.now()
    check.save(update_fields=["observation", "assessment", "recorded_by", "recorded_at"])
    return check
