from django.core.management.base import BaseCommand
from django.db import transaction

from visits.models import Interview, InterviewIdentity


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field with the first key of FIELD_ENCRYPTION_KEY "
        "(run after putting a new key first; the old keys can be removed afterwards)."
    )

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        count = 0
        # Loading decrypts with any listed key; saving encrypts with the first one.
        for identity in InterviewIdentity.objects.select_for_update().iterator():
            identity.save(update_fields=InterviewIdentity.FIELDS)
            count += 1
        # Interview notes, and their history copies, are encrypted too.
        notes = 0
        for model in (Interview, Interview.history.model):
            for row in model.objects.exclude(notes="").select_for_update().iterator():
                model.objects.filter(pk=row.pk).update(notes=row.notes)
                notes += 1
        self.stdout.write(
            f"Re-encrypted {count} interviewee identities and {notes} interview notes."
        )
