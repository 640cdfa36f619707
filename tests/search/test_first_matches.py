"""The header search's recommendations: each part of the tracker's search (text, report
reference, reference as displayed) cut at the group's rows before the union
(recommendations.queries.filters.first_matches_q) gives exactly the first rows of the whole
search, in the tracker's order."""

import pytest

from recommendations.models import Recommendation
from recommendations.queries.filters import NEWEST_FIRST, first_matches_q, search_q
from tests.factories.recommendations import RecommendationFactory
from tests.factories.visits import ReportFactory, VisitFactory

ORDER = NEWEST_FIRST


@pytest.fixture
def recommendations(db):
    """Visits of three years: the report references of some start "NPM-2025-1" (the newest of
    them without recommendations), the texts of others name the ventilation; both parts have
    more matches than a group shows."""
    for year, number, reference in [
        (2024, 1, "NPM-2024-001"),
        (2024, 2, "NPM-2025-10"),  # a report issued the year after its visit
        (2025, 1, "NPM-2025-11"),
        (2025, 2, "NPM-2025-12"),
        (2025, 3, "NPM-2025-200"),
        (2026, 1, "NPM-2026-001"),
        (2026, 2, "NPM-2026-002"),
        (2026, 3, "NPM-2025-14"),
        (2026, 4, "NPM-2025-13"),  # the newest match has no recommendation
    ]:
        visit = VisitFactory(year=year, number=number)
        ReportFactory(visit=visit, reference=reference)
        for n in range(1, 5 if reference != "NPM-2025-13" else 1):
            text = "Repair the ventilation." if (number + n) % 2 else "Train the staff."
            RecommendationFactory(visit=visit, number=n, text=text)


def _first(condition, rows):
    return list(Recommendation.objects.filter(condition).order_by(*ORDER)[:rows])


@pytest.mark.parametrize("text", ["NPM-2025-1", "ventilation", "NPM-2025-11/3", "Ventil", "zzz"])
@pytest.mark.parametrize("rows", [1, 3, 5, 40])
def test_the_cut_parts_give_the_first_rows_of_the_whole_search(recommendations, text, rows):
    whole = _first(search_q(text, with_places=False), rows)
    assert _first(first_matches_q(text, rows, with_places=False), rows) == whole
    if text != "zzz":
        assert whole, text  # each case finds something, so the comparison means something


def test_a_reference_as_displayed_is_among_the_first_rows(recommendations):
    found = _first(first_matches_q("NPM-2025-11/3", 3, with_places=False), 3)
    assert [r.reference for r in found][:1] == ["NPM-2025-11/3"]
