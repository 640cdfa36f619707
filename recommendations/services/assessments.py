"""Assessments: the NPM's verdict on a recommendation, based on the authority's letter, a
follow-up visit or other evidence. The latest one is the recommendation's current status."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from visits.models import TOOK_PLACE_STATUSES, Visit

from .. import access
from ..models import (
    REASON_STATUSES,
    STATED_STATUSES,
    Assessment,
    AuthorityResponse,
    Basis,
    Progress,
    Reason,
    Recommendation,
    Status,
)
from .due_dates import day_label, local_date
from .status import recommendation_refresh_status, require_issued

# The NPM's verdicts: what an authority may state, never the two automatic statuses.
ASSESSED_STATUSES = list(STATED_STATUSES)
# A reason code is required for these (optional for the rest of REASON_STATUSES).
REASON_REQUIRED = {Status.PARTIALLY_IMPLEMENTED, Status.NOT_IMPLEMENTED}
# A follow-up visit can record what it saw once it has taken place.


@transaction.atomic
def assessment_record(
    *,
    recommendation: Recommendation,
    status: str,
    reason: str = "",
    basis: str,
    response: AuthorityResponse | None = None,
    follow_up_visit: Visit | None = None,
    verified_on_site: bool = False,
    note: str = "",
    assessed_on: dt.date,
    progress: str = "",
    by=None,
) -> Assessment:
    """The NPM's verdict on a recommendation; the latest one is its current status.
    `progress` is the optional four-level judgement of progress at follow-up (`Progress`)."""
    access.require_that(by is None or access.can_assess(by))
    recommendation = (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("visit__place")
        .get(pk=recommendation.pk)
    )
    report = require_issued(recommendation.visit)
    errors: dict[str, str] = {}
    if status not in ASSESSED_STATUSES:
        errors["status"] = _("Choose the implementation status.")
    reason = reason or ""
    if reason and reason not in Reason.values:
        errors["reason"] = _("Choose a reason from the list.")
    elif reason and status not in REASON_STATUSES:
        errors["reason"] = _(
            "A reason explains partial or non-implementation only; leave it empty for this status."
        )
    elif not reason and status in REASON_REQUIRED:
        errors["reason"] = _("Say why the recommendation is %(status)s.") % {
            "status": Status(status).label.lower()
        }
    progress = progress or ""
    if progress and progress not in Progress.values:
        errors["progress"] = _("Choose a progress judgement from the list, or leave it empty.")
    if assessed_on is None:
        errors["assessed_on"] = _("Give the date of the assessment.")
    elif assessed_on > timezone.localdate():
        errors["assessed_on"] = _("This date is in the future.")
    elif report.issued_on and assessed_on < report.issued_on:
        errors["assessed_on"] = _(
            "The report was issued on %(date)s: this date cannot be earlier."
        ) % {"date": day_label(report.issued_on)}

    if basis not in Basis.values:
        errors["basis"] = _("Choose what the assessment is based on.")
    elif basis == Basis.RESPONSE:
        if response is None:
            errors["response"] = _("Choose the authority's letter the assessment is based on.")
        elif not response.items.filter(recommendation=recommendation).exists():
            errors["response"] = _("This letter does not answer this recommendation.")
        elif assessed_on and assessed_on < response.received_on:
            errors["assessed_on"] = _("The letter was received on %(date)s: assess it after.") % {
                "date": day_label(response.received_on)
            }
    elif response is not None:
        errors["response"] = _("A letter goes with the basis “authority response” only.")
    if basis == Basis.RESPONSE and verified_on_site:
        errors["verified_on_site"] = _("A letter cannot verify anything on site.")
    if basis == Basis.FOLLOW_UP_VISIT:
        if follow_up_visit is None:
            errors["follow_up_visit"] = _("Choose the follow-up visit.")
        elif follow_up_visit.pk == recommendation.visit_id:
            errors["follow_up_visit"] = _(
                "Choose a later visit: this is the visit the recommendation came from."
            )
        elif follow_up_visit.place_id != recommendation.visit.place_id:
            errors["follow_up_visit"] = _("The follow-up visit must be to the same place.")
        elif follow_up_visit.status not in TOOK_PLACE_STATUSES:
            errors["follow_up_visit"] = _("The follow-up visit has not been conducted.")
        elif assessed_on and assessed_on < local_date(follow_up_visit.start):
            errors["assessed_on"] = _(
                "The follow-up visit took place on %(date)s: this date cannot be earlier."
            ) % {"date": day_label(local_date(follow_up_visit.start))}
        verified_on_site = True
    elif follow_up_visit is not None:
        errors["follow_up_visit"] = _("A visit goes with the basis “follow-up visit” only.")
    if errors:
        raise ValidationError(errors)
    note = (note or "").strip()
    same = recommendation.assessments.filter(
        status=status,
        reason=reason,
        basis=basis,
        response=response,
        follow_up_visit=follow_up_visit,
        verified_on_site=verified_on_site,
        assessed_on=assessed_on,
        progress=progress,
    )
    # The note is encrypted at rest: compared here, not by the database.
    if any(earlier.note == note for earlier in same):
        # A double submit: the same verdict on the same day is recorded once.
        raise ValidationError(_("This assessment is already recorded."))

    assessment = Assessment.objects.create(
        recommendation=recommendation,
        status=status,
        reason=reason,
        basis=basis,
        response=response,
        follow_up_visit=follow_up_visit,
        verified_on_site=verified_on_site,
        note=note,
        assessed_on=assessed_on,
        progress=progress,
        assessed_by=by,
    )
    recommendation_refresh_status(recommendation=recommendation, by=by)
    return assessment
