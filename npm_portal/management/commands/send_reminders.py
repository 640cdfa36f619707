from collections.abc import Callable

from django.core.management.base import BaseCommand

from npm_portal.authority_portal.reminders import authority_user_reminders_send, escalations_run
from partners.services import agreement_expiry_reminders_send
from recommendations.reminders import response_reminders_send

# Each reminder sends what is due today and returns how many e-mails it sent. Later features
# (recommendation response deadlines, follow-up checks) add theirs here.
REMINDERS: list[tuple[str, Callable[[], int]]] = [
    ("partner agreements expiring", agreement_expiry_reminders_send),
    ("recommendation responses due", response_reminders_send),
    ("authority portal users' deadlines", authority_user_reminders_send),
    ("overdue recommendations escalated", escalations_run),
]


class Command(BaseCommand):
    help = "E-mail the reminders that are due (run daily, e.g. from cron or Celery beat)."

    def handle(self, *args, **options) -> None:
        total = 0
        for label, send in REMINDERS:
            sent = send()
            total += sent
            self.stdout.write(f"{label}: {sent} e-mail(s) sent")
        self.stdout.write(self.style.SUCCESS(f"Reminders sent: {total}."))
