"""Response deadline reminders, sent by `manage.py send_reminders` (daily; Celery beat when
configured). Mails carry references, places, authorities and dates: nothing confidential."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import STAFF_GROUPS
from visits.models import Authority, Dispatch

from .models import Recommendation

# An authority is reminded the day after its deadline passes and every week after that.
AUTHORITY_REMINDER_EVERY_DAYS = 7


def staff_recipients() -> list[str]:
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=STAFF_GROUPS)
        .exclude(email="")
        .order_by("email")
    )
    return list(dict.fromkeys(users.values_list("email", flat=True)))


def _rows(queryset) -> list[Recommendation]:
    return list(
        queryset.select_related("visit__place", "visit__report")
        .prefetch_related(Prefetch("addressees", queryset=Authority.objects.order_by("name")))
        .order_by("due_date", "visit__year", "visit__number", "number")
    )


def staff_digest_send(*, today: dt.date | None = None) -> int:
    """One digest to NPM staff and head: responses due soon and overdue ones."""
    today = today or timezone.localdate()
    days = settings.NPM_RESPONSE_REMINDER_DAYS
    due_soon = _rows(Recommendation.objects.due_soon(days, today))
    overdue = _rows(Recommendation.objects.overdue(today))
    recipients = staff_recipients()
    if not (due_soon or overdue) or not recipients:
        return 0
    for rec in overdue:
        rec.days_overdue = (today - rec.due_date).days
    for rec in due_soon:
        rec.days_left = (rec.due_date - today).days
    context = {"due_soon": due_soon, "overdue": overdue, "days": days, "today": today}
    subject = _("Responses to recommendations: %(overdue)d overdue, %(soon)d due soon") % {
        "overdue": len(overdue),
        "soon": len(due_soon),
    }
    body = render_to_string("emails/recommendations_digest.txt", context)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def _authority_due_today(recommendations: list[Recommendation], today: dt.date) -> bool:
    return any(
        (today - rec.due_date).days % AUTHORITY_REMINDER_EVERY_DAYS == 1 for rec in recommendations
    )


def authority_reminders_send(*, today: dt.date | None = None) -> int:
    """One reminder per addressee authority with an e-mail address listing its overdue
    recommendations (of reports sent to it), when NPM_REMIND_AUTHORITIES is on."""
    if not settings.NPM_REMIND_AUTHORITIES:
        return 0
    today = today or timezone.localdate()
    overdue = _rows(Recommendation.objects.overdue(today))
    if not overdue:
        return 0
    authorities = {
        a.pk: a
        for a in Authority.objects.filter(
            pk__in={addressee.pk for rec in overdue for addressee in rec.addressees.all()}
        ).exclude(email="")
    }
    # Only reports that went to that authority: a deadline runs from its own dispatch.
    sent = set(
        Dispatch.objects.filter(
            report__visit_id__in={rec.visit_id for rec in overdue}, authority_id__in=authorities
        ).values_list("report__visit_id", "authority_id")
    )
    sent_count = 0
    for authority in sorted(authorities.values(), key=lambda a: a.name):
        own = [
            rec
            for rec in overdue
            if (rec.visit_id, authority.pk) in sent
            and any(a.pk == authority.pk for a in rec.addressees.all())
        ]
        if not own or not _authority_due_today(own, today):
            continue
        context = {"authority": authority, "recommendations": own, "today": today}
        subject = _("%(npm)s: responses overdue to %(count)d recommendation(s)") % {
            "npm": settings.NPM_NAME or _("National Preventive Mechanism"),
            "count": len(own),
        }
        body = render_to_string("emails/recommendations_authority.txt", context)
        sent_count += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [authority.email])
    return sent_count


def response_reminders_send(*, today: dt.date | None = None) -> int:
    """Everything due today: the staff digest and, when configured, authority reminders.
    Returns the number of e-mails sent."""
    return staff_digest_send(today=today) + authority_reminders_send(today=today)
