"""Tell compliance officers of the responses that became overdue, then send each user who
chose the daily digest one e-mail with their pending notifications.
Celery beat runs it daily when Celery is configured; otherwise run it from cron."""

from django.core.management.base import BaseCommand

from npm_portal.notifications.tasks import send_digest


class Command(BaseCommand):
    help = "Send the daily digest of notifications to the users who chose it."

    def handle(self, *args, **options):
        count = send_digest()
        if options["verbosity"]:
            self.stdout.write(f"{count} notification digest(s) sent.")
