"""PDF benchmark: a ~30-page and a ~90-page report, each rendered through the app (the render job
the Celery task runs) and the same final HTML through WeasyPrint alone, alternating, RUNS times
after a warm-up; then the issued ~30-page report downloaded twice, to show that a download
serves the frozen file and never renders.

Runs inside the throwaway test database that `bench/__main__.py` sets up. Prints, per length,
the real page count and min / median / max over the runs of both paths and of the overhead
(the app's time over WeasyPrint's alone, run by run), in wall-clock time and in CPU time of
this process (`time.process_time`: Django and WeasyPrint; the database server's own work shows
only in wall time). The budget: the median overhead at most BUDGET_PERCENT, by wall time and by
CPU time, at both lengths; `run()` returns 1 when it is missed (or a download renders again).
Writes the "pdf" entry of `benchmarks/results.json`.

Environment: BENCH_PDF_RUNS (5, at least 5), BENCH_PDF_SECTIONS ("11,49": the section counts
that make the ~30- and ~90-page reports)."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import os
import statistics
import tempfile
import time

RUNS = max(5, int(os.environ.get("BENCH_PDF_RUNS", "5")))
SECTIONS = tuple(
    int(part) for part in os.environ.get("BENCH_PDF_SECTIONS", "11,49").split(",") if part
)
RECOMMENDATIONS = 25
BUDGET_PERCENT = 15

_WORDS = (  # noqa: SIM905 - a sentence is easier to read than a list of words
    "detainees cells staff registers medical examination injuries police custody lawyer "
    "doctor family notification ventilation daylight mattresses hygiene food exercise yard "
    "complaints disciplinary solitary confinement restraint video surveillance interpreter "
    "juveniles women foreigners psychiatric ward consent treatment records training"
).split()


def _paragraph(seed: int, words: int = 90) -> str:
    text = " ".join(_WORDS[(seed * 7 + i * 3) % len(_WORDS)] for i in range(words))
    return text[0].upper() + text[1:] + "."


def section_markdown(index: int) -> str:
    """About a page and a half of findings: headings, paragraphs, a list, a table, a quote."""
    parts = [f"### Findings {index}.1", _paragraph(index), _paragraph(index + 1)]
    parts.append("\n".join(f"- **Item {n}**: {_paragraph(index + n, 14)}" for n in range(1, 6)))
    parts.append(f"### Findings {index}.2")
    parts.append(_paragraph(index + 2))
    parts.append(
        "| Register | Entries checked | Irregular |\n|:--|--:|--:|\n"
        + "\n".join(f"| Register {n} | {40 + n * index} | {n} |" for n in range(1, 7))
    )
    parts.append(f"> {_paragraph(index + 3, 30)}")
    parts.append(_paragraph(index + 4) + " See https://www.coe.int/en/web/cpt for the standards.")
    return "\n\n".join(parts)


def bench_head():
    from core.roles import Role
    from tests.factories import UserFactory

    return UserFactory(username="bench-head", roles=[Role.HEAD])


def build_report(head, sections: int):
    """A report of `sections` sections of findings (about a page and a half each) and
    RECOMMENDATIONS recommendations, on a visit of a month ago with `head` leading it."""
    from django.utils import timezone

    from core.roles import Role
    from tests.factories import UserFactory
    from tests.factories.recommendations import RecommendationFactory
    from tests.factories.visits import (
        ReportFactory,
        ReportSectionFactory,
        TeamMemberFactory,
        VisitFactory,
    )

    # A visit that took place a month ago (a report is issued after the visit).
    start = timezone.now() - dt.timedelta(days=30)
    visit = VisitFactory(
        place__name=f"District Prison (bench, {sections} sections)",
        planned_start=start,
        planned_end=start + dt.timedelta(hours=8),
    )
    TeamMemberFactory(visit=visit, user=head, role="head")
    for role in ("member", "medical", "interpreter"):
        TeamMemberFactory(visit=visit, user=UserFactory(roles=[Role.STAFF]), role=role)
    report = ReportFactory(visit=visit, title="Report on the visit to the District Prison")
    for index in range(1, sections + 1):
        ReportSectionFactory(
            report=report,
            title=f"Section {index}: findings on the theme",
            order=index,
            body=section_markdown(index),
            confidential=index % 5 == 0,
        )
    for number in range(1, RECOMMENDATIONS + 1):
        RecommendationFactory(visit=visit, number=number, text=_paragraph(number, 40))
    return report


def _timed(function) -> tuple[float, float]:
    """(wall-clock, CPU) milliseconds of one call; garbage collected before, not during."""
    gc.collect()
    gc.disable()
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000
    finally:
        gc.enable()


def _spread(values: list[float]) -> dict[str, float]:
    return {
        "min": round(min(values), 1),
        "median": round(statistics.median(values), 1),
        "max": round(max(values), 1),
    }


def time_rendering(report, head, sections: int) -> dict:
    """Both paths RUNS times each, alternating which goes first (neither always runs on the
    other's warm caches); the overhead is taken run by run (a pair ran moments apart, so a
    slow spell of the shared machine touches both)."""
    from weasyprint import HTML

    from visits.models import ReportRender
    from visits.pdf import LockedURLFetcher
    from visits.pdf.rendering import report_html, run_render

    def through_app() -> None:
        # The render job exactly as the Celery task runs it (run_render), for a draft preview:
        # database reads, Markdown and sanitising, the template, WeasyPrint, storing the file.
        render = ReportRender.objects.create(report=report, kind="preview", requested_by=head)
        run_render(render.pk)
        render.refresh_from_db()
        assert render.state == "done", render.error

    html = report_html(report, draft=True)

    def weasyprint_alone() -> None:
        HTML(string=html, url_fetcher=LockedURLFetcher()).write_pdf()

    # Warm both paths once: template compilation, font loading.
    through_app()
    weasyprint_alone()
    app, alone = [], []
    for run in range(RUNS):
        if run % 2:
            alone.append(_timed(weasyprint_alone))
            app.append(_timed(through_app))
        else:
            app.append(_timed(through_app))
            alone.append(_timed(weasyprint_alone))
    latest = ReportRender.objects.filter(report=report).order_by("-pk").first()
    html_wall, html_cpu = _timed(lambda: report_html(report, draft=True))
    result = {
        "sections": sections,
        "recommendations": RECOMMENDATIONS,
        "pages": _pages(latest.file.read()),
        "runs": RUNS,
        "app_ms": {},
        "alone_ms": {},
        "overhead_percent": {},
        "html_ms": {"wall": round(html_wall, 1), "cpu": round(html_cpu, 1)},
    }
    for index, clock in enumerate(("wall", "cpu")):
        result["app_ms"][clock] = _spread([run[index] for run in app])
        result["alone_ms"][clock] = _spread([run[index] for run in alone])
        result["overhead_percent"][clock] = _spread(
            [(a[index] - b[index]) / b[index] * 100 for a, b in zip(app, alone, strict=True)]
        )
    return result


def _print_rendering(result: dict) -> None:
    def cells(figures: dict, unit: str) -> str:
        width = 9 - len(unit)
        decimals = 1 if unit else 0
        return "".join(
            f"{figures[part]:>{width}.{decimals}f}{unit}" for part in ("min", "median", "max")
        )

    def row(label: str, figures: dict, unit: str = "") -> None:
        print(f"{label:<34}{cells(figures['wall'], unit)}  |{cells(figures['cpu'], unit)}")

    print(
        f"Report PDF: {result['pages']} pages, {result['sections']} sections, "
        f"{result['recommendations']} recommendations; {result['runs']} runs of each path"
    )
    print(f"{'':<34}{'wall-clock ms':^27}  |{'CPU ms (this process)':^27}")
    print(f"{'':<34}" + "  |".join([f"{'min':>9}{'median':>9}{'max':>9}"] * 2))
    row("through the app (render job)", result["app_ms"])
    row("WeasyPrint alone (same HTML)", result["alone_ms"])
    row("PDF overhead", result["overhead_percent"], " %")
    html = result["html_ms"]
    print(f"{'  of the app: building the HTML':<34}{html['wall']:>18.0f}{'':>9}  |", end="")
    print(f"{html['cpu']:>18.0f}")


def _missed(lengths: list[dict]) -> list[str]:
    """The budget: the median overhead, by wall time and by CPU time, at every length."""
    return [
        f"{length['pages']} pages: median overhead by {clock} time "
        f"{length['overhead_percent'][clock]['median']:.1f} % > {BUDGET_PERCENT} %"
        for length in lengths
        for clock in ("wall", "cpu")
        if length["overhead_percent"][clock]["median"] > BUDGET_PERCENT
    ]


def _pages(data: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def _issue(report, head) -> None:
    from visits import services as visit_services
    from visits.models import Report

    # Straight to "approved": the review workflow is not what is measured here.
    Report.objects.filter(pk=report.pk).update(status=Report.Status.APPROVED)
    report.refresh_from_db()
    visit_services.report_issue(report=report, by=head)


def time_downloads(report, head) -> dict:
    from django.test import Client
    from django.urls import reverse

    from visits.models import Report, ReportRender

    start = time.perf_counter()
    _issue(report, head)
    issue_ms = (time.perf_counter() - start) * 1000
    report = Report.objects.get(pk=report.pk)
    assert report.pdf_ready, "the issued PDF was not stored"
    client = Client()
    client.force_login(head)
    url = reverse("visits:report_pdf", args=[report.visit_id])
    bodies, times, renders = [], [], []
    for _ in range(2):
        renders.append(ReportRender.objects.filter(report=report).count())
        start = time.perf_counter()
        response = client.get(url)
        body = b"".join(response.streaming_content)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
        bodies.append(body)
    renders.append(ReportRender.objects.filter(report=report).count())
    same = bodies[0] == bodies[1] and hashlib.sha256(bodies[1]).hexdigest() == report.pdf_sha256
    print(f"{'issue (renders the frozen PDF + public version)':<50} {issue_ms:>10.0f} ms")
    print(f"{'first download of the issued PDF':<50} {times[0]:>10.1f} ms")
    print(f"{'second download of the issued PDF':<50} {times[1]:>10.1f} ms")
    rendered_again = renders[2] != renders[1] or renders[1] != renders[0]
    print(
        f"Second download did {'RENDER AGAIN' if rendered_again else 'not render'}: "
        f"render jobs {renders[0]} → {renders[1]} → {renders[2]}, "
        f"{'identical bytes, SHA-256 matches' if same else 'BYTES DIFFER'}"
    )
    return {
        "issue_ms": round(issue_ms),
        "download_ms": [round(ms, 1) for ms in times],
        "rendered_again": rendered_again,
        "identical": same,
    }


def _machine() -> dict:
    from django.db import connection

    from bench import page_report

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    machine = page_report.machine(version)
    del machine["postgresql"]
    return {**machine, "database": f"{connection.vendor} {version}"}


def write_results(entry: dict) -> None:
    """Put `entry` as "pdf" into `benchmarks/results.json`, keeping the other benchmarks'."""
    from bench import page_report

    path = page_report.RESULTS
    results = json.loads(path.read_text()) if path.exists() else {}
    results["pdf"] = entry
    page_report.write(results)


