"""The authority portal's background work: its notification e-mails go through the task queue
(Celery when CELERY_BROKER_URL is set; inline otherwise, CELERY_TASK_ALWAYS_EAGER)."""

from __future__ import annotations

from celery import shared_task

from . import notifications

# The events a task may send: their names are the task's `kind`.
KINDS = {
    function.__name__: function
    for function in (
        notifications.sent_for_signoff,
        notifications.returned,
        notifications.submitted,
        notifications.clarification_requested,
    )
}


@shared_task(name="npm_portal.authority_portal.tasks.send_notification")
def send_notification(kind: str, submission_pk: int) -> int:
    """Send the `kind` mail about one submission; returns the number of e-mails sent."""
    try:
        send = KINDS[kind]
    except KeyError:
        raise ValueError(f"Unknown notification {kind!r}.") from None
    return send(submission_pk)
