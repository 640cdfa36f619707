"""Reads from the read replica (DATABASE_REPLICA_URL), only where a view asks for it.

    from core.replica import reads_from_replica

    @reads_from_replica
    def dashboard(request): ...

    with reads_from_replica():
        figures = compliance_summary(year)

Inside, every read goes to the "replica" database; writes, `select_for_update()` and
`get_or_create()` still go to default, and so does everything outside and everything when no
replica is configured. A replica lags its primary by a moment: use it for pages that only read
(dashboards, the public portal, exports), never to read back what the same request wrote. The
decorator also covers a streamed response (an export) while each of its chunks is made."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

# Per thread and per asyncio task: one request's decorator never reaches another request.
_reading_from_replica: ContextVar[bool] = ContextVar("npm_reading_from_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextmanager
def _replica_reads() -> Iterator[None]:
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


def reads_from_replica(view: Callable | None = None):
    """`@reads_from_replica` on a view, or `with reads_from_replica():` around a block."""
    if view is None:
        return _replica_reads()

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        with _replica_reads():
            response = view(*args, **kwargs)
        if getattr(response, "streaming", False) and not getattr(response, "is_async", False):
            response.streaming_content = _each_chunk_from_replica(response.streaming_content)
        return response

    return wrapper


def _each_chunk_from_replica(chunks: Iterable) -> Iterator:
    # Set and reset around each chunk, not once around the whole stream: between chunks the
    # thread (or, under ASGI, another one) may serve something else.
    iterator = iter(chunks)
    while True:
        with _replica_reads():
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk


class ReplicaRouter:
    """DATABASE_ROUTERS: reads inside `reads_from_replica` to the replica, all else to default
    (explicitly: left to Django, an object read from the replica would be saved back there)."""

    def db_for_read(self, model, **hints) -> str:
        if _reading_from_replica.get() and replica_configured():
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # The same rows on both: an object read from the replica may point to one from default.
        databases = {obj1._state.db, obj2._state.db}
        if databases <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        # The replica copies default's schema; nothing is ever migrated on it.
        if db == REPLICA:
            return False
        return None
