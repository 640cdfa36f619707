"""Celery beat's daily task is the `send_reminders` command (tasks run eagerly in tests)."""

import datetime
from zoneinfo import ZoneInfo

import pgtrigger
import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection

import visits.pdf.tasks  # noqa: F401 - registers the render and prune tasks
from npm_portal.celery import app
from npm_portal.tasks import send_reminders, verify_access_log
from tests.factories.partners import AgreementFactory, OrganisationFactory
from visits import audit


def test_beat_schedule_names_a_registered_task():
    app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["send-reminders"]
    assert app.tasks[entry["task"]].name == send_reminders.name
    assert entry["schedule"] == 24 * 3600


def test_the_daily_task_sends_what_is_due(db, head):
    AgreementFactory(
        organisation=OrganisationFactory(name="Belgrade Centre for Human Rights"),
        valid_from=datetime.date(2022, 7, 1),
        valid_until=datetime.date(2025, 7, 10),
    )
    at = datetime.datetime(2025, 6, 1, 7, tzinfo=ZoneInfo("Europe/Belgrade"))
    with time_machine.travel(at, tick=False):
        send_reminders.delay()
    assert [m.to for m in mail.outbox] == [[head.email]]
    assert "Belgrade Centre for Human Rights" in mail.outbox[0].body


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry


def test_the_daily_log_check_fails_on_a_broken_chain(db, staff):
    first = audit.record(user=staff, action="download", object_type="t", object_id="1")
    last = audit.record(user=staff, action="download", object_type="t", object_id="2")
    assert verify_access_log.delay().get() == last.row_hash
    with pgtrigger.ignore("visits.AccessLog:append_only"), connection.cursor() as cursor:
        cursor.execute("UPDATE visits_accesslog SET object_id = '9' WHERE id = %s", [first.pk])
    with pytest.raises(RuntimeError, match=f"broken at entry #{first.pk}"):
        verify_access_log.delay().get()
