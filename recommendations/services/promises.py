"""Promised completion dates in an authority's letter: a promise cannot be dated before the
letter that makes it, and one already past when recorded is worth a warning."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .due_dates import day_label


def promise_error(*, promised_by: dt.date | None, received_on: dt.date | None) -> str | None:
    """Why this promised date cannot stand in a letter received on `received_on`, or None."""
    if promised_by is None or received_on is None or promised_by >= received_on:
        return None
    return _(
        "The promised completion date cannot be before the letter was received (%(date)s)."
    ) % {"date": day_label(received_on)}


def promised_dates_check(items: Iterable[dict], *, received_on: dt.date) -> None:
    """Refuse items promising completion before the letter's date (the service's rule, for
    every caller: the forms, the API, the authority portal)."""
    for item in items:
        error = promise_error(promised_by=item.get("promised_by"), received_on=received_on)
        if error:
            raise ValidationError(
                _("Recommendation %(reference)s: %(error)s")
                % {"reference": item["recommendation"].reference, "error": error}
            )


def past_promises(items: Iterable[dict], *, today: dt.date | None = None) -> list[str]:
    """Warnings for promised dates already past (possible, when a letter is recorded late, but
    odd enough to check)."""
    today = today or timezone.localdate()
    return [
        _("Recommendation %(reference)s: the promised completion date %(date)s is already past.")
        % {"reference": item["recommendation"].reference, "date": day_label(item["promised_by"])}
        for item in items
        if item.get("promised_by") and item["promised_by"] < today
    ]
