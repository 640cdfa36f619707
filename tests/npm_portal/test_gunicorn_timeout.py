"""gunicorn's worker timeout: long enough for the slowest request left (PDFs render outside
requests, visits.pdf.tasks), and GUNICORN_TIMEOUT still overrides it."""

import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_the_timeout_fits_the_slowest_streamed_export(monkeypatch):
    monkeypatch.delenv("GUNICORN_TIMEOUT", raising=False)
    # The unfiltered XLSX export of 200,000 recommendations: about 48 s (gunicorn.conf.py).
    assert runpy.run_path(str(CONF))["timeout"] == 120


def test_gunicorn_timeout_overrides_it(monkeypatch):
    monkeypatch.setenv("GUNICORN_TIMEOUT", "300")
    assert runpy.run_path(str(CONF))["timeout"] == 300
