"""Project-wide background tasks (Celery when configured, inline otherwise)."""

from celery import shared_task
from django.core.management import call_command


@shared_task(name="npm_portal.tasks.send_reminders")
def send_reminders() -> None:
    """The daily reminders, on Celery beat's schedule (CELERY_BEAT_SCHEDULE)."""
    call_command("send_reminders")


@shared_task(name="npm_portal.tasks.apply_retention")
def apply_retention() -> None:
    """Daily: identities and access-log entries past their retention period go."""
    call_command("apply_retention")


@shared_task(name="npm_portal.tasks.verify_access_log")
def verify_access_log() -> str:
    """Daily: check the access log's hash chain. A broken link raises (the task fails, and the
    worker logs it as an error for the monitoring to pick up); otherwise returns the last hash."""
    from visits.audit import verify_access_log as verify

    report = verify()
    if not report.ok:
        raise RuntimeError(f"Access log broken at entry #{report.broken_at}: {report.reason}.")
    return report.last_hash
