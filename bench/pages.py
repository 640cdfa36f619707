"""Page benchmark (`BENCH_ONLY=pages`, issue #12): the main pages timed against generated data at
scale 0.1 and 1 (BENCH_SCALES), each scale in its own PostgreSQL database (`bench.page_db`).

The parent prepares each database and runs one child process per scale (`python -m bench.pages
--scale S --out F`, DATABASE_URL set for it) that picks concrete URLs from the data
(`bench.page_urls`) and times them (`bench.page_measure`); then, at the largest scale, one
fresh process per export of ≥ 100,000 rows for its peak memory. The parent judges the budgets
(`bench.page_report`), prints the table and the missed budgets, writes
`benchmarks/results.json`, and returns 1 when a budget is missed.

Environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/npm_bench, the base name
of the per-scale databases), BENCH_SCALES ("0.1,1"), BENCH_RUNS (30), BENCH_PAGE_SECONDS (60:
a slower page stops after 5 timed runs), BENCH_REGENERATE=1 (generate again even if the
database holds the same scale, seed and generator), BENCH_EXPORT_RSS_LIMIT_MB (4096: a memory
export growing past it is stopped and fails)."""

from __future__ import annotations

import argparse
import json
import os
import re
import runpy
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.page_measure import TRANSACTION_CONTROL

ROOT = Path(__file__).resolve().parent.parent
RSS_LIMIT_MB = int(os.environ.get("BENCH_EXPORT_RSS_LIMIT_MB", "4096"))


def _scales() -> list[float]:
    raw = os.environ.get("BENCH_SCALES", "0.1,1")
    return sorted({float(part) for part in raw.split(",") if part.strip()})


