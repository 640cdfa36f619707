"""Import benchmark: a 10,000-row file (BENCH_IMPORT_ROWS) of past years generated, checked and
imported through the import service on the throwaway database; prints the rate in rows/s and
exits non-zero when the import takes more than a minute."""

from __future__ import annotations

import csv
import io
import os
import sys
import time

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "10000"))
LIMIT_SECONDS = 60
PER_REPORT = 8


def build_file() -> bytes:
    from recommendations.imports.columns import COLUMNS
    from visits.models import Authority, Place

    ministry = Authority.objects.create(name="Bench Ministry", kind=Authority.Kind.MINISTRY)
    institutions = [
        Authority.objects.create(
            name=f"Bench Institution {i}", kind=Authority.Kind.INSTITUTION, parent=ministry
        )
        for i in range(40)
    ]
    places = [
        Place.objects.create(
            name=f"Bench Place {i}",
            category="prison",
            authority=institutions[i],
            municipality="M",
            district="D",
        )
        for i in range(40)
    ]
    statuses = ["awaiting_response", "implemented", "partially_implemented", "in_progress"]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    keys = [c.key for c in COLUMNS]
    writer.writerow([str(c.label) for c in COLUMNS])
    for n in range(ROWS):
        report = n // PER_REPORT
        year = 2014 + report % 11
        place = places[report % len(places)]
        status = statuses[n % len(statuses)]
        values = {
            "place": place.name,
            "addressees": f"{place.authority.name}; Bench Ministry",
            "visit_start": f"{year}-03-{1 + report % 27:02d}",
            "report_reference": f"BENCH-{year}-{report:05d}",
            "report_issued_on": f"{year}-05-02",
            "dispatched_on": f"{year}-05-05",
            "number": str(n % PER_REPORT + 1),
            "text": f"Recommendation {n}: renovate the cells and keep the registers.",
            "theme": "material-conditions",
            "priority": "urgent" if n % 10 == 0 else "normal",
            "public": "yes" if n % 2 else "no",
            "status": status,
            "reason": "funds" if status == "partially_implemented" else "",
            "responded_on": f"{year}-07-01" if status != "awaiting_response" else "",
            "response_reference": f"R-{report}" if status != "awaiting_response" else "",
        }
        writer.writerow([values.get(k, "") for k in keys])
    return buffer.getvalue().encode()


def run() -> None:
    from django.db import connection

    from recommendations.imports.service import records_import
    from recommendations.models import Recommendation

    data = build_file()
    started = time.perf_counter()
    result = records_import(data=data, file_name="bench.csv")
    seconds = time.perf_counter() - started
    if not result.ok:
        print("import refused:", *[str(e) for e in result.errors[:10]], sep="\n  ")
        sys.exit(1)
    assert Recommendation.objects.count() >= ROWS
    print(
        f"Import: {ROWS} rows in {seconds:.1f} s on {connection.vendor}: "
        f"{ROWS / seconds:.0f} rows/s"
    )
    if seconds > LIMIT_SECONDS:
        print(f"Import slower than {LIMIT_SECONDS} s for {ROWS} rows")
        sys.exit(1)
