"""Timing one page in a child process of the page benchmark: its status, size, SQL queries and
p50 / p95 over BENCH_RUNS requests after warm-up; for a streamed response also the time to the
first chunk. And one export's peak memory, in a process of its own."""

from __future__ import annotations

import os
import re
import resource
import statistics
import time
from dataclasses import asdict, dataclass, field

RUNS = int(os.environ.get("BENCH_RUNS", "30"))
WARM_UP = 3
# A page slower than this many seconds in all stops after MIN_RUNS timed requests (it misses
# every budget by far; 30 requests of a 16-second page would take eight minutes).
PAGE_SECONDS = float(os.environ.get("BENCH_PAGE_SECONDS", "60"))
MIN_RUNS = 5
TRANSACTION_CONTROL = re.compile(r"(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b")


def setup_django() -> None:
    """Django as `make bench` runs it: DEBUG off, the settings the test suite relaxes
    (tests/conftest.py) relaxed the same way. The test environment's template instrumentation
    is left out on purpose: it copies every template context, which production does not."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "npm_portal.settings")
    import django

    django.setup()
    import logging

    from django.conf import settings

    # django-axes reports every force_login at INFO: not benchmark output.
    logging.getLogger("axes").setLevel(logging.WARNING)

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Plain HTTP, and `Client.force_login` is a password-only login: with NPM_REQUIRE_2FA the
    # TwoFactorMiddleware would send every page to the code step. Time the pages, not that.
    settings.SECURE_SSL_REDIRECT = False
    settings.NPM_REQUIRE_2FA = False
    settings.NPM_REQUIRE_REAUTH = False
    settings.NPM_OPEN_DATA_RATE = ""
    settings.NPM_OPEN_DATA_BULK_RATE = ""


def client_for(username: str | None):
    """A test client logged in as `username` (anonymous for None)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    # A failing view answers 500 in the table instead of ending the run.
    client = Client(raise_request_exception=False)
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


@dataclass
class Fetch:
    status: int
    size: int
    first_ms: float
    total_ms: float
    streaming: bool
    content_type: str


def fetch(client, url: str, keep: list | None = None) -> Fetch:
    """One GET, the body consumed (a streamed body chunk by chunk); `keep` collects the body."""
    start = time.perf_counter()
    response = client.get(url)
    if response.streaming:
        first, size = None, 0
        for chunk in response.streaming_content:
            if first is None:
                first = time.perf_counter()
            size += len(chunk)
            if keep is not None:
                keep.append(chunk)
        response.close()
        end = time.perf_counter()
        first = first or end
    else:
        body = response.content
        size = len(body)
        if keep is not None:
            keep.append(body)
        # Nothing reaches the client before the whole body exists.
        end = first = time.perf_counter()
    return Fetch(
        status=response.status_code,
        size=size,
        first_ms=(first - start) * 1000,
        total_ms=(end - start) * 1000,
        streaming=response.streaming,
        content_type=response.get("Content-Type", ""),
    )


def p95(samples: list[float]) -> float:
    if len(samples) < 2:
        return samples[0]
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


@dataclass
class PageResult:
    name: str
    url: str
    user: str | None
    kind: str
    status: int
    size: int
    streaming: bool
    content_type: str
    queries: int
    cold_ms: float
    runs: int = 0
    p50: float = 0.0
    p95: float = 0.0
    first_p50: float = 0.0
    first_p95: float = 0.0
    # Not in `queries`: BEGIN/COMMIT of the request's transaction (ATOMIC_REQUESTS) and of the
    # access log's entry. The test suite, inside its own transaction, sees SAVEPOINTs instead
    # (and not always as many), so both count the statements that read or write.
    transaction_statements: int = 0
    queries_warm: int | None = None
    rows: int | None = None
    sql: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        data = asdict(self)
        for key in ("cold_ms", "p50", "p95", "first_p50", "first_p95"):
            data[key] = round(data[key], 1)
        return data


def _transaction_control(captured) -> int:
    return sum(1 for query in captured.captured_queries if TRANSACTION_CONTROL.match(query["sql"]))


def measure(name: str, url: str, user: str | None, kind: str, rows: int | None = None) -> dict:
    """Cold request (cache emptied) with its queries captured, warm-up, then the timed runs."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(user)
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        cold = fetch(client, url)
    result = PageResult(
        name=name,
        url=url,
        user=user,
        kind=kind,
        status=cold.status,
        size=cold.size,
        streaming=cold.streaming,
        content_type=cold.content_type,
        queries=len(captured) - _transaction_control(captured),
        cold_ms=cold.total_ms,
        rows=rows,
        sql=[query["sql"][:400] for query in captured.captured_queries],
    )
    result.transaction_statements = _transaction_control(captured)
    if cold.status != 200:
        return result.as_dict()
    for index in range(WARM_UP):
        if index == WARM_UP - 1:
            # Once warm: a page that caches may run fewer queries than it does cold.
            with CaptureQueriesContext(connection) as captured:
                fetch(client, url)
            result.queries_warm = len(captured) - _transaction_control(captured)
        else:
            fetch(client, url)
    totals, firsts = [], []
    started = time.perf_counter()
    while len(totals) < RUNS:
        sample = fetch(client, url)
        totals.append(sample.total_ms)
        firsts.append(sample.first_ms)
        if len(totals) >= MIN_RUNS and time.perf_counter() - started > PAGE_SECONDS:
            break
    result.runs = len(totals)
    result.p50, result.p95 = statistics.median(totals), p95(totals)
    result.first_p50, result.first_p95 = statistics.median(firsts), p95(firsts)
    return result.as_dict()


def _peak_rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux


def export_memory(kind: str, query: str, user: str) -> dict:
    """One export streamed in this (fresh) process: the growth of its peak RSS over the process
    as it stood after a warm-up export of nothing (imports, templates, connection), the time
    to the first chunk and the whole download."""
    from django.http import QueryDict

    from recommendations.models import Recommendation
    from recommendations.queries.filters import RecommendationFilter

    client = client_for(user)
    path = f"/recommendations/export.{kind}"
    warm = fetch(client, f"{path}?q=no-such-text-in-any-recommendation-zz")
    before = _peak_rss_kb()
    sample = fetch(client, f"{path}?{query}" if query else path)
    after = _peak_rss_kb()
    rows = RecommendationFilter(QueryDict(query) or None, queryset=Recommendation.objects.all())
    return {
        "kind": kind,
        "url": f"{path}?{query}" if query else path,
        "rows": rows.qs.count(),
        "status": sample.status,
        "warm_up_status": warm.status,
        "streaming": sample.streaming,
        "bytes": sample.size,
        "first_ms": round(sample.first_ms, 1),
        "total_ms": round(sample.total_ms, 1),
        "rss_before_mb": round(before / 1024, 1),
        "rss_peak_mb": round(after / 1024, 1),
        "rss_growth_mb": round((after - before) / 1024, 1),
    }
