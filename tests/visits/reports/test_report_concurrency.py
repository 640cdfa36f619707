"""Two sessions saving the same section version at the same moment: exactly one wins, the other
gets the conflict, and the saved text is the winner's.

On PostgreSQL (CI) the two saves really race, each thread with its own connection. SQLite's
shared in-memory test database allows one writer only, so there they run one after the other."""

import threading

import pytest
from django.db import close_old_connections, connection, transaction

from tests.factories.visits import ReportFactory, ReportSectionFactory, VisitFactory
from visits import services as rs


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_of_one_version_conflict(head, staff):
    section = ReportSectionFactory(report=ReportFactory(visit=VisitFactory()), author=staff)
    simultaneous = connection.vendor == "postgresql"
    barrier = threading.Barrier(2 if simultaneous else 1, timeout=10)
    outcomes: dict[str, str] = {}

    def save(user, text):
        try:
            barrier.wait()
            with transaction.atomic():
                rs.section_save(section=section, body=text, base_version=1, by=user)
            outcomes[text] = "saved"
        except rs.SectionConflict:
            outcomes[text] = "conflict"
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcomes[text] = repr(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [
        threading.Thread(target=save, args=(staff, "from staff")),
        threading.Thread(target=save, args=(head, "from head")),
    ]
    for thread in threads:
        thread.start()
        if not simultaneous:
            thread.join()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["conflict", "saved"], outcomes
    winner = next(text for text, outcome in outcomes.items() if outcome == "saved")
    section.refresh_from_db()
    assert section.body == winner
    assert section.version == 2
    assert section.history.filter(version=2).count() == 1
