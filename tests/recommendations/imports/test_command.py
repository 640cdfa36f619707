"""`manage.py import_records`."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import CommandError, call_command

from recommendations.models import ImportBatch, Recommendation
from tests.factories import AuthorityFactory, PlaceFactory
from tests.recommendations.imports.helpers import csv_file, row, table_counts

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 1, 10, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def past(tmp_path):
    ministry = AuthorityFactory(name="Ministry of Interior")
    station = AuthorityFactory(name="Police Department Kruševac", parent=ministry)
    PlaceFactory(name="Police Station Kruševac", authority=station)
    path = tmp_path / "past.csv"
    path.write_bytes(csv_file([row(), row(number="2")]))
    return path


@time_machine.travel(NOW, tick=False)
def test_dry_run_then_import_then_undo(past, staff, capsys):
    before = table_counts()
    call_command("import_records", str(past), "--dry-run")
    assert "no errors; would create" in capsys.readouterr().out
    assert table_counts() == before

    call_command("import_records", str(past), "--by", staff.username)
    batch = ImportBatch.objects.get()
    assert f"Import #{batch.pk}" in capsys.readouterr().out
    assert batch.imported_by == staff
    assert Recommendation.objects.count() == 2

    call_command("import_records", "--undo", str(batch.pk))
    assert "undone" in capsys.readouterr().out
    assert not Recommendation.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_errors_are_printed_by_row_and_nothing_is_imported(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_file([row(place="Nowhere", visit_start="31.02.2019")]))
    with pytest.raises(CommandError, match="4 errors: nothing was imported"):
        call_command("import_records", str(path))
    captured = capsys.readouterr()
    assert "row 2, column 'Visit start': 31.02.2019 is not a date" in captured.err
    assert "Unmatched place: Nowhere (rows 2)" in captured.out
    assert not ImportBatch.objects.exists()


def test_a_user_who_may_not_import_is_refused(past, compliance):
    with pytest.raises(CommandError, match="may not import"):
        call_command("import_records", str(past), "--by", compliance.username)
    with pytest.raises(CommandError, match="No user"):
        call_command("import_records", str(past), "--by", "nobody")
