"""Check the access log's hash chain, in the database or in an export (CSV) an auditor holds."""

from __future__ import annotations

import csv
import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from visits.audit import CHAIN_FIELDS, ChainReport, verify_access_log, verify_chain

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_entries(path: str):
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            missing = [name for name in CHAIN_FIELDS if name not in row]
            if missing:
                raise CommandError(f"{path}: not an access-log export (no {', '.join(missing)}).")
            # Undo the export's spreadsheet guard (a leading apostrophe before = + - @).
            entry = {
                name: value[1:] if value[:1] == "'" and value[1:2] in FORMULA_START else value
                for name, value in row.items()
            }
            entry["created_at"] = dt.datetime.fromisoformat(entry["created_at"])
            for name in ("user_id", "visit_id", "ip"):
                entry[name] = entry[name] or None
            yield entry


class Command(BaseCommand):
    help = (
        "Verify the access log's hash chain: every entry's hash matches its content and the "
        "entry before it. Names the first broken link and exits with status 1 if there is one. "
        "--file checks an export (CSV from the access-log page) instead of the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", help="An access-log export (CSV) to check.")

    def handle(self, *args, file: str | None = None, **options) -> None:
        report: ChainReport = verify_chain(_csv_entries(file)) if file else verify_access_log()
        source = file or "the database"
        if report.first_id is None:
            self.stdout.write(f"No access-log entries in {source}.")
            return
        start = f"from entry #{report.first_id}"
        if report.starts_after_deleted:
            start += " (earlier entries were deleted by retention or are outside the export)"
        if report.ok:
            self.stdout.write(f"Access log intact: {report.checked} entries checked {start}.")
            self.stdout.write(f"Last entry's hash: {report.last_hash}")
            return
        raise CommandError(
            f"Access log broken at entry #{report.broken_at}: {report.reason}. "
            f"{report.checked} entries before it check out ({start})."
        )
