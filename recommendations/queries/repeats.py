"""Repeated concerns: earlier recommendations raising the same issue at the same place (or at
places like it), suggested while authoring and counted in statistics.

Similar text is ranked with PostgreSQL trigram similarity when the pg_trgm extension is installed
(migration recommendations/0002_pg_trgm creates it when allowed); otherwise with word overlap in
Python.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.db import connection
from django.db.models import Case, F, FloatField, Func, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from core.translit import to_latin
from visits.models import Theme, Visit

from ..models import Recommendation

# Trigram similarity (0..1) at or above which two texts count as "similar".
TRIGRAM_THRESHOLD = 0.3
# Word overlap (shared words / words of the shorter text) for the fallback.
OVERLAP_THRESHOLD = 0.5
# The fallback scans at most this many candidate rows (same place, or same category+authority).
FALLBACK_CANDIDATES = 2000

# English and Serbian (Latin) words that say nothing about the concern.
_STOP = (
    "a an and are as at be by for from has have in into is it its of on or that the their "
    "this to was were which with should shall must all any been being not no such than then "
    "there these those who whom will would can could may might also other each per "
    "i u na za da se od do sa po iz je su ili kao koji koja koje što treba"
)
STOP_WORDS = frozenset(_STOP.split())

_trigram_available: dict[str, bool] = {}


def trigram_available() -> bool:
    """PostgreSQL with pg_trgm installed; asked once per database connection alias."""
    alias = connection.alias
    if alias not in _trigram_available:
        available = False
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
                available = cursor.fetchone() is not None
        _trigram_available[alias] = available
    return _trigram_available[alias]


class Similarity(Func):
    """pg_trgm's similarity(a, b), without needing django.contrib.postgres installed."""

    function = "similarity"
    output_field = FloatField()


def visit_start():
    """The expression for when a visit started (actual start, else planned)."""
    return Coalesce("actual_start", "planned_start")


def words(text: str) -> set[str]:
    """Normalised content words: Cyrillic as Latin, lower case, accents folded, stop-words and
    words of one or two letters dropped."""
    folded = unicodedata.normalize("NFKD", to_latin(text).lower())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return {w for w in re.findall(r"\w+", folded) if len(w) > 2 and w not in STOP_WORDS}


def word_overlap(a: str, b: str) -> float:
    """Shared words as a share of the shorter text's words (0..1); a single shared word is not
    enough (a one-word query would otherwise match everything containing it)."""
    wa, wb = words(a), words(b)
    shared = len(wa & wb)
    if shared < 2:
        return 0.0
    return shared / min(len(wa), len(wb))


def earlier_than(visit: Visit) -> Q:
    """Recommendations of visits that started before `visit`."""
    return Q(visit__in=Visit.objects.annotate(_start=visit_start()).filter(_start__lt=visit.start))


