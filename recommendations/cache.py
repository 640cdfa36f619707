"""The compliance figures, cached until something they count is written.

Every cached value's key holds a version token (`VERSION_KEY`). Whatever changes a figure bumps
it (`figures_changed`, called by the receivers in `signals`): the old entries are never read
again and expire. The token is bumped at once, for reads later in the same transaction, and
again when the transaction commits, so that a summary computed by another request from the data
as it stood before the commit is not kept under the new token.

`TIMEOUT` is a safety net, not the invalidation: writes that bypass the signals (raw SQL, bulk
loads in another process) and caches local to each process (the default local-memory cache
under several workers: set CACHE_URL to a shared cache) show figures at most that old.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.utils import translation

logger = logging.getLogger(__name__)

VERSION_KEY = "recommendations:figures:version"
TIMEOUT = 10 * 60

T = TypeVar("T")


def version() -> str:
    """The current token; a new one when there is none (never cached, or evicted)."""
    token = cache.get(VERSION_KEY)
    if token is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(VERSION_KEY)  # whoever added first
    return token


def _bump() -> None:
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # a write must not fail because the cache is away: the TIMEOUT bounds it
        logger.exception("Could not invalidate the cached compliance figures")


def figures_changed() -> None:
    """Something the compliance figures count was written: the cached figures are stale."""
    _bump()
    transaction.on_commit(_bump, robust=True)


def cached(name: str, parts: tuple, compute: Callable[[], T]) -> T:
    """`compute()`, cached under `name`, the current token, the language and `parts` (the
    period, filters, the day)."""
    key = ":".join(
        ["recommendations", name, version(), translation.get_language() or "", *map(str, parts)]
    )
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
