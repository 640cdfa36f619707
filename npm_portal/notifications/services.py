"""Creating notifications, marking them read, and their e-mails (one at once, or the day's in
one digest, as each user chose in `NotificationPreference`).

E-mails carry the kind, the references and a link (NPM_BASE_URL + the notification's path):
never a section's text or a review comment. They leave once the transaction commits, through
the task queue when Celery is configured (inline otherwise)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import IntegerField, OuterRef, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.roles import is_authority_only, is_partner_only
from npm_portal import work

from .models import Delivery, Kind, Notification, NotificationPreference

# The header shows "99+" beyond this: counting a neglected inbox never scans it all.
UNREAD_SHOWN = 99


def preference_of(user) -> tuple[str, str]:
    """(delivery, language) of the user's notifications: theirs, or immediate in the site's
    language."""
    preference = NotificationPreference.objects.filter(user=user).first()
    if preference is None:
        return Delivery.IMMEDIATE, settings.LANGUAGE_CODE
    return preference.delivery, preference.language or settings.LANGUAGE_CODE


def language_of(user) -> str:
    return preference_of(user)[1]


# A notification's title, or reference, as text or as a function that writes it: called in the
# recipient's language, so each one reads it in theirs, whoever acted in which.
Text = str | Callable[[], str]


def _written(text: Text) -> str:
    return text() if callable(text) else text


def _may_receive(user, visit) -> bool:
    """Active NPM users and partner members; a partner only about a visit they are on."""
    if not user.is_active or is_authority_only(user):
        return False
    if visit is not None and is_partner_only(user):
        from visits.models import Visit

        return Visit.objects.visible_to(user).filter(pk=visit.pk).exists()
    return True


@transaction.atomic
def notification_create(
    *,
    recipient,
    kind: str,
    title: Text,
    url: str,
    reference: Text = "",
    visit=None,
    detail: str = "",
) -> Notification | None:
    """One notification for `recipient` (None when they may not receive it: a partner not on
    the visit, an inactive or authority user), written in their language; its e-mail as their
    preference says."""
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind {kind!r}.")
    if not _may_receive(recipient, visit):
        return None
    delivery, language = preference_of(recipient)
    with translation.override(language):
        title, reference = _written(title), _written(reference)
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        title=title[:255],
        reference=reference[:100],
        url=url,
        visit=visit,
        detail=detail,
        email_pending=delivery == Delivery.DIGEST and bool(recipient.email),
    )
    transaction.on_commit(lambda: work.forget_count(recipient.pk))
    if delivery == Delivery.IMMEDIATE and recipient.email:
        from . import tasks  # tasks imports this module

        pk = notification.pk
        transaction.on_commit(lambda: tasks.send_notification_email.delay(pk))
    return notification


def notify(recipients: Iterable, *, by=None, **fields) -> list[Notification]:
    """`notification_create` for each distinct recipient but `by` (nobody is told of their own
    action)."""
    seen, created = set(), []
    for user in recipients:
        if user is None or user.pk in seen or (by is not None and user.pk == by.pk):
            continue
        seen.add(user.pk)
        if notification := notification_create(recipient=user, **fields):
            created.append(notification)
    return created


def notification_mark_read(*, user, pk: int | None = None) -> int:
    """Mark one of the user's notifications read (`pk`), or all of them; the number marked."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    count = unread.update(read_at=timezone.now())
    return count


# The attribute `with_unread_count` sets on a user read by the login backend.
UNREAD_ATTR = "unread_notification_count"


def with_unread_count(users):
    """`users` with each one's unread notifications counted (up to UNREAD_SHOWN + 1) in the same
    query, off the inbox index (recipient, read_at, created_at): what the login backend reads
    the request's user with (npm_portal.security.lockout.ThrottledModelBackend.get_user)."""
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("pk")[: UNREAD_SHOWN + 1]
    )
    return users.annotate(**{UNREAD_ATTR: SubqueryCount(unread)})


class SubqueryCount(Subquery):
    """COUNT(*) over a (limited) subquery."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


def unread_count(user) -> int:
    """The header's figure (at most UNREAD_SHOWN + 1), the same on every page. An NPM user's
    comes with the user (`with_unread_count`: no query of its own). A partner's is counted here
    (one query on the inbox index with a LIMIT), because it depends on the teams they are on.
    Not cached: a partner's teams change without telling this app."""
    if not is_partner_only(user) and hasattr(user, UNREAD_ATTR):
        return getattr(user, UNREAD_ATTR)
    unread = Notification.objects.for_user(user).unread().values_list("pk", flat=True)
    return len(unread[: UNREAD_SHOWN + 1])


def link(path: str) -> str:
    return settings.NPM_BASE_URL.rstrip("/") + path


def _subject(notification: Notification) -> str:
    label = str(Kind(notification.kind).label)
    return f"{label}: {notification.reference}" if notification.reference else label


def email_send(pk: int) -> int:
    """The e-mail of one notification (immediate delivery); 0 when already sent."""
    notification = (
        Notification.objects.select_related("recipient").filter(pk=pk, emailed_at=None).first()
    )
    if notification is None or not notification.recipient.email:
        return 0
    with translation.override(language_of(notification.recipient)):
        body = render_to_string(
            "emails/notification_single.txt",
            {
                "notification": notification,
                "kind_label": Kind(notification.kind).label,
                "link": link(notification.url),
                "settings_link": link(reverse("notifications:settings")),
                "npm_name": settings.NPM_NAME,
            },
        )
        subject = _subject(notification)
    sent = send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [notification.recipient.email])
    Notification.objects.filter(pk=pk).update(emailed_at=timezone.now(), email_pending=False)
    return sent


def digest_send(*, now: dt.datetime | None = None) -> int:
    """One e-mail per user with the notifications waiting for their daily digest; the number of
    e-mails sent. Users who switched e-mail off since get none (the notifications stay in the
    app)."""
    now = now or timezone.now()
    pending = (
        Notification.objects.filter(email_pending=True)
        .select_related("recipient")
        .order_by("recipient_id", "created_at", "pk")
    )
    sent = 0
    for _recipient_pk, group in itertools.groupby(pending, key=lambda n: n.recipient_id):
        items = list(group)
        recipient = items[0].recipient
        pks = [item.pk for item in items]
        delivery, language = preference_of(recipient)
        if recipient.email and recipient.is_active and delivery != Delivery.OFF:
            with translation.override(language):
                body = render_to_string(
                    "emails/notification_digest.txt",
                    {
                        "items": [
                            {"kind_label": Kind(n.kind).label, "n": n, "link": link(n.url)}
                            for n in items
                        ],
                        "settings_link": link(reverse("notifications:settings")),
                        "npm_name": settings.NPM_NAME,
                    },
                )
                subject = _("Your notifications of the day: %(count)d") % {"count": len(items)}
            sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
            Notification.objects.filter(pk__in=pks).update(emailed_at=now, email_pending=False)
        else:
            Notification.objects.filter(pk__in=pks).update(email_pending=False)
    return sent


@transaction.atomic
def preference_set(*, user, delivery: str, language: str | None = None) -> NotificationPreference:
    """Save how the user's notifications reach them; `language` None keeps the one chosen."""
    if delivery not in Delivery.values:
        raise ValueError(f"Unknown delivery {delivery!r}.")
    defaults = {"delivery": delivery}
    if language is not None:
        if language and language not in dict(settings.LANGUAGES):
            raise ValueError(f"Unknown language {language!r}.")
        defaults["language"] = language
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults=defaults
    )
    if delivery == Delivery.OFF:
        Notification.objects.filter(recipient=user, email_pending=True).update(email_pending=False)
    return preference