def _child(args: list[str], env: dict, watch: float | None = None) -> dict:
    """Run `python -m bench.pages ARGS --out F` and return F's JSON. With `watch` (seconds),
    the child is stopped past that time or past RSS_LIMIT_MB of memory."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    try:
        command = [sys.executable, "-m", "bench.pages", *args, "--out", str(out)]
        process = subprocess.Popen(command, cwd=ROOT, env=env)
        started, killed, peak = time.perf_counter(), None, 0.0
        while process.poll() is None:
            time.sleep(0.25)
            if watch is None:
                continue
            rss = _rss_mb(process.pid)
            peak = max(peak, rss)
            if rss > RSS_LIMIT_MB:
                killed = f"stopped at {rss:.0f} MB resident (limit {RSS_LIMIT_MB} MB)"
            elif time.perf_counter() - started > watch:
                killed = f"stopped after {watch:.0f} s"
            if killed:
                process.kill()
                process.wait()
                return {"killed": killed, "rss_seen_mb": round(peak)}
        if process.returncode:
            sys.exit(f"{' '.join(command[1:])} failed with exit code {process.returncode}")
        return json.loads(out.read_text())
    finally:
        out.unlink(missing_ok=True)


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0.0


def _gunicorn_timeout() -> int:
    return int(runpy.run_path(str(ROOT / "gunicorn.conf.py"))["timeout"])


def _repeated_sql(statements: list[str]) -> list[tuple[int, str]]:
    """Statements run more than once once literals are masked: the shape of an N+1."""
    shapes = Counter(
        re.sub(r"'[^']*'|\b\d+\b", "?", sql)
        for sql in statements
        if not TRANSACTION_CONTROL.match(sql)
    )
    return [(n, shape) for shape, n in shapes.most_common() if n > 1]


def _print_query_diagnostics(scales: dict[str, dict]) -> None:
    labels = sorted(scales, key=float)
    counts: dict[str, dict[str, int]] = {}
    for label in labels:
        for page in scales[label]["pages"]:
            counts.setdefault(page["name"], {})[label] = page["queries"]
    for label in labels:
        for page in scales[label]["pages"]:
            seen = counts[page["name"]]
            if page["kind"] == "reference" or (
                len(set(seen.values())) == 1 and page["queries"] <= 15
            ):
                continue
            repeats = _repeated_sql(page["sql"])
            if repeats:
                print(f"\n{page['name']} at scale {label}: {page['queries']} queries, repeated:")
                for n, shape in repeats[:5]:
                    print(f"  ×{n} {shape[:300]}")


def run() -> int:
    from bench import page_db, page_report

    scales = _scales()
    base = page_db.base_url()
    timeout = _gunicorn_timeout()
    results: dict[str, dict] = {}
    memory: list[dict] = []
    for scale in scales:
        url, database = page_db.prepare(scale)
        env = page_db.child_env(url)
        label = f"{scale:g}"
        print(f"[scale {label}] timing the pages", flush=True)
        results[label] = {**_child(["--scale", label], env), "database": database}
        if scale == scales[-1]:
            # The largest scale: the export memory, one fresh process per export.
            chosen = results[label]["choices"]["memory_filter"]
            for query in (chosen["query"], ""):
                for kind in ("csv", "xlsx"):
                    print(f"[scale {label}] export memory: {kind} ?{query}", flush=True)
                    args = ["--export", kind, "--query", query]
                    export = _child(args, env, watch=timeout + 30)
                    memory.append({"kind": kind, "query": query, "unfiltered": not query, **export})

    missed, judged = page_report.judge(results, memory, timeout)
    print()
    print(page_report.table(results, missed))
    print(
        f"\nJudged at scale {judged['judged_at']}; page budget {judged['page_limit_ms']} ms "
        f"(admin p95 or 150 ms, whichever is larger); gunicorn timeout {timeout} s."
    )
    for export in memory:
        if export.get("killed"):
            print(
                f"export {export['kind']} ?{export['query']}: {export['killed']}, "
                f"{export['rss_seen_mb']} MB resident at most"
            )
            continue
        print(
            f"export {export['kind']:<4} {export['rows']:>7} rows: status {export['status']}, "
            f"first byte {export['first_ms']:.0f} ms, total {export['total_ms'] / 1000:.1f} s, "
            f"{export['bytes'] / 2**20:.1f} MB, peak RSS +{export['rss_growth_mb']:.0f} MB"
        )
    _print_query_diagnostics(results)
    if missed:
        print(f"\n{len(missed)} budget(s) missed:")
        for miss in missed:
            print(
                f"  {miss['page']:<24} {miss['budget']:<44} "
                f"{miss['value']} vs {miss['limit']}: {miss['by']}"
            )
    else:
        print("\nEvery budget met.")
    for data in results.values():
        for page in data["pages"]:
            page.pop("sql", None)  # session keys and literals: not for a committed file
    page_report.write(
        {
            "machine": page_report.machine(page_db.server_version(base)),
            "settings": {
                "scales": [f"{s:g}" for s in scales],
                "seed": page_db.SEED,
                "runs": int(os.environ.get("BENCH_RUNS", "30")),
                "gunicorn_timeout": timeout,
            },
            "scales": results,
            "exports_memory": memory,
            "judged": judged,
            "missed": missed,
            "ok": not missed,
        }
    )
    print(f"Results in {page_report.RESULTS.relative_to(ROOT)}")
    return 1 if missed else 0


def _measure_scale() -> dict:
    from bench import page_urls
    from bench.page_measure import measure

    facts, pages = page_urls.choose()
    measured = []
    for page in pages:
        result = measure(**page)
        measured.append(result)
        print(
            f"  {page['name']:<24} {result['status']} p50 {result['p50']:>8.1f} "
            f"p95 {result['p95']:>8.1f} ms, {result['queries']} queries, "
            f"{result['size'] / 1024:.0f} KB, {result['runs']} runs",
            flush=True,
        )
    return {"choices": facts, "pages": measured}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", help="child: time the pages of this scale's database")
    parser.add_argument("--export", choices=["csv", "xlsx"], help="child: one export's memory")
    parser.add_argument("--query", default="", help="child: the export's filters")
    parser.add_argument("--out", help="child: where to write the JSON result")
    args = parser.parse_args()
    if not args.out:
        sys.exit(run())
    from bench.page_measure import setup_django

    setup_django()
    if args.export:
        from bench.page_measure import export_memory
        from bench.page_urls import STAFF

        result = export_memory(args.export, args.query, STAFF)
    else:
        result = {"scale": args.scale, **_measure_scale()}
    Path(args.out).write_text(json.dumps(result))


if __name__ == "__main__":
    main()
