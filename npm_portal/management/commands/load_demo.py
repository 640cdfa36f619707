from django.core.management.base import BaseCommand
from django.db import transaction

from npm_portal import demo as users_demo
from partners import demo as partners_demo
from recommendations import demo as recommendations_demo
from visits import demo as registry_demo
from visits import visit_demo


class Command(BaseCommand):
    help = "Load the demo data (idempotent: only what is missing is created)."

    # Each loader creates what is missing and returns {what: how many created}.
    loaders = [
        users_demo.load,
        partners_demo.load,
        registry_demo.load,
        visit_demo.load,
        recommendations_demo.load,
    ]

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        totals: dict[str, int] = {}
        for loader in self.loaders:
            totals.update(loader())
        summary = ", ".join(f"{n} {what}" for what, n in totals.items())
        self.stdout.write(f"Demo data loaded; created: {summary}.")
        self.stdout.write(users_demo.logins_table())
