"""Notification e-mails through the task queue (Celery when CELERY_BROKER_URL is set; inline
otherwise, CELERY_TASK_ALWAYS_EAGER)."""

from __future__ import annotations

from celery import shared_task

from . import overdue, services


@shared_task(name="npm_portal.notifications.tasks.send_notification_email")
def send_notification_email(pk: int) -> int:
    """The e-mail of one notification (immediate delivery)."""
    return services.email_send(pk)


@shared_task(name="npm_portal.notifications.tasks.send_digest")
def send_digest() -> int:
    """Daily, on Celery beat's schedule: the notifications of responses that became overdue,
    then each user's digest of the day's notifications."""
    overdue.responses_overdue_notify()
    return services.digest_send()
