"""Deadline reminders to the authority portal's users and the escalation of long-overdue
recommendations to the parent authority, sent by `manage.py send_reminders` (daily).

Reminders: each active authority account with an e-mail gets one mail listing the
recommendations addressed to its own node (of reports dispatched to that node, still open and
without any response) that are due in NPM_AUTHORITY_REMINDER_DAYS days, due today, or overdue by
1, 8, 15, ... days (the day after the deadline and every week after that, the rule of
`recommendations.reminders` for the authority's general address).

Escalation: a recommendation still without a response NPM_ESCALATION_DAYS days after its
deadline, at an addressee the report was dispatched to, is escalated once per (recommendation,
addressee) to the addressee's parent authority (`Escalation`; none at the top of the tree: then
only the NPM lists it); each active account of the parent gets one mail listing what was
escalated to it that day.

The mails carry references, authority names, due dates and a link to the portal, never a
recommendation's text: the text is behind the login (the mails go to personal addresses and get
forwarded; a parent was not the addressee).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from recommendations.models import Recommendation
from recommendations.reminders import AUTHORITY_REMINDER_EVERY_DAYS
from visits.models import Authority, Dispatch

from .models import AuthorityAccount, Escalation


def _link(name: str, *args) -> str:
    return settings.NPM_BASE_URL.rstrip("/") + reverse(name, args=args)


def _npm_name() -> str:
    return settings.NPM_NAME or _("National Preventive Mechanism")


def _unanswered():
    """Open recommendations of issued reports without any response yet."""
    return (
        Recommendation.objects.issued()
        .open()
        .filter(due_date__isnull=False, responded_on__isnull=True)
        .select_related("visit__report", "visit__place")
    )


def _dispatched_to(authority_id: int) -> Exists:
    return Exists(
        Dispatch.objects.filter(report__visit_id=OuterRef("visit_id"), authority_id=authority_id)
    )


def reminder_kind(due_date: dt.date, today: dt.date) -> str | None:
    """ "before", "on" or "after" when a reminder about `due_date` is due `today`, else None."""
    days_left = (due_date - today).days
    if days_left == settings.NPM_AUTHORITY_REMINDER_DAYS:
        return "before"
    if days_left == 0:
        return "on"
    if days_left < 0 and -days_left % AUTHORITY_REMINDER_EVERY_DAYS == 1:
        return "after"
    return None


def _due_for(authority_id: int, today: dt.date) -> list[Recommendation]:
    """What an authority's users are reminded of today."""
    rows = []
    candidates = (
        _unanswered()
        .filter(addressees=authority_id)
        .filter(_dispatched_to(authority_id))
        .filter(due_date__lte=today + dt.timedelta(days=settings.NPM_AUTHORITY_REMINDER_DAYS))
        .order_by("due_date", "visit__year", "visit__number", "number")
    )
    for rec in candidates:
        kind = reminder_kind(rec.due_date, today)
        if kind is not None:
            rec.reminder = kind
            rec.days_overdue = max((today - rec.due_date).days, 0)
            rec.days_left = max((rec.due_date - today).days, 0)
            rec.link = _link("authority:recommendation", rec.pk)
            rows.append(rec)
    return rows


def _accounts_by_authority(authority_ids) -> dict[int, list[AuthorityAccount]]:
    accounts = (
        AuthorityAccount.objects.active()
        .filter(authority_id__in=authority_ids)
        .exclude(user__email="")
        .select_related("user", "authority")
        .order_by("user__email")
    )
    grouped: dict[int, list[AuthorityAccount]] = defaultdict(list)
    for account in accounts:
        grouped[account.authority_id].append(account)
    return grouped


