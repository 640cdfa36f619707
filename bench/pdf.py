"""PDF benchmark: a ~30-page report rendered through the app (the render job the Celery task
runs) and the same final HTML through WeasyPrint alone, in one run; then the issued report
downloaded twice, to show that a download serves the frozen file and never renders.

Runs inside the throwaway test database that `bench/__main__.py` sets up. Prints the two times
and a line `PDF overhead: N%` (the app's time over WeasyPrint's alone)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import time

RUNS = int(os.environ.get("BENCH_PDF_RUNS", "5"))
SECTIONS = int(os.environ.get("BENCH_PDF_SECTIONS", "13"))
RECOMMENDATIONS = 25

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


def build_report():
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

    head = UserFactory(username="bench-head", roles=[Role.HEAD])
    # A visit that took place a month ago (a report is issued after the visit).
    start = timezone.now() - dt.timedelta(days=30)
    visit = VisitFactory(
        place__name="District Prison (bench)",
        planned_start=start,
        planned_end=start + dt.timedelta(hours=8),
    )
    TeamMemberFactory(visit=visit, user=head, role="head")
    for role in ("member", "medical", "interpreter"):
        TeamMemberFactory(visit=visit, user=UserFactory(roles=[Role.STAFF]), role=role)
    report = ReportFactory(visit=visit, title="Report on the visit to the District Prison")
    for index in range(1, SECTIONS + 1):
        ReportSectionFactory(
            report=report,
            title=f"Section {index}: findings on the theme",
            order=index,
            body=section_markdown(index),
            confidential=index % 5 == 0,
        )
    for number in range(1, RECOMMENDATIONS + 1):
        RecommendationFactory(visit=visit, number=number, text=_paragraph(number, 40))
    return report, head


def _timed(function) -> tuple[float, float]:
    """(wall-clock, CPU) seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - wall, time.process_time() - cpu


def time_rendering(report, head) -> None:
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

    # Warm both paths once (template compilation, font loading), then alternate. The machine
    # is shared: the fastest run of each is the least disturbed (as `timeit` reports), and CPU
    # time (everything here runs in this process, SQLite included) is what the ratio uses.
    through_app()
    weasyprint_alone()
    app, alone = [], []
    for _ in range(RUNS):
        app.append(_timed(through_app))
        alone.append(_timed(weasyprint_alone))
    latest = ReportRender.objects.filter(report=report).order_by("-pk").first()
    pages = _pages(latest.file.read())
    html_wall, html_cpu = (seconds * 1000 for seconds in _timed(lambda: report_html(report)))
    app_wall, app_cpu = (min(run[i] for run in app) * 1000 for i in (0, 1))
    alone_wall, alone_cpu = (min(run[i] for run in alone) * 1000 for i in (0, 1))
    overhead = round((app_cpu - alone_cpu) / alone_cpu * 100)
    print(f"Report PDF: {pages} pages, {SECTIONS} sections, {RECOMMENDATIONS} recommendations")
    print(f"{'PDF rendering (best of ' + str(RUNS) + ')':<45} {'wall ms':>10} {'CPU ms':>10}")
    print(f"{'through the app (render job)':<45} {app_wall:>10.0f} {app_cpu:>10.0f}")
    print(f"{'WeasyPrint alone (same HTML)':<45} {alone_wall:>10.0f} {alone_cpu:>10.0f}")
    print(f"{'  of the app: building the HTML':<45} {html_wall:>10.0f} {html_cpu:>10.0f}")
    print(f"PDF overhead: {overhead}%")


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


def time_downloads(report, head) -> None:
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
    print(f"{'issue (renders the frozen PDF + public version)':<45} {issue_ms:>10.0f}")
    print(f"{'first download of the issued PDF':<45} {times[0]:>10.1f}")
    print(f"{'second download of the issued PDF':<45} {times[1]:>10.1f}")
    rendered_again = renders[2] != renders[1] or renders[1] != renders[0]
    print(
        f"Second download did {'RENDER AGAIN' if rendered_again else 'not render'}: "
        f"render jobs {renders[0]} → {renders[1]} → {renders[2]}, "
        f"{'identical bytes, SHA-256 matches' if same else 'BYTES DIFFER'}"
    )


def run() -> None:
    """Call inside the throwaway database."""
    from django.test import override_settings

    with (
        tempfile.TemporaryDirectory(prefix="npm-bench-media-") as media,
        override_settings(MEDIA_ROOT=media, CELERY_TASK_ALWAYS_EAGER=True),
    ):
        report, head = build_report()
        time_rendering(report, head)
        time_downloads(report, head)
