"""Writing the planned rows: `bulk_create` in batches, with ids chosen in advance so that rows
can point at each other before they are written (the sequences are moved past them at the end),
one progress line per table."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from itertools import islice

from django.core.management.color import no_style
from django.db import connection, models

BATCH_SIZE = 5000


class Writer:
    def __init__(self, stdout=None):
        self.stdout = stdout
        self.counts: dict[str, int] = {}
        self._next: dict[type[models.Model], int] = {}
        self._written: list[type[models.Model]] = []
        self._started = time.perf_counter()

    def ids(self, model: type[models.Model], count: int) -> range:
        """`count` fresh primary keys of `model`, after any row already there."""
        if model not in self._next:
            last = model._base_manager.aggregate(last=models.Max("pk"))["last"]
            self._next[model] = (last or 0) + 1
        first = self._next[model]
        self._next[model] = first + count
        return range(first, first + count)

    def one_id(self, model: type[models.Model]) -> int:
        return self.ids(model, 1)[0]

    def write(
        self,
        name: str,
        model: type[models.Model],
        rows: Iterable[models.Model],
        *,
        created_at: bool = False,
    ) -> int:
        """Insert `rows` (model instances with their pk set) in batches; returns how many.
        `created_at`: every row carries its own `created_at`, to be kept (`_keeping_created_at`)."""
        started = time.perf_counter()
        total = 0
        iterator: Iterator[models.Model] = iter(rows)
        with _keeping_created_at(model) if created_at else nullcontext():
            while batch := list(islice(iterator, BATCH_SIZE)):
                model._base_manager.bulk_create(batch)
                total += len(batch)
        self.counts[name] = self.counts.get(name, 0) + total
        if model not in self._written:
            self._written.append(model)
        self.say(f"{name:<28} {total:>9,} rows {time.perf_counter() - started:7.1f} s")
        return total

    @staticmethod
    def _lap(started: float) -> float:
        return time.perf_counter() - started

    def elapsed(self) -> float:
        return time.perf_counter() - self._started

    def say(self, line: str) -> None:
        if self.stdout is not None:
            self.stdout.write(line + "\n")  # a plain file, or a command's (adds none then)
            flush = getattr(self.stdout, "flush", None)
            if flush is not None:
                flush()

    @contextmanager
    def checks_and_indexes_after(self, models_: list[type[models.Model]]):
        """PostgreSQL: load as pg_restore does. A foreign key checked row by row and an index
        kept up row by row cost far more than one check of the whole table and one sorted
        build, so the foreign keys and the plain (non-unique) indexes of the loaded tables are
        dropped for the load and put back at the end, with their own definitions; putting a
        foreign key back checks every row. Primary keys, unique constraints and check
        constraints stay in force throughout. All in the caller's transaction: a failed load
        rolls everything back, the dropped definitions included."""
        if connection.vendor != "postgresql":
            yield
            return
        tables = [model._meta.db_table for model in models_]
        with connection.cursor() as cursor:
            _run_deferred_checks(cursor)
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) "
                "ORDER BY 1, 2",
                [tables],
            )
            foreign_keys = cursor.fetchall()
            cursor.execute(
                "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                "WHERE indrelid = ANY(%s::regclass[]) AND NOT indisunique ORDER BY 1",
                [tables],
            )
            indexes = cursor.fetchall()
            quote = connection.ops.quote_name
            for table, name, _definition in foreign_keys:
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {quote(name)}")
        yield
        started = time.perf_counter()
        with connection.cursor() as cursor:
            _run_deferred_checks(cursor)
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _name, definition in indexes:
                cursor.execute(definition)
            self.say(f"{'indexes built':<28} {len(indexes):>9}      {self._lap(started):7.1f} s")
            started = time.perf_counter()
            for table, name, definition in foreign_keys:
                cursor.execute(
                    f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
                )
        seconds = self._lap(started)
        self.say(f"{'foreign keys checked':<28} {len(foreign_keys):>9}      {seconds:7.1f} s")

    def finish(self) -> None:
        """Move each table's id sequence past the ids given here (PostgreSQL; SQLite keeps
        AUTOINCREMENT at the highest id by itself)."""
        statements = connection.ops.sequence_reset_sql(no_style(), self._written)
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        # Planner statistics for the freshly loaded tables: without them PostgreSQL plans the
        # pages over bulk-loaded tables as if they were empty (and autovacuum comes later).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        total = sum(self.counts.values())
        self.say(f"{'total':<28} {total:>9,} rows {time.perf_counter() - self._started:7.1f} s")


@contextmanager
def _keeping_created_at(model: type[models.Model]):
    """`auto_now_add` stamps every inserted row with the time of writing; ten years of data need
    the time each row was made. Turned off for the insert only (a management command: one
    thread); an UPDATE afterwards would rewrite every row and all its indexes."""
    field = model._meta.get_field("created_at")
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = True


def _run_deferred_checks(cursor) -> None:
    """No table may be altered while deferred checks on it are pending: run them now rather than
    at commit, then defer again as Django has it."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