def authority_user_reminders_send(*, today: dt.date | None = None) -> int:
    """One mail per active authority account with an e-mail whose own node has something due
    today. Returns the number of e-mails sent."""
    today = today or timezone.localdate()
    grouped = _accounts_by_authority(
        AuthorityAccount.objects.active().values_list("authority_id", flat=True)
    )
    sent = 0
    for authority_id, accounts in grouped.items():
        recommendations = _due_for(authority_id, today)
        if not recommendations:
            continue
        authority = accounts[0].authority
        subject = _("%(npm)s: %(count)d recommendation(s) of %(authority)s to answer") % {
            "npm": _npm_name(),
            "count": len(recommendations),
            "authority": authority.name,
        }
        for account in accounts:
            body = render_to_string(
                "emails/authority_reminder.txt",
                {
                    "account": account,
                    "authority": authority,
                    "recommendations": recommendations,
                    "today": today,
                    "link": _link("authority:home"),
                    "npm_name": _npm_name(),
                },
            )
            sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [account.user.email])
    return sent


@transaction.atomic
def escalations_run(*, today: dt.date | None = None) -> int:
    """Escalate what is NPM_ESCALATION_DAYS overdue (once per recommendation and addressee) and
    mail the parent authorities' users. Returns the number of e-mails sent."""
    today = today or timezone.localdate()
    threshold = today - dt.timedelta(days=settings.NPM_ESCALATION_DAYS)
    overdue = {
        rec.pk: rec for rec in _unanswered().filter(due_date__lte=threshold).order_by("due_date")
    }
    if not overdue:
        return 0
    dispatched = set(
        Dispatch.objects.filter(
            report__visit_id__in={rec.visit_id for rec in overdue.values()}
        ).values_list("report__visit_id", "authority_id")
    )
    done = set(
        Escalation.objects.filter(recommendation_id__in=overdue).values_list(
            "recommendation_id", "authority_id"
        )
    )
    pairs = Recommendation.addressees.through.objects.filter(
        recommendation_id__in=overdue
    ).values_list("recommendation_id", "authority_id")
    parents = dict(Authority.objects.values_list("pk", "parent_id"))
    created: list[Escalation] = []
    for rec_id, authority_id in sorted(pairs):
        rec = overdue[rec_id]
        if (rec.visit_id, authority_id) not in dispatched or (rec_id, authority_id) in done:
            continue
        escalation, was_created = Escalation.objects.get_or_create(
            recommendation=rec,
            authority_id=authority_id,
            defaults={
                "escalated_to_id": parents.get(authority_id),
                "escalated_on": today,
                "days_overdue": (today - rec.due_date).days,
            },
        )
        if was_created and escalation.escalated_to_id is not None:
            created.append(escalation)
    if not created:
        return 0
    by_parent_ids = {row.escalated_to_id for row in created}
    parents_by_pk = Authority.objects.in_bulk(by_parent_ids)
    authorities_by_pk = Authority.objects.in_bulk({row.authority_id for row in created})
    for row in created:
        row.escalated_to = parents_by_pk[row.escalated_to_id]
        row.authority = authorities_by_pk[row.authority_id]
    by_parent: dict[int, list[Escalation]] = defaultdict(list)
    for escalation in created:
        by_parent[escalation.escalated_to_id].append(escalation)
    grouped = _accounts_by_authority(by_parent)
    sent_total = 0
    for parent_id, rows in by_parent.items():
        parent = rows[0].escalated_to
        for row in rows:
            row.link = _link("authority:recommendation", row.recommendation_id)
        subject = _("%(npm)s: %(count)d overdue recommendation(s) escalated to %(authority)s") % {
            "npm": _npm_name(),
            "count": len(rows),
            "authority": parent.name,
        }
        sent = 0
        for account in grouped.get(parent_id, []):
            body = render_to_string(
                "emails/authority_escalation.txt",
                {
                    "account": account,
                    "authority": parent,
                    "escalations": rows,
                    "days": settings.NPM_ESCALATION_DAYS,
                    "today": today,
                    "npm_name": _npm_name(),
                },
            )
            sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [account.user.email])
        Escalation.objects.filter(pk__in=[row.pk for row in rows]).update(notified=sent)
        sent_total += sent
    return sent_total
