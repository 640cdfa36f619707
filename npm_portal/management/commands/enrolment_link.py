from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from npm_portal.security.enrolment import link_issue


class Command(BaseCommand):
    help = (
        "Print a one-time enrolment link for USERNAME (valid NPM_ENROLMENT_LINK_HOURS): how the "
        "first administrator sets up two-factor login, since nobody can issue them a link yet. "
        "The user opens it, logs in with their password and scans the QR code."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--base-url",
            default="",
            help="The site's address, e.g. https://npm.example.org (default: the first "
            "CSRF_TRUSTED_ORIGINS entry, else only the path is printed).",
        )
        parser.add_argument(
            "--email", action="store_true", help="Also e-mail the link to the user's address."
        )

    @transaction.atomic
    def handle(self, *args, username: str, base_url: str, email: bool, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        base_url = base_url or next(iter(settings.CSRF_TRUSTED_ORIGINS), "")
        try:
            issued = link_issue(user=user, by=None, email=email, base_url=base_url)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(issued.url)
        until = issued.link.expires_at.isoformat(timespec="minutes")
        self.stderr.write(f"Valid once, for {username} only, until {until}.")
        if email:
            sent = "not sent (see the log)" if issued.email_failed else f"sent to {user.email}"
            self.stderr.write(f"E-mail {sent}.")
