# NPM Portal. `make run` and `make test` work from a clean clone with Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000
# Tests never run with a real secret: a fixed test-only key unless one is given.
TEST_ENV := SECRET_KEY=$${SECRET_KEY:-test-only-secret-key-not-for-production} DEBUG=0

.PHONY: run install test lint format migrations-check bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	mkdir -p var/media
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo
	@echo "Serving on http://127.0.0.1:$(PORT)/  (Ctrl+C to stop)"
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# One pytest-xdist worker per core; `make test XDIST=` runs in one process.
XDIST ?= -n auto
test: install
	$(TEST_ENV) $(BIN)/pytest $(XDIST) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

# Translators edit locale/sr_Latn only; Cyrillic is generated from it. Needs gettext (dev only:
# the compiled .mo files are committed).
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l sr_Latn --no-obsolete --ignore='.venv/*' --ignore='var/*' --ignore='tests/*' --ignore='bench/*'
	DEBUG=1 $(BIN)/python manage.py cyrillic_catalogue
	cd locale && DEBUG=1 ../$(BIN)/python ../manage.py compilemessages

bench: install
	$(TEST_ENV) $(BIN)/python -m bench

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache

# The production server under load (bench/loadtest.py): its own PostgreSQL database
# (<DATABASE_URL's name>_loadtest), the dataset at scale 0.1, gunicorn with 2 workers, locust for
# 60 s; results in benchmarks/loadtest.json. Locust is in the `bench` extra, installed here only.
.PHONY: loadtest
BENCH_STAMP := $(VENV)/.bench-installed-stamp
$(BENCH_STAMP): pyproject.toml | $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

loadtest: $(BENCH_STAMP)
	$(TEST_ENV) $(BIN)/python -m bench.loadtest

# PNGs of a demo report's PDF for the README (bench/screenshots.py): the demo data in a throwaway
# SQLite database, the longest issued English report's cover, a body page and the annex of
# recommendations into docs/screenshots/. Needs pdftoppm (Debian: apt-get install poppler-utils).
.PHONY: screenshots
screenshots: install
	$(TEST_ENV) $(BIN)/python -m bench.screenshots
