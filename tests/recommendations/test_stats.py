"""The compliance statistics equal the figures computed by hand on the fixed fixture of
`stats_world` (see its table)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from recommendations.queries import stats
from recommendations.queries.stats import Outcome
from tests.recommendations import stats_world
from tests.recommendations.stats_world import TODAY

pytestmark = pytest.mark.django_db

IMPL, PART, NOT, WAIT = (
    Outcome.IMPLEMENTED,
    Outcome.PARTIAL,
    Outcome.NOT_IMPLEMENTED,
    Outcome.AWAITING,
)


@pytest.fixture
def world():
    return stats_world.build()[0]


def counts(row) -> tuple[int, int, int, int, int]:
    """(implemented, partial, not implemented, awaiting, no longer applicable)."""
    return (row.counts[IMPL], row.counts[PART], row.counts[NOT], row.counts[WAIT], row.excluded)


def by_label(rows) -> dict[str, object]:
    return {row.label: row for row in rows}


def test_grouping_covers_every_status_but_no_longer_applicable():
    from recommendations.models import Status

    assert set(stats.OUTCOME_OF_STATUS) | {Status.NO_LONGER_APPLICABLE} == set(Status)
    assert stats.STATUSES_OF_OUTCOME[NOT] == ["not_implemented", "rejected"]
    assert stats.STATUSES_OF_OUTCOME[WAIT] == [
        "awaiting_response",
        "response_received",
        "in_progress",
    ]


def test_percent_rounds_half_up_to_one_decimal():
    assert stats.percent(1, 8) == Decimal("12.5")
    assert stats.percent(2, 9) == Decimal("22.2")
    assert stats.percent(4, 9) == Decimal("44.4")
    assert stats.percent(1, 6) == Decimal("16.7")
    assert stats.percent(3, 0) is None


def test_overall_counts_only_issued_reports_and_leaves_out_no_longer_applicable(world):
    row = stats.overall_rates()
    assert counts(row) == (2, 1, 2, 4, 1)
    assert row.total == 9
    assert row.all_count == 10
    assert [s.percent for s in row.shares] == [
        Decimal("22.2"),
        Decimal("11.1"),
        Decimal("22.2"),
        Decimal("44.4"),
    ]
    assert row.implementation_rate == Decimal("22.2")


def test_rates_by_authority_count_each_addressee(world):
    rows = stats.rates_by_authority()
    assert [r.label for r in rows] == [
        "Prison A",
        "Ministry of Justice",
        "Ministry of Interior",
        "Police B",
    ]
    rows = by_label(rows)
    assert counts(rows["Prison A"]) == (2, 1, 1, 3, 1)
    assert counts(rows["Ministry of Justice"]) == (1, 1, 1, 0, 1)
    assert counts(rows["Police B"]) == (0, 0, 1, 1, 0)
    assert counts(rows["Ministry of Interior"]) == (0, 0, 1, 1, 0)
    # Prison A: 2 of 7 implemented, 3 of 7 awaiting.
    assert rows["Prison A"].share(IMPL).percent == Decimal("28.6")
    assert rows["Prison A"].share(WAIT).percent == Decimal("42.9")
    assert rows["Ministry of Justice"].share(IMPL).percent == Decimal("33.3")
    assert rows["Police B"].share(NOT).percent == Decimal("50.0")
    assert rows["Prison A"].key == world.authorities["PrisonA"].pk


def test_rates_by_place_category(world):
    rows = by_label(stats.rates_by_category())
    assert set(rows) == {"Prison", "Police station / detention unit"}
    assert counts(rows["Prison"]) == (2, 1, 1, 3, 1)
    assert counts(rows["Police station / detention unit"]) == (0, 0, 1, 1, 0)
    assert rows["Prison"].key == "prison"


def test_rates_by_theme_with_a_row_for_no_theme(world):
    rows = by_label(stats.rates_by_theme())
    assert counts(rows["Material conditions"]) == (2, 0, 1, 1, 0)
    assert counts(rows["Health care and recording of injuries"]) == (0, 1, 0, 2, 1)
    assert counts(rows["No theme"]) == (0, 0, 1, 1, 0)
    assert rows["Material conditions"].share(IMPL).percent == Decimal("50.0")
    assert rows["Health care and recording of injuries"].share(WAIT).percent == Decimal("66.7")
    assert rows["No theme"].key is None


def test_rates_by_visit_year(world):
    rows = stats.rates_by_year()
    assert [r.key for r in rows] == [2025, 2026]
    assert counts(rows[0]) == (1, 1, 2, 1, 1)
    assert counts(rows[1]) == (1, 0, 0, 3, 0)
    assert rows[0].share(NOT).percent == Decimal("40.0")
    assert rows[1].share(WAIT).percent == Decimal("75.0")


def test_year_filter_narrows_every_breakdown(world):
    assert counts(stats.overall_rates(2026)) == (1, 0, 0, 3, 0)
    authorities = by_label(stats.rates_by_authority(2026))
    assert set(authorities) == {"Prison A"}
    assert counts(authorities["Prison A"]) == (1, 0, 0, 3, 0)
    assert [r.key for r in stats.rates_by_year(2025)] == [2025]
    assert stats.overall_rates(2019).total == 0
    assert stats.overall_rates(2019).implementation_rate is None


def test_overdue_by_authority_at_a_frozen_date(world):
    with time_machine.travel(stats_world.today_noon(), tick=False):
        overdue = stats.overdue_by_authority()
    assert overdue.today == TODAY
    # r4, r5 and r7 (r11 is overdue too, but its report is not issued).
    assert overdue.total == 3
    assert [(r.label, r.count) for r in overdue.by_authority] == [
        ("Prison A", 2),
        ("Ministry of Interior", 1),
        ("Ministry of Justice", 1),
        ("Police B", 1),
    ]
    assert overdue.max_count == 2


def test_overdue_starts_the_day_after_the_due_date(world):
    # r7 and the others of V3 were due on 2 April 2026.
    assert stats.overdue_by_authority(2026, today=dt.date(2026, 4, 2)).total == 0
    on_the_day_after = stats.overdue_by_authority(2026, today=dt.date(2026, 4, 3))
    assert on_the_day_after.total == 1
    assert [(r.label, r.count) for r in on_the_day_after.by_authority] == [("Prison A", 1)]
    # Before any response was due, nothing is overdue.
    assert stats.overdue_by_authority(today=dt.date(2025, 4, 30)).total == 0


def test_average_days_to_respond(world):
    times = stats.response_times()
    # 40, 70, 30, 20, 10 and 30 days: 200 / 6.
    assert times.overall.responded == 6
    assert times.overall.average_days == Decimal("33.3")
    rows = {r.label: (r.responded, r.average_days) for r in times.by_authority}
    assert rows == {
        "Prison A": (5, Decimal("36.0")),  # 40 + 70 + 30 + 10 + 30
        "Ministry of Justice": (3, Decimal("46.7")),  # 40 + 70 + 30
        "Police B": (1, Decimal("20.0")),
        "Ministry of Interior": (1, Decimal("20.0")),
    }
    assert times.by_authority[0].label == "Ministry of Justice"  # slowest first
    assert stats.response_times(2025).overall.average_days == Decimal("40.0")
    assert stats.response_times(2019).overall.average_days is None


def test_most_repeated_concerns(world):
    concerns = stats.repeated_concerns()
    assert [(c.times, c.first_year, c.last_year) for c in concerns] == [
        (3, 2025, 2026),  # r1, repeated by r5 (2025) and r8 (2026); r11 is not issued
        (2, 2025, 2026),  # r2, repeated by r9
    ]
    first = concerns[0]
    assert first.latest_pk == world.recs["r8"].pk
    assert first.places == ["District Prison", "Police Station"]
    assert first.theme == "Material conditions"
    assert concerns[1].latest_pk == world.recs["r9"].pk
    # Both concerns were raised again in 2026.
    assert [c.times for c in stats.repeated_concerns(2026)] == [3, 2]
    # By the end of 2025 only r1 had been repeated (by r5): r2 was first repeated in 2026.
    in_2025 = stats.repeated_concerns(2025)
    assert [(c.times, c.years, c.latest_pk) for c in in_2025] == [(2, [2025], world.recs["r5"].pk)]
    assert in_2025[0].places == ["District Prison", "Police Station"]
    assert stats.repeated_concerns(2024) == []
    assert len(stats.repeated_concerns(limit=1)) == 1


def test_themes_with_most_repeats(world):
    rows = stats.themes_with_most_repeats()
    assert [(r.label, r.count) for r in rows] == [
        ("Material conditions", 2),  # r5 and r8
        ("Health care and recording of injuries", 1),  # r9
    ]
    assert [(r.label, r.count) for r in stats.themes_with_most_repeats(2025)] == [
        ("Material conditions", 1)
    ]


def test_visits_and_recommendations_per_year(world):
    periods = stats.periods()
    assert [(p.year, p.visits, p.recommendations) for p in periods] == [
        (2026, 2, 4),  # V3, V4 made (V5 planned, V6 cancelled); r7–r10 (r11 unissued)
        (2025, 2, 6),
    ]
    figures_2025 = {c.category: (c.visits, c.recommendations) for c in periods[1].categories}
    assert figures_2025 == {"prison": (1, 4), "police": (1, 2)}
    # Categories by visits, then by recommendations.
    assert periods[1].sentence == (
        "2025: 2 visits (Prison: 1; Police station / detention unit: 1); 6 recommendations."
    )
    assert [p.year for p in stats.periods(2025)] == [2025]


def test_sentence_in_singular():
    period = stats.Period(year=2024, visits=1, recommendations=1)
    period.categories = [stats.CategoryFigures("asylum", "Asylum centre", 1, 1)]
    assert period.sentence == "2024: 1 visit (Asylum centre: 1); 1 recommendation."


def test_years_with_activity(world):
    assert stats.years() == [2026, 2025]


# The pass over the recommendations and the one over their addressee links (each with the names
# of its groups), the repeated concerns (links, details), the periods (visits, recommendations).
SUMMARY_QUERIES = 8


def test_summary_runs_a_fixed_number_of_queries(django_assert_num_queries):
    stats_world.build(copies=1)
    with django_assert_num_queries(SUMMARY_QUERIES):
        stats.compliance_summary(today=TODAY)
    with django_assert_num_queries(SUMMARY_QUERIES):
        stats.compliance_summary(2026, today=TODAY)


def test_query_count_does_not_grow_with_the_data(django_assert_num_queries):
    stats_world.build(copies=2)
    with django_assert_num_queries(SUMMARY_QUERIES):
        summary = stats.compliance_summary(today=TODAY)
    # The figures doubled, the queries did not.
    assert counts(summary["overall"]) == (4, 2, 4, 8, 2)
    assert summary["overdue"].total == 6
