from django.core.management.base import BaseCommand

from npm_portal.demo import load_demo, logins_table


class Command(BaseCommand):
    help = "Load the demo data (idempotent: only what is missing is created)."

    def handle(self, *args, **options) -> None:
        totals = load_demo()
        summary = ", ".join(f"{n} {what}" for what, n in totals.items())
        self.stdout.write(f"Demo data loaded; created: {summary}.")
        self.stdout.write(logins_table())
