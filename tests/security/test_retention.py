"""Retention: identities older than the configured period are deleted; --dry-run lists them."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from tests.factories.visits import VisitFactory
from visits import services
from visits.models import Interview, InterviewIdentity

RECORDED = dt.datetime(2020, 5, 4, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def old_and_new(db, staff, settings):
    settings.NPM_IDENTITY_RETENTION_DAYS = 365
    with time_machine.travel(RECORDED, tick=False):
        old = services.interview_create(
            visit=VisitFactory(),
            interviewee="detainee",
            identity={"full_name": "Old Identity"},
            by=staff,
        )
    with time_machine.travel(RECORDED + dt.timedelta(days=200), tick=False):
        new = services.interview_create(
            visit=VisitFactory(),
            interviewee="detainee",
            identity={"full_name": "Newer Identity"},
            by=staff,
        )
    return old, new


def _run(*args) -> str:
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_nothing_goes_before_the_period_ends(old_and_new):
    with time_machine.travel(RECORDED + dt.timedelta(days=364), tick=False):
        assert "Deleted 0" in _run()
    assert InterviewIdentity.objects.count() == 2


def test_dry_run_lists_codes_only_and_deletes_nothing(old_and_new):
    old, _new = old_and_new
    with time_machine.travel(RECORDED + dt.timedelta(days=366), tick=False):
        output = _run("--dry-run")
    assert "Would delete 1" in output
    assert old.code in output
    assert "Old Identity" not in output
    assert InterviewIdentity.objects.count() == 2


def test_identities_past_the_period_are_deleted_interviews_stay(old_and_new):
    old, new = old_and_new
    with time_machine.travel(RECORDED + dt.timedelta(days=366), tick=False):
        assert "Deleted 1" in _run()
    assert not InterviewIdentity.objects.filter(interview=old).exists()
    assert InterviewIdentity.objects.filter(interview=new).exists()
    assert Interview.objects.filter(pk=old.pk).exists()
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    # No history table keeps identities (if one is ever added, retention clears it too).
    assert not [t for t in tables if "historicalinterviewidentity" in t]
    with time_machine.travel(RECORDED + dt.timedelta(days=600), tick=False):
        assert "Deleted 1" in _run()
    assert not InterviewIdentity.objects.exists()
