import datetime as dt

import pytest

from tests.factories.visits import VisitFactory, local
from visits.models import Visit, VisitStatus, covers_night


class TestNightVisit:
    @pytest.mark.parametrize(
        ("start", "end", "night"),
        [
            # Ends exactly when the night begins: not a night visit.
            (local(2026, 6, 10, 14, 0), local(2026, 6, 10, 22, 0), False),
            # One minute into the night.
            (local(2026, 6, 10, 14, 0), local(2026, 6, 10, 22, 1), True),
            # Starts exactly when the night ends: not a night visit.
            (local(2026, 6, 10, 6, 0), local(2026, 6, 10, 14, 0), False),
            # Starts a minute before the night ends.
            (local(2026, 6, 10, 5, 59), local(2026, 6, 10, 9, 0), True),
            # Wholly inside the night, after midnight.
            (local(2026, 6, 11, 1, 0), local(2026, 6, 11, 3, 0), True),
            # A day visit.
            (local(2026, 6, 10, 9, 0), local(2026, 6, 10, 17, 0), False),
            # Across midnight.
            (local(2014, 6, 12, 21, 30), local(2014, 6, 13, 2, 0), True),
            # Winter time too (UTC+1): 21:00–21:59 local is not night.
            (local(2026, 12, 10, 21, 0), local(2026, 12, 10, 21, 59), False),
        ],
    )
    def test_covers_night_at_the_boundaries(self, start, end, night):
        assert covers_night(start, end) is night

    def test_local_time_counts_not_utc(self):
        # 21:30 UTC in summer is 23:30 in Belgrade: a night visit.
        start = dt.datetime(2026, 6, 10, 18, 0, tzinfo=dt.UTC)
        end = dt.datetime(2026, 6, 10, 21, 30, tzinfo=dt.UTC)
        assert covers_night(start, end) is True

    def test_saved_visit_derives_night_from_actual_times_when_known(self, db):
        visit = VisitFactory(
            planned_start=local(2026, 6, 10, 9, 0), planned_end=local(2026, 6, 10, 17, 0)
        )
        assert visit.night is False
        visit.actual_start = local(2026, 6, 10, 18, 0)
        visit.actual_end = local(2026, 6, 10, 23, 30)
        visit.save(update_fields=["actual_start", "actual_end"])
        visit.refresh_from_db()
        assert visit.night is True


class TestPopulation:
    def test_overcrowding_when_present_exceeds_capacity(self, db):
        visit = VisitFactory(capacity_on_day=6, present=9)
        assert visit.overcrowded is True
        assert visit.occupancy_rate == 150

    def test_full_is_not_overcrowded(self, db):
        visit = VisitFactory(capacity_on_day=6, present=6)
        assert visit.overcrowded is False
        assert visit.occupancy_rate == 100

    def test_place_capacity_is_used_when_none_given_on_the_day(self, db):
        visit = VisitFactory(place__capacity=4, present=5)
        assert visit.overcrowded is True
        assert visit.occupancy_rate == 125

    def test_unknown_figures_give_no_rate(self, db):
        visit = VisitFactory(place__capacity=None, present=5)
        assert visit.occupancy_rate is None
        assert visit.overcrowded is False


def test_transitions_are_written_once_on_the_model():
    assert Visit.TRANSITIONS[VisitStatus.PLANNED] == {VisitStatus.CONDUCTED, VisitStatus.CANCELLED}
    # A closed visit goes back only to reporting (the head's reopen, with a reason).
    assert Visit.TRANSITIONS[VisitStatus.CLOSED] == {VisitStatus.REPORTING}
    assert Visit.TRANSITIONS[VisitStatus.CANCELLED] == set()


def test_reference_numbers_visits_within_the_year(db):
    visit = VisitFactory(planned_start=local(2026, 3, 1, 9), year=2026, number=14)
    assert visit.reference == "V-2026-014"
