"""The trigram indexes behind the tracker's and the portal's text search (migration 0006): on
PostgreSQL (CI) they exist and answer the `icontains` search; SQLite gets none."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

NAMES = {"recommendation_text_trgm", "place_name_trgm", "report_reference_trgm"}


def test_the_trigram_indexes_exist_and_answer_the_search():
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
            assert not NAMES & {row[0] for row in cursor.fetchall()}
            return
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes")
        found = {name: definition for name, definition in cursor.fetchall() if name in NAMES}
        assert set(found) == NAMES
        assert "gin (upper(text) gin_trgm_ops)" in found["recommendation_text_trgm"]
        # The SQL Django writes for `text__icontains` is answered through the index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM recommendations_recommendation "
            "WHERE UPPER(text::text) LIKE UPPER(%s)",
            ["%natural light%"],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "recommendation_text_trgm" in plan
