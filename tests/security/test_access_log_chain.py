"""The access log is append-only and tamper-evident: PostgreSQL refuses UPDATE, DELETE and
TRUNCATE whoever sends them; every entry is chained to the one before it by a hash, and
`verify_access_log` names the first broken link, in the database or in an auditor's export."""

import csv
import datetime as dt
import io
import threading

import pgtrigger
import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from tests.factories.visits import VisitFactory
from visits import audit
from visits.models import AccessAction, AccessLog
from visits.models.access_log import APPEND_ONLY_TRIGGER, GENESIS_HASH

TABLE = AccessLog._meta.db_table


def _write(n: int, user=None, visit=None) -> list[AccessLog]:
    return [
        audit.record(
            user=user,
            action=AccessAction.VIEW_CONFIDENTIAL,
            object_type="visits.Interview",
            object_id=str(i),
            visit=visit,
            ip="2001:db8:0:0:0:0:0:1" if i % 2 else "192.0.2.7",
        )
        for i in range(n)
    ]


def _tamper(sql: str, params: list) -> None:
    """What someone with the database owner's rights could do: go around the trigger."""
    with pgtrigger.ignore(APPEND_ONLY_TRIGGER), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _verify() -> str:
    out = io.StringIO()
    call_command("verify_access_log", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
class TestChain:
    def test_each_entry_carries_the_hash_of_the_one_before(self, staff):
        first, second, third = _write(3, user=staff, visit=VisitFactory())
        assert first.prev_hash == GENESIS_HASH or AccessLog.objects.count() > 3
        assert second.prev_hash == first.row_hash
        assert third.prev_hash == second.row_hash
        assert len({first.row_hash, second.row_hash, third.row_hash}) == 3
        # What was hashed is what the database gives back (the address in its normal form).
        for entry in AccessLog.objects.filter(pk__in=[first.pk, second.pk, third.pk]):
            assert entry.compute_hash() == entry.row_hash
        assert "Access log intact: 3 entries checked" in _verify()

    def test_a_changed_entry_is_named(self, staff):
        entries = _write(4, user=staff)
        _tamper(f"UPDATE {TABLE} SET object_id = %s WHERE id = %s", ["999", entries[2].pk])
        with pytest.raises(CommandError, match=rf"broken at entry #{entries[2].pk}: its content"):
            _verify()

    def test_a_removed_entry_is_detected_at_the_next_one(self, staff):
        entries = _write(4, user=staff)
        _tamper(f"DELETE FROM {TABLE} WHERE id = %s", [entries[1].pk])
        with pytest.raises(CommandError, match=rf"broken at entry #{entries[2].pk}: its previous"):
            _verify()

    def test_a_changed_entry_with_a_recomputed_hash_breaks_the_next_link(self, staff):
        entries = _write(3, user=staff)
        forged = AccessLog.objects.get(pk=entries[1].pk)
        forged.object_id = "someone else"
        _tamper(
            f"UPDATE {TABLE} SET object_id = %s, row_hash = %s WHERE id = %s",
            [forged.object_id, forged.compute_hash(), forged.pk],
        )
        with pytest.raises(CommandError, match=rf"broken at entry #{entries[2].pk}"):
            _verify()

    def test_entries_cut_off_the_start_without_a_recorded_purge_are_detected(self, staff):
        entries = _write(3, user=staff)
        _tamper(f"DELETE FROM {TABLE} WHERE id = %s", [entries[0].pk])
        with pytest.raises(CommandError, match=rf"#{entries[1].pk}: the entries before it"):
            _verify()

    def test_an_empty_log_verifies(self):
        assert "No access-log entries" in _verify()


@pytest.mark.django_db
class TestAppendOnly:
    def test_the_orm_refuses_to_change_or_delete(self, staff):
        entry = _write(1, user=staff)[0]
        with pytest.raises(ValueError, match="append-only"):
            AccessLog.objects.filter(pk=entry.pk).update(object_id="x")
        with pytest.raises(ValueError, match="append-only"):
            AccessLog.objects.filter(pk=entry.pk).delete()
        entry.object_id = "x"
        with pytest.raises(ValueError, match="append-only"), transaction.atomic():
            AccessLog.objects.bulk_update([entry], ["object_id"])
        with pytest.raises(ValueError, match="append-only"):
            entry.save()
        with pytest.raises(ValueError, match="append-only"):
            entry.delete()
        assert AccessLog.objects.get(pk=entry.pk).object_id == "0"

    @pytest.mark.parametrize(
        ("sql", "refusal"),
        [
            (f"UPDATE {TABLE} SET object_id = 'x' WHERE id = %s", "Cannot update or delete"),
            (f"DELETE FROM {TABLE} WHERE id = %s", "Cannot update or delete"),
            (f"TRUNCATE {TABLE}", "Cannot truncate"),
        ],
    )
    def test_raw_sql_is_refused_by_the_database(self, staff, sql, refusal):
        entries = _write(2, user=staff)
        if "%s" in sql:
            sql = sql % entries[0].pk
        elif connection.vendor == "sqlite":  # no TRUNCATE there; cut the log's first entry
            sql = f"DELETE FROM {TABLE} WHERE id = {entries[0].pk}"
        if connection.vendor == "postgresql":
            with transaction.atomic(), connection.cursor() as cursor:
                # Check the inserts' foreign keys now, so TRUNCATE meets the trigger.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                with pytest.raises(DatabaseError, match=refusal), transaction.atomic():
                    cursor.execute(sql)
            assert AccessLog.objects.filter(pk__in=[e.pk for e in entries]).count() == 2
        else:
            # Only the development database (SQLite) has no trigger; the chain still tells.
            with connection.cursor() as cursor:
                cursor.execute(sql)
            with pytest.raises(CommandError):
                _verify()

    def test_the_people_and_visits_it_names_cannot_be_deleted(self, staff):
        visit = VisitFactory()
        _write(1, user=staff, visit=visit)
        with pytest.raises(ProtectedError):
            staff.delete()
        with pytest.raises(ProtectedError):
            visit.delete()


@pytest.mark.django_db
class TestRetention:
    def test_old_entries_go_oldest_first_and_the_purge_is_logged(self, staff, settings):
        settings.NPM_ACCESS_LOG_RETENTION_DAYS = 365
        with time_machine.travel(dt.datetime(2024, 1, 10, tzinfo=dt.UTC), tick=False):
            old = _write(3, user=staff)
        with time_machine.travel(dt.datetime(2026, 6, 1, tzinfo=dt.UTC), tick=False):
            recent = _write(2, user=staff)
            out = io.StringIO()
            call_command("apply_retention", stdout=out)
        assert "Deleted 3 access-log entries older than 365 days" in out.getvalue()
        assert not AccessLog.objects.filter(pk__in=[e.pk for e in old]).exists()
        assert AccessLog.objects.filter(pk__in=[e.pk for e in recent]).count() == 2
        purge = AccessLog.objects.get(action=AccessAction.RETENTION)
        assert purge.object_type == f"apply_retention up to #{old[-1].pk}"
        assert purge.object_id == old[-1].row_hash[:50]
        report = audit.verify_access_log()
        assert report.ok
        assert report.starts_after_deleted
        assert report.checked == 3

    def test_dry_run_and_keep_for_ever_delete_nothing(self, staff, settings):
        with time_machine.travel(dt.datetime(2010, 1, 1, tzinfo=dt.UTC), tick=False):
            _write(2, user=staff)
        call_command("apply_retention", "--dry-run", stdout=io.StringIO())
        settings.NPM_ACCESS_LOG_RETENTION_DAYS = 0
        call_command("apply_retention", stdout=io.StringIO())
        assert AccessLog.objects.count() == 2


@pytest.mark.django_db
class TestAuditorExport:
    def _export(self, client, **params) -> str:
        response = client.get(reverse("access_log_export"), params)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith('attachment; filename="access-log-')
        return b"".join(response.streaming_content).decode()

    def test_the_head_exports_a_chain_an_auditor_can_verify(self, head_client, head, tmp_path):
        with time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC), tick=False):
            _write(2, user=head, visit=VisitFactory())
        with time_machine.travel(dt.datetime(2026, 3, 5, 9, tzinfo=dt.UTC), tick=False):
            # A value a spreadsheet would run as a formula is guarded, and still verifies.
            audit.record(user=head, action="denied", object_type="url", object_id="=1+1")
        text = self._export(head_client, since="2026-03-01", until="2026-03-31", action="denied")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert len(rows) == 3  # the other filters do not apply: a chain has no gaps
        assert rows[-1]["object_id"] == "'=1+1"
        assert rows[0]["username"] == "head"
        path = tmp_path / "export.csv"
        path.write_text(text, encoding="utf-8")
        out = io.StringIO()
        call_command("verify_access_log", "--file", str(path), stdout=out)
        assert "Access log intact: 3 entries checked" in out.getvalue()
        export = AccessLog.objects.get(action=AccessAction.EXPORT)
        assert export.object_type == "visits.AccessLog"
        assert export.object_id == "2026-03-01..2026-03-31"

        path.write_text(text.replace("192.0.2.7", "192.0.2.8"), encoding="utf-8")
        with pytest.raises(CommandError, match=rf"broken at entry #{rows[0]['id']}"):
            call_command("verify_access_log", "--file", str(path), stdout=io.StringIO())

    def test_a_date_that_is_not_one_sends_the_head_back_to_the_field(self, head_client, head):
        _write(1, user=head)
        response = head_client.get(reverse("access_log_export"), {"since": "2026-13-45"})
        assert response.status_code == 302
        page = head_client.get(response["Location"])
        assert page.context["filter"].form.errors["since"]
        assert not AccessLog.objects.filter(action=AccessAction.EXPORT).exists()

    def test_only_the_head_may_export(self, staff_client, partner_client, compliance_client):
        assert staff_client.get(reverse("access_log_export")).status_code == 403
        assert compliance_client.get(reverse("access_log_export")).status_code == 403
        assert partner_client.get(reverse("access_log_export")).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_chain(staff):
    """Writers in parallel transactions still form one chain: PostgreSQL's advisory lock puts
    them in a row; SQLite (development only) lets one writer in and refuses the others."""
    errors = []

    def writer(n):
        try:
            with transaction.atomic():
                for i in range(5):
                    audit.record(
                        user=staff, action="download", object_type="t", object_id=f"{n}-{i}"
                    )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    written = AccessLog.objects.count()
    if connection.vendor == "postgresql":
        assert not errors
        assert written == 20
    else:
        assert all("locked" in str(error) for error in errors), errors
        assert written == 5 * (4 - len(errors))
    report = audit.verify_access_log()
    assert report.ok, report
    assert report.checked == written
