"""Response deadlines: the legal term from the first dispatch of the report to an addressee."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from visits.models import Dispatch

from ..models import Recommendation, issued_report, response_term_days
from .status import recommendation_refresh_status


def day_label(value: dt.date) -> str:
    return date_format(value, "DATE_FORMAT")


def local_date(value: dt.datetime) -> dt.date:
    return timezone.localdate(value)


def due_date_for(*, sent_on: dt.date, priority: str) -> dt.date:
    """The response deadline: the legal term in days from dispatch (shorter when urgent)."""
    return sent_on + dt.timedelta(days=response_term_days(priority))


def _first_dispatch_on(recommendation: Recommendation) -> dt.date | None:
    """The earliest dispatch of the recommendation's report to any of its addressees."""
    return (
        Dispatch.objects.filter(
            report__visit_id=recommendation.visit_id,
            authority__in=recommendation.addressees.all(),
        )
        .order_by("sent_on")
        .values_list("sent_on", flat=True)
        .first()
    )


@transaction.atomic
def recommendations_set_due_dates(*, dispatch: Dispatch) -> int:
    """The report went to one addressee: its recommendations addressed to that authority get
    their dispatch date and deadline.

    The deadline is derived, never typed in: the legal term from the FIRST dispatch of the report
    to any addressee. It is recomputed from all the report's dispatches, so the order in which they
    are recorded does not matter: a dispatch dated earlier but recorded later moves the deadline
    forward, a later-dated one changes nothing, and a due date that disagrees with the dispatches
    is put right. The status date of a recommendation still awaiting its response follows the
    dispatch date (see `recommendation_refresh_status`). Returns how many recommendations
    changed.

    Called by the `report_dispatched` receiver (the dispatch itself was authorised by
    `visits.services.dispatch_record`)."""
    recommendations = Recommendation.objects.select_for_update(of=("self",)).filter(
        visit_id=dispatch.report.visit_id, addressees=dispatch.authority_id
    )
    changed = 0
    for recommendation in recommendations:
        sent_on = _first_dispatch_on(recommendation)
        due_date = (
            due_date_for(sent_on=sent_on, priority=recommendation.priority) if sent_on else None
        )
        if (recommendation.dispatched_on, recommendation.due_date) == (sent_on, due_date):
            continue
        recommendation.dispatched_on = sent_on
        recommendation.due_date = due_date
        recommendation._history_user = dispatch.recorded_by
        recommendation.save(update_fields=["dispatched_on", "due_date", "updated_at"])
        recommendation_refresh_status(recommendation=recommendation, by=dispatch.recorded_by)
        changed += 1
    return changed


def undispatched_addressees(recommendation: Recommendation) -> list:
    """The addressees the issued report was never sent to: they have not received the
    recommendation, so no deadline runs for them (the due date, if any, counts from the dispatch
    to another addressee). Empty while the report is not issued."""
    report = issued_report(recommendation.visit)
    if report is None:
        return []
    sent = {dispatch.authority_id for dispatch in report.dispatches.all()}
    return [a for a in recommendation.addressees.all() if a.pk not in sent]
