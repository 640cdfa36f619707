"""Re-encrypt everything encrypted at rest with the first key of FIELD_ENCRYPTION_KEY: every
encrypted column of every model (history models included), found by its field class, and every
stored file. Put the new key first, run this, then remove the old key."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from core.crypto import EncryptedMixin, fernet


def encrypted_columns() -> list[tuple[str, str, str]]:
    """(table, primary key column, column) of every encrypted field of every installed model."""
    found = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedMixin):
                found.add((model._meta.db_table, model._meta.pk.column, field.column))
    return sorted(found)


def rotate_column(table: str, pk: str, column: str, batch: int) -> int:
    """Rotate one column, `batch` rows per transaction; returns how many values were rewritten.
    Values already under the first key are left as they are (the command can be run again);
    compare-and-set: a value the app changed meanwhile (so under the first key) is left too."""
    keys, quote = fernet(), connection.ops.quote_name
    first = Fernet(settings.FIELD_ENCRYPTION_KEY[0])
    table, pk, column = quote(table), quote(pk), quote(column)
    # Names come from the models, never from input; values are parameters.
    select = f"SELECT {pk}, {column} FROM {table} WHERE {column} IS NOT NULL AND {column} <> ''"  # noqa: S608  # nosec B608
    update = f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s"  # noqa: S608  # nosec B608
    count, last = 0, None
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            if last is None:
                cursor.execute(f"{select} ORDER BY {pk} LIMIT %s", [batch])
            else:
                cursor.execute(f"{select} AND {pk} > %s ORDER BY {pk} LIMIT %s", [last, batch])
            rows = cursor.fetchall()
            for key, token in rows:
                if _readable(first, token):
                    continue
                try:
                    rotated = keys.rotate(token.encode()).decode()
                except InvalidToken as error:
                    raise CommandError(
                        f"{table}.{column} of row {key} cannot be read with any key in "
                        "FIELD_ENCRYPTION_KEY."
                    ) from error
                cursor.execute(update, [rotated, key, token])
                count += cursor.rowcount
        if len(rows) < batch:
            return count
        last = rows[-1][0]


def _readable(key: Fernet, token: str) -> bool:
    try:
        key.decrypt(token.encode())
    except InvalidToken:
        return False
    return True


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field and every stored file with the first key of "
        "FIELD_ENCRYPTION_KEY (run after putting a new key first; the old keys can be removed "
        "afterwards). Stored files still in clear are encrypted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--skip-files", action="store_true", help="Only the database, not the stored files."
        )

    def handle(self, *args, batch_size: int, skip_files: bool, **options) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        columns = encrypted_columns()
        values = 0
        for table, pk, column in columns:
            rotated = rotate_column(table, pk, column, batch_size)
            values += rotated
            if options["verbosity"] > 1:
                self.stdout.write(f"{table}.{column}: {rotated}")
        self.stdout.write(
            f"Re-encrypted {values} values in {len(columns)} encrypted columns "
            "(values already under the first key are left as they are)."
        )
        if skip_files:
            return
        if not hasattr(default_storage, "rewrite_encrypted"):
            raise CommandError(
                "The default storage does not encrypt files "
                "(npm_portal.security.storage.MetadataStrippingStorage does)."
            )
        outcomes = {"rotated": 0, "encrypted": 0, "current": 0}
        for name in default_storage.stored_names():
            outcomes[default_storage.rewrite_encrypted(name)] += 1
        self.stdout.write(
            f"Stored files: {outcomes['rotated']} re-encrypted, {outcomes['encrypted']} "
            f"encrypted (were in clear), {outcomes['current']} already under the first key."
        )
