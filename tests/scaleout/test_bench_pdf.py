"""The PDF bench (bench/pdf.py) judges the median overhead by wall and CPU time at every length,
and adds its entry to benchmarks/results.json without dropping the pages bench's;
`make screenshots` (bench/screenshots.py) finds the pages it draws by the PDF's named
destinations. (The bench itself runs for minutes and is not part of the suite.)"""

from __future__ import annotations

import json

import pytest

from bench import page_report, screenshots
from bench import pdf as bench_pdf
from visits.pdf import html_to_pdf


def _length(pages: int, wall: float, cpu: float) -> dict:
    def spread(median: float) -> dict:
        return {"min": median - 5, "median": median, "max": median + 30}

    return {"pages": pages, "overhead_percent": {"wall": spread(wall), "cpu": spread(cpu)}}


def test_budget_is_met_when_every_median_is_within_it():
    # A max above the budget does not fail it: one disturbed run is not the overhead.
    lengths = [_length(30, 15.0, 3.2), _length(90, -2.0, 14.9)]
    assert bench_pdf._missed(lengths) == []


@pytest.mark.parametrize(("wall", "cpu", "clock"), [(15.1, 2.0, "wall"), (4.0, 22.5, "cpu")])
def test_budget_is_missed_by_either_clock_at_either_length(wall, cpu, clock):
    missed = bench_pdf._missed([_length(30, 1.0, 1.0), _length(90, wall, cpu)])
    assert len(missed) == 1
    assert missed[0].startswith(f"90 pages: median overhead by {clock} time")


def test_results_keep_the_other_benchmarks_entries(tmp_path, monkeypatch):
    results = tmp_path / "results.json"
    results.write_text(json.dumps({"scales": {"1": {}}, "ok": False, "pdf": {"old": True}}))
    monkeypatch.setattr(page_report, "RESULTS", results)
    bench_pdf.write_results({"ok": True})
    assert json.loads(results.read_text()) == {
        "scales": {"1": {}},
        "ok": False,
        "pdf": {"ok": True},
    }


def test_results_are_written_when_there_were_none(tmp_path, monkeypatch):
    results = tmp_path / "benchmarks" / "results.json"
    monkeypatch.setattr(page_report, "RESULTS", results)
    bench_pdf.write_results({"ok": True})
    assert json.loads(results.read_text()) == {"pdf": {"ok": True}}


def test_screenshots_draw_the_cover_the_first_recommendation_and_the_annex():
    html = (
        "<html><body><h1>Cover</h1>"
        '<p style="break-before: page">Contents</p>'
        '<p style="break-before: page">Findings</p><p id="recommendation-1">Recommendation</p>'
        '<p style="break-before: page">More findings</p>'
        '<h2 id="annex-recommendations" style="break-before: page">Annex</h2>'
        "</body></html>"
    )
    assert screenshots.pages_to_draw(html_to_pdf(html)) == {
        "report-cover.png": 1,
        "report-body.png": 3,
        "report-annex.png": 5,
    }


def test_screenshots_refuse_a_pdf_without_the_annex():
    with pytest.raises(SystemExit, match="annex-recommendations"):
        screenshots.pages_to_draw(html_to_pdf('<p id="recommendation-1">Only text</p>'))
