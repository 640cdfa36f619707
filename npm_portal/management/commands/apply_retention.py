import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from npm_portal.security.retention import identities_apply_retention
from visits.audit import purge_access_log
from visits.models import AccessLog


class Command(BaseCommand):
    help = (
        "Delete interviewee identities older than NPM_IDENTITY_RETENTION_DAYS (and any history "
        "copies), and access-log entries older than NPM_ACCESS_LOG_RETENTION_DAYS (oldest "
        "first; the deletion is itself logged). Run daily. --dry-run lists what would go."
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
        log_days = settings.NPM_ACCESS_LOG_RETENTION_DAYS
        if log_days <= 0:
            self.stdout.write(
                "Access-log entries are kept for ever (NPM_ACCESS_LOG_RETENTION_DAYS=0)."
            )
            return
        cutoff = timezone.now() - dt.timedelta(days=log_days)
        if dry_run:
            count = AccessLog.objects.filter(created_at__lt=cutoff).count()
        else:
            count = purge_access_log(before=cutoff)
        self.stdout.write(f"{verb} {count} access-log entries older than {log_days} days.")
