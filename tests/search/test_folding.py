"""One folding (core.search.fold): Python's and the database's npm_fold agree, on SQLite (the
registered Python function) and on PostgreSQL (the SQL function of migrations 0005 and 0007)."""

import pytest
from django.db.models import Value

from core.search import Fold, fold, folded_contains
from tests.factories import AuthorityFactory, PlaceFactory
from visits.models import Place

CASES = {
    "Požarevac": "pozarevac",
    "POŽAREVAC": "pozarevac",
    "Пожаревац": "pozarevac",
    "ПОЖАРЕВАЦ": "pozarevac",
    "Ćićevac Čačak Šabac": "cicevac cacak sabac",
    "Đorđe": "djordje",
    "Ђорђе": "djordje",
    "Љубљана Његош Џеп": "ljubljana njegos dzep",
    "NPM-2026-002/1": "npm-2026-002/1",
    "V-2025-001": "v-2025-001",
    "Müller": "muller",
    # Latin and Cyrillic in one text (the database transliterates only where Cyrillic is).
    "Đurđevdan у Нишу": "djurdjevdan u nisu",
    "Zavod Ćuprija": "zavod cuprija",
}


@pytest.mark.parametrize(("text", "folded"), CASES.items())
def test_fold_reads_cyrillic_as_latin_without_diacritics_or_case(text, folded):
    assert fold(text) == folded


def test_fold_keeps_none_as_null():
    assert fold(None) is None


@pytest.mark.django_db
def test_the_database_folds_exactly_as_python():
    rows = Place.objects.annotate(**{f"f{i}": Fold(Value(text)) for i, text in enumerate(CASES)})
    PlaceFactory()  # one row to evaluate the expressions on
    values = rows.values(*[f"f{i}" for i in range(len(CASES))]).get()
    assert list(values.values()) == list(CASES.values())


@pytest.mark.django_db
def test_folded_contains_matches_any_field_and_escapes_like_wildcards():
    prison = PlaceFactory(name="Okružni zatvor Požarevac", municipality="Požarevac")
    PlaceFactory(name="50% capacity_home", municipality="Niš")
    assert list(Place.objects.filter(folded_contains(["name"], "ZATVOR pozar"))) == [prison]
    assert list(Place.objects.filter(folded_contains(["name", "municipality"], "Пожар"))) == [
        prison
    ]
    # % and _ are letters here, not LIKE wildcards.
    assert Place.objects.filter(folded_contains(["name"], "%")).count() == 1
    assert Place.objects.filter(folded_contains(["name"], "capacity_h")).count() == 1
    # A word matches from its start: "apacity" is inside a word.
    assert Place.objects.filter(folded_contains(["name"], "apacity")).count() == 0
    assert Place.objects.filter(folded_contains(["name"], "o_z")).count() == 0


@pytest.mark.django_db
def test_an_empty_query_matches_everything():
    PlaceFactory.create_batch(2)
    assert Place.objects.filter(folded_contains(["name"], "  ")).count() == 2


@pytest.mark.django_db
def test_latin_finds_text_stored_in_cyrillic():
    stored = PlaceFactory(name="Казнено-поправни завод Сремска Митровица")
    assert list(Place.objects.filter(folded_contains(["name"], "sremska mitrovica"))) == [stored]


@pytest.mark.django_db
def test_letters_match_from_a_word_start_digits_anywhere():
    nis = PlaceFactory(name="Old Police Station Niš", municipality="Nišava")
    PlaceFactory(name="Police Administration Kruševac", municipality="Kruševac")
    PlaceFactory(name="Ministry of Justice", municipality="Beograd")
    assert list(Place.objects.filter(folded_contains(["name", "municipality"], "Niš"))) == [nis]
    assert list(Place.objects.filter(folded_contains(["municipality"], "НИШ"))) == [nis]
    report = PlaceFactory(name="Report NPM-2026-002/1")
    assert list(Place.objects.filter(folded_contains(["name"], "002/1"))) == [report]
    assert list(Place.objects.filter(folded_contains(["name"], "(npm-2026"))) == []


@pytest.mark.django_db
def test_fields_folded_as_one_text_match_as_the_fields_do():
    """`as_one_text` (one fold per row): a word in any field, a field left empty or NULL, but
    never a phrase made of the end of one field and the start of the next."""
    ministry = AuthorityFactory(name="Ministarstvo pravde")
    authority = AuthorityFactory(name="Uprava za izvršenje krivičnih sankcija", parent=ministry)
    prison = PlaceFactory(name="District Prison", municipality="Požarevac", authority=authority)
    # An authority with no parent: the joined field is NULL.
    orphan = PlaceFactory(name="Stari dom Niš", municipality="", authority=AuthorityFactory())
    fields = ["name", "municipality", "authority__parent__name"]

    def found(text):
        return set(Place.objects.filter(folded_contains(fields, text, as_one_text=True)))

    assert found("pozarevac") == {prison}
    assert found("МИНИСТАРСТВО") == {prison}
    assert found("dom nis") == {orphan}
    # "Prison" ends the name, "Požarevac" is the municipality: no match across the two.
    assert found("prison pozarevac") == set()
    assert found("prison\npozarevac") == set()
    assert found("District Prison") == {prison}
    for text in ("pozarevac", "prison pozarevac", "dom nis", "pravde"):
        assert found(text) == set(Place.objects.filter(folded_contains(fields, text))), text