def _candidates(visit: Visit, exclude_pk: int | None) -> QuerySet[Recommendation]:
    place = visit.place
    qs = Recommendation.objects.filter(earlier_than(visit)).filter(
        Q(visit__place=place)
        | Q(visit__place__category=place.category, visit__place__authority_id=place.authority_id)
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.select_related("visit__place", "visit__report", "theme")


def repeat_suggestions(
    *,
    visit: Visit,
    theme: Theme | None,
    text: str,
    exclude_pk: int | None = None,
    limit: int = 10,
) -> list[Recommendation]:
    """Earlier recommendations at the same place, or at places of the same category and the same
    authority, with the same theme or similar text. Same place first, then the most similar.

    Each result carries `same_place` (bool) and `similarity` (0..1) for display."""
    qs = _candidates(visit, exclude_pk)
    text = (text or "").strip()
    theme_id = theme.pk if theme is not None else None
    same_theme = Q(theme_id=theme_id) if theme_id else Q(pk__in=[])
    # Same place first in SQL too, so a cut never drops a same-place row for a similar one.
    qs = qs.annotate(
        place_rank=Case(When(visit__place=visit.place, then=Value(0)), default=Value(1))
    )
    if text and trigram_available():
        qs = qs.annotate(similarity=Similarity(F("text"), Value(text)))
        rows = list(
            qs.filter(same_theme | Q(similarity__gte=TRIGRAM_THRESHOLD)).order_by(
                "place_rank", "-similarity", "-pk"
            )[: limit * 5]
        )
    elif text:
        rows = []
        for rec in qs.order_by("place_rank", "-pk")[:FALLBACK_CANDIDATES]:
            rec.similarity = word_overlap(text, rec.text)
            if (theme_id and rec.theme_id == theme_id) or rec.similarity >= OVERLAP_THRESHOLD:
                rows.append(rec)
    elif theme_id:
        rows = list(qs.filter(same_theme).order_by("place_rank", "-pk")[: limit * 5])
        for rec in rows:
            rec.similarity = 0.0
    else:
        return []
    for rec in rows:
        rec.same_place = rec.visit.place_id == visit.place_id
        rec.same_theme = bool(theme_id) and rec.theme_id == theme_id
    rows.sort(key=lambda r: (not r.same_place, -r.similarity, not r.same_theme, -r.pk))
    return rows[:limit]


def _reachable(pk: int, source: str, target: str) -> set[int]:
    """Every recommendation reachable from `pk` along the links from `source` to `target`, in one
    recursive query whatever the length of the chain (UNION ends it on a cycle)."""
    table = connection.ops.quote_name(Recommendation.repeats.through._meta.db_table)
    sql = f"""
        WITH RECURSIVE chain(node) AS (
            SELECT {target} FROM {table} WHERE {source} = %s
            UNION
            SELECT link.{target} FROM {table} link JOIN chain ON link.{source} = chain.node
        )
        SELECT node FROM chain
    """  # nosec B608 - the table and columns are the model's own names; the key is bound
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        return {row[0] for row in cursor.fetchall()} - {pk}


def earlier_ids(recommendation: Recommendation) -> set[int]:
    """Every recommendation reachable through `repeats`, transitively (kept on the instance for
    the rest of the request: a page asks for the count and the first year)."""
    cached = recommendation.__dict__.get("_earlier_ids")
    if cached is None or cached[0] != recommendation.pk:
        ids = _reachable(recommendation.pk, "from_recommendation_id", "to_recommendation_id")
        cached = recommendation.__dict__["_earlier_ids"] = (recommendation.pk, ids)
    return set(cached[1])


def later_ids(recommendation: Recommendation) -> set[int]:
    """Every recommendation that repeats this one, transitively."""
    return _reachable(recommendation.pk, "to_recommendation_id", "from_recommendation_id")


def repeat_count(recommendation: Recommendation) -> int:
    """How many times the concern has been raised up to this recommendation: itself plus every
    earlier recommendation it repeats, transitively ("issued 3 times since 2014" → 3)."""
    return 1 + len(earlier_ids(recommendation))


def first_year(recommendation: Recommendation) -> int:
    """The year of the earliest visit at which the concern was raised."""
    ids = earlier_ids(recommendation)
    years = Visit.objects.filter(recommendations__pk__in=ids).values_list("year", flat=True)
    return min([recommendation.visit.year, *years])


def linked(recommendations: Iterable[Recommendation]) -> set[int]:
    """Ids among `recommendations` that repeat or are repeated by another one (one query)."""
    ids = [r.pk for r in recommendations]
    through = Recommendation.repeats.through
    rows = through.objects.filter(
        Q(from_recommendation_id__in=ids) | Q(to_recommendation_id__in=ids)
    ).values_list("from_recommendation_id", "to_recommendation_id")
    found = set()
    for a, b in rows:
        found.update((a, b))
    return found & set(ids)


def repeat_counts(recommendations: Iterable[Recommendation]) -> dict[int, int]:
    """`repeat_count` for many recommendations at once: one recursive query that walks the links
    from these recommendations only (never the whole table of links), cycles included."""
    ids = sorted({r.pk for r in recommendations})
    if not ids:
        return {}
    through = Recommendation.repeats.through
    table = connection.ops.quote_name(through._meta.db_table)
    marks = ", ".join(["%s"] * len(ids))
    sql = f"""
        WITH RECURSIVE chain(origin, node) AS (
            SELECT from_recommendation_id, to_recommendation_id FROM {table}
            WHERE from_recommendation_id IN ({marks})
            UNION
            SELECT chain.origin, link.to_recommendation_id
            FROM chain JOIN {table} link ON link.from_recommendation_id = chain.node
        )
        SELECT origin, COUNT(DISTINCT node) FROM chain WHERE node <> origin GROUP BY origin
    """  # nosec B608 - the table is the model's own; the keys are bound placeholders
    counts = dict.fromkeys(ids, 1)
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        for origin, earlier in cursor.fetchall():
            counts[origin] = 1 + earlier
    return counts
