"""Responses that became overdue: once a day, with the digest (`tasks.send_digest`, `manage.py
send_notification_digest`), each compliance officer is told how many recommendations of issued
reports passed their response deadline the day before without a response, with a link to the
tracker's overdue list. Staff and head already get the same news in the daily reminders'
digest e-mail (`manage.py send_reminders`), so they are not told twice.

Run twice on one day, it tells nobody twice (one notification per officer and day)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.roles import Role
from recommendations.models import Recommendation

from .models import Kind, Notification
from .services import notify

# References listed in the notification's reference field (the tracker lists them all).
REFERENCES_SHOWN = 3


def responses_overdue_notify(*, today: dt.date | None = None) -> int:
    """The day's notifications of newly overdue responses; the number created."""
    today = today or timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    newly_overdue = (
        Recommendation.objects.issued()
        .filter(due_date=yesterday, responded_on__isnull=True)
        .select_related("visit__report")
        .order_by("visit__year", "visit__number", "number")
    )
    count = newly_overdue.count()
    if not count:
        return 0
    shown = [rec.reference for rec in newly_overdue[:REFERENCES_SHOWN]]
    reference = ", ".join(shown) + (" …" if count > len(shown) else "")
    told = Notification.objects.filter(kind=Kind.RESPONSES_OVERDUE, created_at__date=today).values(
        "recipient_id"
    )
    officers = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.COMPLIANCE.value)
        .exclude(pk__in=told)
    )

    def title() -> str:  # in each officer's language (services.notification_create)
        return ngettext(
            "%(count)d response became overdue on %(date)s",
            "%(count)d responses became overdue on %(date)s",
            count,
        ) % {"count": count, "date": date_format(today, "DATE_FORMAT")}

    created = notify(
        officers,
        kind=Kind.RESPONSES_OVERDUE,
        title=title,
        reference=reference or (lambda: _("overdue responses")),
        url=reverse("recommendations:list") + "?overdue=yes",
    )
    return len(created)
