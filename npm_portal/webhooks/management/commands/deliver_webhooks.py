"""Send the webhook deliveries that are due (first attempts without a broker, and retries).
Celery beat runs it every minute when Celery is configured; otherwise run it from cron."""

from django.core.management.base import BaseCommand

from npm_portal.webhooks.tasks import deliver_due_webhooks


class Command(BaseCommand):
    help = "Send the webhook deliveries that are due (first attempts and retries)."

    def handle(self, *args, **options):
        count = deliver_due_webhooks()
        if options["verbosity"]:
            self.stdout.write(f"{count} webhook deliveries due.")