def run() -> int:
    """Call inside the throwaway database. 1 when the budget is missed."""
    from django.test import override_settings

    with (
        tempfile.TemporaryDirectory(prefix="npm-bench-media-") as media,
        # "inline": issuing renders before it returns, so the issue time includes it.
        override_settings(
            MEDIA_ROOT=media, CELERY_TASK_ALWAYS_EAGER=True, NPM_RENDER_RUNNER="inline"
        ),
    ):
        head = bench_head()
        reports, lengths = [], []
        for sections in SECTIONS:
            report = build_report(head, sections)
            reports.append(report)
            lengths.append(time_rendering(report, head, sections))
            _print_rendering(lengths[-1])
            print()
        downloads = time_downloads(reports[0], head)
    missed = _missed(lengths)
    if downloads["rendered_again"] or not downloads["identical"]:
        missed.append("a download of the issued PDF rendered it again or changed its bytes")
    for length in lengths:
        overhead = length["overhead_percent"]
        print(
            f"PDF overhead, {length['pages']} pages (median): wall "
            f"{overhead['wall']['median']:.1f} %, CPU {overhead['cpu']['median']:.1f} %"
        )
    if missed:
        print(f"PDF budget missed (median overhead ≤ {BUDGET_PERCENT} %, wall and CPU):")
        for miss in missed:
            print(f"  {miss}")
    else:
        print(f"PDF budget met: median overhead ≤ {BUDGET_PERCENT} % by wall and CPU time.")
    write_results(
        {
            "machine": _machine(),
            "budget_percent": BUDGET_PERCENT,
            "lengths": lengths,
            "downloads": downloads,
            "missed": missed,
            "ok": not missed,
        }
    )
    return 1 if missed else 0
