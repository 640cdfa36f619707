"""Pages of recommendations whose total is not counted again on every view.

A COUNT(*) over a filtered decade of recommendations costs tens to hundreds of milliseconds on
every page of the tracker and the portal, and the total changes only when something is written.
`CachedCountPaginator` keeps each total (one per distinct query: the filters and who is looking
are in its SQL) under the figures' version token (`recommendations.cache`), which every write to
a recommendation, its addressees, letters, assessments or reports replaces: the first view after
a write counts, the next ones read the total back."""

from __future__ import annotations

import hashlib

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from .cache import cached


class CachedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        query = getattr(self.object_list, "query", None)
        if query is None:  # a list, not a queryset
            return super().count
        sql, params = query.sql_with_params()
        digest = hashlib.sha256(f"{sql}\x00{params!r}".encode()).hexdigest()
        return cached("count", (digest,), self.object_list.count)
