"""One way to match search text, everywhere: the header search, every list's search box, the
tracker and the public portal.

Text is compared *folded*: Cyrillic read as Latin (core.translit's table), đ as "dj", every
other diacritic dropped, case ignored. So "Pozarevac", "POŽAREVAC" and "Пожаревац" are the same
word, and a reference copied from a page ("NPM-2026-002") finds its row whatever its case.

The database folds the column with `npm_fold(text)`, the same rules in SQL: on PostgreSQL an
IMMUTABLE function over `unaccent` (migration npm_portal/0005_search_folding), whose result is
stored for the columns searched at scale, with trigram indexes (STORED_FOLDED, migration
npm_portal/0008); on SQLite the Python `fold` below,
registered on every connection (`register_sqlite_fold`, connected in core.apps). The search text
is folded here in Python, once, so the condition is `npm_fold(column) ~ '(^|[^a-z0-9])text'`
(or `LIKE '%text%'` for a text that starts with a digit or a sign), which a trigram index on
the stored `column_folded` answers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.db.models import F, Func, Q, TextField, Value
from django.db.models.functions import Concat
from django.db.models.lookups import Contains, Regex

from .translit import _CYR_TO_LAT

# Cyrillic letter → Latin letters, and đ (which has no decomposition) → dj, as Serbian writes
# it without diacritics ("Djordje"). Both cases, so no locale decides what lower() does.
_DJ = {"Đ": "Dj", "đ": "dj"}
_FOLD_TABLE = str.maketrans({**{cyr: _DJ.get(lat, lat) for cyr, lat in _CYR_TO_LAT.items()}, **_DJ})


def fold(text: str | None) -> str | None:
    """The search form of `text`: Latin, no diacritics, case-folded. None stays None (SQL NULL)."""
    if text is None:
        return None
    latin = str(text).translate(_FOLD_TABLE)
    decomposed = unicodedata.normalize("NFKD", latin)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


# The same rules in SQL, for the PostgreSQL function (see the migration). Cyrillic letters of one
# Latin letter by translate(), the two-letter ones and đ by replace(), then unaccent and lower.
_SINGLE = {cyr: lat for cyr, lat in _CYR_TO_LAT.items() if len(lat) == 1}
_SQL_FROM = "".join(_SINGLE)
_SQL_TO = "".join(_SINGLE.values())
_SQL_PAIRS = [(cyr, lat) for cyr, lat in _CYR_TO_LAT.items() if len(lat) == 2]
_SQL_PAIRS += [("Đ", "Dj"), ("đ", "dj")]


def fold_function_sql(schema: str = "public") -> str:
    """CREATE FUNCTION npm_fold(text): IMMUTABLE (unaccent with its dictionary named), so an
    index can be built on it."""
    # translate() over a 60-letter multibyte table costs some 30 µs a call; most text has no
    # Cyrillic at all, so it is transliterated only where a Cyrillic letter (U+0400–U+04FF) is.
    expression = f"translate($1, '{_SQL_FROM}', '{_SQL_TO}')"
    latin = "$1"
    for source, target in _SQL_PAIRS:
        expression = f"replace({expression}, '{source}', '{target}')"
        if source in _DJ:  # đ, Đ are Latin letters: replaced in every text
            latin = f"replace({latin}, '{source}', '{target}')"
    expression = f"CASE WHEN $1 ~ '[\u0400-\u04ff]' THEN {expression} ELSE {latin} END"
    return (
        "CREATE OR REPLACE FUNCTION npm_fold(text) RETURNS text "
        "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ "
        f"SELECT lower({schema}.unaccent('{schema}.unaccent'::regdictionary, {expression})) $$"
    )


# The columns searched at scale, folded once when a row is written: on PostgreSQL each has a
# stored generated column `<column>_folded` = npm_fold(column), with a trigram index on it
# (migration npm_portal 0008). A search then reads the stored text, where npm_fold (a SQL
# function PostgreSQL cannot inline, some 2 µs a call on Latin text and 30 on Cyrillic) would
# otherwise run again on every candidate row an index recheck or a scan reads. The columns are
# PostgreSQL's alone (no model field, nothing for Django to write); SQLite folds as it reads.
# A change to npm_fold must rewrite them (`UPDATE table SET column = column`), and a column
# listed here cannot change type while its folded column exists.
STORED_FOLDED = {
    "recommendations_recommendation": {"text"},
    "visits_place": {"name", "name_sr", "municipality"},
    "visits_report": {"reference", "title"},
    "visits_visit": {"purpose", "joint_with"},
}
FOLDED_SUFFIX = "_folded"


class Fold(Func):
    """npm_fold(expression): the folded form of a text column, in SQL; on PostgreSQL the stored
    folded column where the expression is one of STORED_FOLDED."""

    function = "npm_fold"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        (source,) = self.get_source_expressions()
        target = getattr(source, "target", None)  # a Col: a model field, with its join alias
        if target is not None and target.column in STORED_FOLDED.get(
            target.model._meta.db_table, ()
        ):
            identifiers = (source.alias, target.column + FOLDED_SUFFIX)
            quote = compiler.quote_name_unless_alias
            return ".".join(quote(name) for name in identifiers if name), []
        return self.as_sql(compiler, connection, **extra_context)


# A word starts at the beginning of the text or after anything but a letter or digit.
WORD_START = "(^|[^a-z0-9])"


# Between the fields folded as one text: not a letter or digit, so a field's first word starts
# a word, and a line break, which a search box's one line does not hold.
FIELD_SEPARATOR = "\n"


def folded_contains(fields: Iterable[str], query: str, *, as_one_text: bool = False) -> Q:
    """Rows where any of `fields` contains `query`, folded on both sides. A query that begins
    with a letter matches from the start of a word ("Niš" finds "Niš" and "Nišava", not
    "Administration"); one that begins with a digit or a sign matches anywhere ("002/1" finds
    "NPM-2026-002/1"). An empty query (or one with nothing left after folding) matches
    everything, as an empty search box does.

    `as_one_text` folds the fields joined by a line break, one call per row instead of one per
    field: for a table read whole (no index on its folded fields), where folding is the cost
    (the registry's 1,000 places by eight fields: 21 ms, one call 5). A line break is not in a
    one-line query (one in a query is read as a space), so a match never spans two fields."""
    # NUL cannot be in a PostgreSQL string (nor in any stored text): it is dropped.
    needle = fold(query.replace("\x00", "").strip()) if query else ""
    condition = Q()
    if not needle:
        return condition
    from_word_start = needle[0].isalpha()
    pattern = WORD_START + re.escape(needle)
    fields = list(fields)
    if as_one_text and len(fields) > 1:
        needle = needle.replace(FIELD_SEPARATOR, " ")
        pattern = WORD_START + re.escape(needle)
        joined = [F(fields[0])]
        for field in fields[1:]:
            joined += [Value(FIELD_SEPARATOR), F(field)]
        columns = [Fold(Concat(*joined, output_field=TextField()))]
    else:
        columns = [Fold(F(field)) for field in fields]
    for column in columns:
        if from_word_start:
            # The trigram index answers the regular expression too (its trigrams are the
            # needle's), and the recheck folds each candidate once, not once per condition.
            condition |= Q(Regex(column, pattern))
        else:
            condition |= Q(Contains(column, needle))
    return condition


def register_sqlite_fold(sender, connection, **kwargs) -> None:
    """connection_created receiver: npm_fold on SQLite is the Python `fold`."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("npm_fold", 1, fold, deterministic=True)
