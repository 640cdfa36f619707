from django.core.management.base import BaseCommand

from visits.pdf.pruning import preview_ttl, prune_previews


class Command(BaseCommand):
    help = (
        "Delete draft preview PDFs (rows and files) older than NPM_PREVIEW_TTL_HOURS (24 by "
        "default), and every preview that a newer one by the same user for the same report "
        "replaced. The issued report's PDFs are never touched. Run hourly or daily (cron or "
        "Celery beat: the task visits.tasks.prune_previews). --dry-run only counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count only; delete nothing.")

    def handle(self, *args, dry_run: bool = False, **options):
        count = prune_previews(dry_run=dry_run)
        ttl = preview_ttl()
        verb = "Would delete" if dry_run else "Deleted"
        if ttl is None:
            which = "replaced by a newer one (no expiry by age: NPM_PREVIEW_TTL_HOURS <= 0)"
        else:
            which = f"older than {ttl.total_seconds() / 3600:g} hours or replaced by a newer one"
        self.stdout.write(f"{verb} {count} draft previews {which}.")
