from django.conf import settings
from django.core.management.base import BaseCommand

from npm_portal.security.retention import identities_apply_retention


class Command(BaseCommand):
    help = (
        "Delete interviewee identities older than NPM_IDENTITY_RETENTION_DAYS (and any history "
        "copies). Run daily. --dry-run lists what would go."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List only; delete nothing.")

    def handle(self, *args, dry_run: bool = False, **options):
        listing = identities_apply_retention(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        days = settings.NPM_IDENTITY_RETENTION_DAYS
        self.stdout.write(
            f"{verb} {len(listing)} interviewee identities recorded more than {days} days ago."
        )
        for item in listing:
            self.stdout.write(f"  {item.interview_code}  recorded {item.recorded_on:%Y-%m-%d}")
