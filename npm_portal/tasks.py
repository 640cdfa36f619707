"""Project-wide background tasks (Celery when configured, inline otherwise)."""

from celery import shared_task
from django.core.management import call_command


@shared_task(name="npm_portal.tasks.send_reminders")
def send_reminders() -> None:
    """The daily reminders, on Celery beat's schedule (CELERY_BEAT_SCHEDULE)."""
    call_command("send_reminders")
