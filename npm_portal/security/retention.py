"""Retention of interviewee identities: after NPM_IDENTITY_RETENTION_DAYS from the interview,
who was interviewed is deleted (with any history copies); the pseudonymous interview and its
notes stay, so findings and statistics survive."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from visits.models import InterviewIdentity


@dataclass(frozen=True)
class DueIdentity:
    interview_code: str
    recorded_on: dt.date


def retention_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    now = now or timezone.now()
    return now - dt.timedelta(days=settings.NPM_IDENTITY_RETENTION_DAYS)


def _due(now: dt.datetime | None):
    return (
        InterviewIdentity.objects.filter(interview__created_at__lt=retention_cutoff(now))
        .select_related("interview")
        .order_by("interview__created_at", "pk")
    )


@transaction.atomic
def identities_apply_retention(
    *, now: dt.datetime | None = None, dry_run: bool = False
) -> list[DueIdentity]:
    """Delete the identities past the retention period (only list them with `dry_run`).
    Returns what was (or would be) deleted: interview codes, never identifying data."""
    due = _due(now).select_for_update(of=("self",))
    listing = [
        DueIdentity(identity.interview.code, timezone.localdate(identity.interview.created_at))
        for identity in due
    ]
    if dry_run or not listing:
        return listing
    pks = [identity.pk for identity in due]
    history = getattr(InterviewIdentity, "history", None)
    if history is not None:  # should a history table ever be added, its copies go too
        history.filter(id__in=pks).delete()
    InterviewIdentity.objects.filter(pk__in=pks).delete()
    return listing
