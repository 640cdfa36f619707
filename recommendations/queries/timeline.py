"""The timeline of a recommendation: everything that happened to it, oldest first (read only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from visits.models import VisitStatus

from ..models import Recommendation, issued_report


@dataclass(frozen=True)
class TimelineEvent:
    date: dt.date
    kind: str
    label: str
    detail: str = ""
    url: str | None = None


# Same-day events in the order they happen.
_KIND_ORDER = {
    "created": 0,
    "issued": 1,
    "dispatched": 2,
    "response": 3,
    "follow_up": 4,
    "assessment": 5,
    "due": 6,
}


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def recommendation_timeline(
    recommendation: Recommendation, *, assessments=None, checks=None, items=None
) -> list[TimelineEvent]:
    """Everything that happened to a recommendation, oldest first. `assessments` and `checks`
    (with their assessors and visits), when the page has loaded them already."""
    events: list[TimelineEvent] = [
        TimelineEvent(
            timezone.localdate(recommendation.created_at), "created", _("Recommendation drafted")
        )
    ]
    report = issued_report(recommendation.visit)
    if report is not None and report.issued_on:
        events.append(
            TimelineEvent(
                report.issued_on,
                "issued",
                _("Report issued"),
                report.reference,
                reverse("visits:report_detail", args=[recommendation.visit_id]),
            )
        )
        addressees = {a.pk for a in recommendation.addressees.all()}
        # The view prefetches them (with their authority) when it needs them twice.
        prefetched = "dispatches" in getattr(report, "_prefetched_objects_cache", {})
        dispatches = report.dispatches.all() if prefetched else None
        if dispatches is None:
            dispatches = report.dispatches.select_related("authority")
        for dispatch in dispatches:
            if dispatch.authority_id in addressees:
                events.append(
                    TimelineEvent(
                        dispatch.sent_on,
                        "dispatched",
                        _("Sent to %(authority)s") % {"authority": dispatch.authority},
                        " · ".join(
                            part
                            for part in (dispatch.get_channel_display(), dispatch.reference)
                            if part
                        ),
                    )
                )
    if recommendation.due_date:
        events.append(TimelineEvent(recommendation.due_date, "due", _("Response due"), "", None))
    if items is None:
        items = recommendation.response_items.select_related("response__authority")
    for item in items:
        letter = item.response
        detail = _("States: %(status)s") % {"status": item.get_stated_status_display()}
        if item.promised_by:
            detail += " · " + _("promised by %(date)s") % {
                "date": date_format(item.promised_by, "DATE_FORMAT")
            }
        events.append(
            TimelineEvent(
                letter.received_on,
                "response",
                _("Response from %(authority)s") % {"authority": letter.authority}
                + (f" ({letter.reference})" if letter.reference else ""),
                detail,
                reverse("recommendations:response_detail", args=[letter.pk]),
            )
        )
    if assessments is None:
        assessments = recommendation.assessments.select_related("assessed_by")
    for assessment in assessments:
        detail = assessment.get_basis_display()
        if assessment.reason:
            detail += " · " + assessment.get_reason_display()
        if assessment.progress:
            detail += " · " + assessment.get_progress_display()
        if assessment.verified_on_site:
            detail += " · " + _("verified on site")
        who = _person(assessment.assessed_by)
        if who:
            detail += " · " + who
        events.append(
            TimelineEvent(
                assessment.assessed_on,
                "assessment",
                _("Assessed: %(status)s") % {"status": assessment.get_status_display()},
                detail,
            )
        )
    if checks is None:
        checks = recommendation.follow_up_checks.select_related("visit")
    for check in checks:
        visit = check.visit
        if visit.status == VisitStatus.CANCELLED:
            continue
        events.append(
            TimelineEvent(
                timezone.localdate(visit.start),
                "follow_up",
                (
                    _("Follow-up visit %(visit)s") % {"visit": visit.reference}
                    if check.recorded_at
                    else _("Follow-up visit %(visit)s planned") % {"visit": visit.reference}
                ),
                check.observation,
                reverse("recommendations:follow_up_checklist", args=[visit.pk]),
            )
        )
    events.sort(key=lambda event: (event.date, _KIND_ORDER.get(event.kind, 9)))
    return events
