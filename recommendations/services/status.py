"""A recommendation's current status, and the state check every compliance service starts with.

`recommendation_refresh_status` is the one writer of a recommendation's current status
(status, reason, verified on site, status since); every service that changes what the status
depends on calls it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from visits.models import Report, Visit

from ..events import recommendation_status_changed
from ..models import AuthorityResponse, Recommendation, Status, issued_report


def require_issued(visit: Visit) -> Report:
    """Responses and assessments come after the report is issued."""
    report = issued_report(visit)
    if report is None:
        raise ValidationError(
            _("The report of visit %(visit)s is not issued yet.") % {"visit": visit.reference}
        )
    return report


@transaction.atomic
def recommendation_refresh_status(*, recommendation: Recommendation, by=None) -> Recommendation:
    """Derive the current status from the latest assessment (by date, then entry order), or
    from whether any response arrived; save only what changed, with history."""
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    latest = recommendation.assessments.order_by("-assessed_on", "-pk").first()
    if latest is not None:
        values = {
            "status": latest.status,
            "reason": latest.reason,
            "verified_on_site": latest.verified_on_site,
            "status_changed_on": latest.assessed_on,
        }
    else:
        first_letter = (
            AuthorityResponse.objects.filter(items__recommendation=recommendation)
            .order_by("received_on")
            .values_list("received_on", flat=True)
            .first()
        )
        values = {
            "status": Status.RESPONSE_RECEIVED if first_letter else Status.AWAITING_RESPONSE,
            "reason": "",
            "verified_on_site": False,
            "status_changed_on": first_letter or recommendation.dispatched_on,
        }
    changed = [name for name, value in values.items() if getattr(recommendation, name) != value]
    old_status = recommendation.status
    if changed:
        for name in changed:
            setattr(recommendation, name, values[name])
        if by is not None:
            recommendation._history_user = by
        recommendation.save(update_fields=[*changed, "updated_at"])
    if "status" in changed:
        recommendation_status_changed.send(
            sender=Recommendation,
            recommendation=recommendation,
            old_status=old_status,
            new_status=recommendation.status,
        )
    return recommendation
