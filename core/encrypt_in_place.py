"""Migrations that turn clear columns into encrypted ones (and back): the existing values are
encrypted in place with raw SQL, since the encrypted fields' from_db_value would try to decrypt
clear text. Used by the migrations of every app that encrypts a column."""

from __future__ import annotations

from cryptography.fernet import InvalidToken

from .crypto import EncryptedBooleanField, decrypt, encrypt, fernet


def convert_columns(apps, schema_editor, app_label: str, columns, *, forward: bool) -> None:
    """Encrypt (or, backwards, decrypt) the existing values in place, with raw SQL: the fields'
    from_db_value would try to decrypt clear text. Booleans are stored as the token of "1" or
    "0" (PostgreSQL's cast to text gave 'true'/'false', SQLite's '1'/'0')."""
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    for model_name, fields in columns:
        model = apps.get_model(app_label, model_name)
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        for name in fields:
            field = model._meta.get_field(name)
            column = quote(field.column)
            boolean = isinstance(field, EncryptedBooleanField)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {pk}, {column} FROM {table} "  # noqa: S608  # nosec B608 - names from the models
                    f"WHERE {column} IS NOT NULL AND {column} <> ''"
                )
                rows = cursor.fetchall()
                for key, value in rows:
                    value = str(value)
                    try:
                        fernet().decrypt(value.encode())
                        encrypted = True
                    except InvalidToken:
                        encrypted = False
                    if forward and not encrypted:
                        if boolean:
                            value = "1" if value.lower() in ("1", "true", "t") else "0"
                        new = encrypt(value)
                    elif not forward and encrypted:
                        new = decrypt(value)
                    else:
                        continue
                    cursor.execute(
                        f"UPDATE {table} SET {column} = %s WHERE {pk} = %s",  # noqa: S608  # nosec B608
                        [new, key],
                    )
    if connection.vendor == "postgresql":
        # Run the deferred foreign key checks of the updated rows now: PostgreSQL refuses to
        # ALTER a table with pending trigger events (backwards, AlterField comes next).
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
