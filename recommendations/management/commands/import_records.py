"""`manage.py import_records FILE [--dry-run] [--create-places] [--by USERNAME]` and
`manage.py import_records --undo BATCH_ID`: the same services as the import page."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from recommendations.imports.service import records_import
from recommendations.imports.undo import import_undo
from recommendations.models import ImportBatch


class Command(BaseCommand):
    help = (
        "Import visits and recommendations of past years from an XLSX or CSV file, or undo "
        "an import."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="the XLSX or CSV file")
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        parser.add_argument(
            "--create-places",
            action="store_true",
            help="create places and authorities that match no name (the place needs a category)",
        )
        parser.add_argument("--by", metavar="USERNAME", help="the user the import is recorded as")
        parser.add_argument("--undo", type=int, metavar="BATCH_ID", help="undo this import")

    def handle(
        self, *args, file=None, dry_run=False, create_places=False, by=None, undo=None, **options
    ):
        user = None
        if by:
            user = get_user_model().objects.filter(username=by).first()
            if user is None:
                raise CommandError(f"No user is named {by}.")
        try:
            if undo is not None:
                return self._undo(undo, user)
            if not file:
                raise CommandError("Give the file to import, or --undo BATCH_ID.")
            return self._import(Path(file), dry_run=dry_run, create_places=create_places, user=user)
        except PermissionDenied as error:
            raise CommandError(f"{by} may not import records.") from error

    def _undo(self, pk: int, user) -> None:
        batch = ImportBatch.objects.filter(pk=pk).first()
        if batch is None:
            raise CommandError(f"No import #{pk}.")
        try:
            removed = import_undo(batch=batch, by=user)
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        total = sum(removed.values())
        self.stdout.write(f"Import #{pk} undone: {total} rows removed ({_counts(removed)}).")

    def _import(self, path: Path, *, dry_run: bool, create_places: bool, user) -> None:
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        data = path.read_bytes()
        result = records_import(
            data=data,
            file_name=path.name,
            create_places=create_places,
            dry_run=dry_run,
            by=user,
        )
        plan = result.plan
        for kind, names in plan.unmatched.items():
            for name, rows in names.items():
                rows_text = ", ".join(str(r) for r in rows)
                self.stdout.write(f"Unmatched {kind}: {name} (rows {rows_text})")
        if plan.errors:
            for error in plan.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(plan.errors)} errors: nothing was imported.")
        counts = _counts(plan.counts())
        if dry_run:
            self.stdout.write(
                f"Dry run of {path.name} (SHA-256 {result.sha256}): no errors; "
                f"would create {counts}."
            )
            return
        self.stdout.write(f"Import #{result.batch.pk} of {path.name}: {counts}.")


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in counts.items() if n)
