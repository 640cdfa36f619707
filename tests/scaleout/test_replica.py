"""The read replica (core.replica): reads go to the "replica" alias only inside
`reads_from_replica` (a context manager or a view decorator), writes never do, nothing is
migrated there, and without a replica everything stays on default."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connections, router, transaction
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from core.replica import REPLICA, reads_from_replica
from tests.factories.visits import PlaceFactory
from visits.models import Place


def _queries(alias: str) -> CaptureQueriesContext:
    return CaptureQueriesContext(connections[alias])


def _sql(captured: CaptureQueriesContext) -> list[str]:
    return [query["sql"].split()[0].upper() for query in captured.captured_queries]


def test_reads_inside_the_context_go_to_the_replica(replica):
    PlaceFactory.create_batch(3)
    with _queries("default") as on_default, _queries(REPLICA) as on_replica, reads_from_replica():
        count = Place.objects.count()
        names = list(Place.objects.values_list("name", flat=True))
    # The replica is the test database: it has the rows default committed.
    assert count == 3
    assert len(names) == 3
    assert _sql(on_replica) == ["SELECT", "SELECT"]
    assert on_default.captured_queries == []


def test_reads_outside_the_context_stay_on_default(replica):
    PlaceFactory()
    with reads_from_replica():
        pass
    with _queries("default") as on_default, _queries(REPLICA) as on_replica:
        assert Place.objects.count() == 1
    assert _sql(on_default) == ["SELECT"]
    assert on_replica.captured_queries == []


def test_the_view_decorator_reads_from_the_replica_and_stops_after_the_view(replica):
    PlaceFactory()

    @reads_from_replica
    def view(request):
        """A view."""
        return Place.objects.count()

    with _queries("default") as on_default, _queries(REPLICA) as on_replica:
        assert view(None) == 1
        assert Place.objects.exists()
    assert view.__doc__ == "A view."
    assert _sql(on_replica) == ["SELECT"]
    assert _sql(on_default) == ["SELECT"]


def test_a_streamed_response_makes_its_chunks_from_the_replica(replica):
    PlaceFactory.create_batch(2)

    def rows():
        for place in Place.objects.order_by("pk"):
            yield f"{place.name}\n"

    @reads_from_replica
    def export(request):
        # The rows are read as the response is sent, after the view has returned.
        return StreamingHttpResponse(rows())

    response = export(None)
    chunks = iter(response.streaming_content)
    with _queries("default") as on_default, _queries(REPLICA) as on_replica:
        first = next(chunks)
        # Between two chunks, the thread reads from default again.
        assert router.db_for_read(Place) == "default"
        rest = list(chunks)
    assert len([first, *rest]) == 2
    assert _sql(on_replica) == ["SELECT"]
    assert on_default.captured_queries == []


def test_the_decorator_keeps_what_other_decorators_marked():
    # The public portal is marked public before (under) the replica decorator.
    view = reads_from_replica(login_not_required(lambda request: None))
    assert view.login_required is False


def test_writes_inside_the_context_go_to_default(replica):
    with reads_from_replica():
        with _queries("default") as on_default, _queries(REPLICA) as on_replica:
            place = PlaceFactory(name="Before")
            read_back = Place.objects.get(pk=place.pk)
            read_back.name = "After"
            read_back.save()
        # Read from the replica, the object is still written to default.
        assert read_back._state.db == "default"
    assert {"INSERT", "UPDATE"} <= set(_sql(on_default))
    assert "INSERT" not in _sql(on_replica)
    assert "UPDATE" not in _sql(on_replica)
    assert Place.objects.get(pk=place.pk).name == "After"


def test_an_object_read_from_the_replica_is_saved_to_default(replica):
    place = PlaceFactory(name="Before")
    with reads_from_replica():
        read_back = Place.objects.get(pk=place.pk)
    assert read_back._state.db == REPLICA
    read_back.name = "After"
    with _queries(REPLICA) as on_replica:
        read_back.save()
    assert on_replica.captured_queries == []
    assert Place.objects.get(pk=place.pk).name == "After"


def test_locking_reads_go_to_default(replica):
    place = PlaceFactory()
    with reads_from_replica(), transaction.atomic(), _queries(REPLICA) as on_replica:
        assert Place.objects.select_for_update().get(pk=place.pk) == place
        Place.objects.get_or_create(name=place.name, defaults={"authority": place.authority})
    assert on_replica.captured_queries == []


def test_the_flag_ends_with_an_exception_and_does_not_reach_other_threads(replica):
    PlaceFactory()
    with pytest.raises(RuntimeError), reads_from_replica():
        raise RuntimeError
    assert router.db_for_read(Place) == "default"
    seen_in_thread = []
    with reads_from_replica():
        assert router.db_for_read(Place) == REPLICA
        thread = threading.Thread(target=lambda: seen_in_thread.append(router.db_for_read(Place)))
        thread.start()
        thread.join()
    # Another request, served by another thread at the same moment, reads from default.
    assert seen_in_thread == ["default"]


def test_nothing_is_migrated_on_the_replica(replica):
    assert router.allow_migrate(REPLICA, "visits", model_name="place") is False
    assert router.allow_migrate("default", "visits", model_name="place") is True


def test_without_a_replica_everything_reads_from_default(db):
    assert REPLICA not in connections.settings
    PlaceFactory()
    with reads_from_replica(), _queries("default") as on_default:
        assert Place.objects.count() == 1
    assert _sql(on_default) == ["SELECT"]
    assert router.db_for_read(Place) == "default"


@pytest.mark.skipif(
    connections["default"].vendor != "postgresql", reason="read-only sessions: PostgreSQL only"
)
def test_the_replica_connection_refuses_writes(replica):
    # settings.py opens replica sessions read-only: a write routed there by mistake fails.
    with pytest.raises(DatabaseError, match="read-only"), replica.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE t (x int)")
