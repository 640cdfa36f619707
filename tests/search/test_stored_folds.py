"""The stored folded columns (migration npm_portal 0008, core.search.STORED_FOLDED): on
PostgreSQL each listed column has `<column>_folded`, kept by the database on every write, and
the search reads it through its trigram index instead of calling npm_fold per row. SQLite has
none and folds as it reads; the results are the same (tests/search/test_folding.py)."""

import pytest
from django.db import connection

from core.search import FOLDED_SUFFIX, STORED_FOLDED, fold, folded_contains
from tests.factories import PlaceFactory
from tests.factories.recommendations import RecommendationFactory
from visits.models import Place

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"


def _generated_columns() -> dict[str, set[str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, generation_expression FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND is_generated = 'ALWAYS'"
        )
        rows = cursor.fetchall()
    found: dict[str, set[str]] = {}
    for table, column, expression in rows:
        assert column.endswith(FOLDED_SUFFIX), column
        source = column.removesuffix(FOLDED_SUFFIX)
        assert expression == f"npm_fold(({source})::text)" or expression == f"npm_fold({source})"
        found.setdefault(table, set()).add(source)
    return found


def test_every_listed_column_is_stored_folded_and_indexed():
    if not POSTGRES:
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM pragma_table_xinfo('visits_place') WHERE hidden != 0")
            assert cursor.fetchall() == []
        return
    assert _generated_columns() == STORED_FOLDED
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE indexname LIKE '%%_fold_trgm'"
        )
        indexed = {(table, definition.split("(")[-1].split()[0]) for table, definition in cursor}
    wanted = {(t, c + FOLDED_SUFFIX) for t, columns in STORED_FOLDED.items() for c in columns}
    assert indexed == wanted


def test_the_stored_fold_follows_every_write():
    place = PlaceFactory(name="Okružni zatvor Пожаревац", municipality="Požarevac")
    recommendation = RecommendationFactory(text="Popraviti ventilaciju u Ђорђевој соби.")

    def stored(table, column, pk):
        # SQLite folds as it reads; PostgreSQL reads what it stored with the row.
        folded = f"{column}{FOLDED_SUFFIX}" if POSTGRES else f"npm_fold({column})"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {folded} FROM {table} WHERE id = %s", [pk])
            return cursor.fetchone()[0]

    assert (
        stored("visits_place", "name", place.pk) == fold(place.name) == "okruzni zatvor pozarevac"
    )
    assert stored("recommendations_recommendation", "text", recommendation.pk) == fold(
        recommendation.text
    )
    place.name = "Kazneno-popravni zavod Niš"
    place.save()
    assert stored("visits_place", "name", place.pk) == "kazneno-popravni zavod nis"
    Place.objects.filter(pk=place.pk).update(name_sr="Казнено-поправни завод Ниш")
    assert stored("visits_place", "name_sr", place.pk) == "kazneno-popravni zavod nis"
    assert list(Place.objects.filter(folded_contains(["name_sr"], "kazneno nis"))) == []
    assert list(Place.objects.filter(folded_contains(["name_sr"], "Ниш"))) == [place]


def test_the_search_reads_the_stored_column_through_its_index():
    PlaceFactory(name="Okružni zatvor Požarevac")
    queryset = Place.objects.filter(folded_contains(["name", "authority__name"], "pozarevac"))
    sql = str(queryset.query)
    assert queryset.count() == 1
    if not POSTGRES:
        assert 'npm_fold("visits_place"."name")' in sql
        assert "_folded" not in sql
        return
    assert '"visits_place"."name_folded"' in sql
    # A column with no stored fold (the authority's name) is folded as it is read.
    assert 'npm_fold("visits_authority"."name")' in sql
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM visits_place WHERE name_folded ~ %s", ["(^|[^a-z0-9])pozar"]
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "place_name_fold_trgm" in plan
