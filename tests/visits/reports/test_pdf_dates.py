"""Dates in the report's language: one style for the whole PDF (visits.pdf.dates)."""

import datetime as dt

import pytest

from tests.factories.visits import local
from visits.pdf.dates import format_date, format_date_range, format_datetime

D = dt.date


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "12 June 2014"), ("sr-latn", "12. jun 2014."), ("sr-cyrl", "12. јун 2014.")],
)
def test_one_day(language, expected):
    assert format_date(D(2014, 6, 12), language) == expected
    assert format_date_range(D(2014, 6, 12), D(2014, 6, 12), language) == expected
    assert format_date_range(D(2014, 6, 12), None, language) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "12–13 June 2014"), ("sr-latn", "12–13. jun 2014."), ("sr-cyrl", "12–13. јун 2014.")],
)
def test_range_within_a_month_has_an_en_dash_without_spaces(language, expected):
    assert format_date_range(D(2014, 6, 12), D(2014, 6, 13), language) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "30 June – 2 July 2014"),
        ("sr-latn", "30. jun – 2. jul 2014."),
        ("sr-cyrl", "30. јун – 2. јул 2014."),
    ],
)
def test_range_across_months_says_the_year_once(language, expected):
    assert format_date_range(D(2014, 6, 30), D(2014, 7, 2), language) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "30 December 2014 – 2 January 2015"),
        ("sr-latn", "30. decembar 2014. – 2. januar 2015."),
        ("sr-cyrl", "30. децембар 2014. – 2. јануар 2015."),
    ],
)
def test_range_across_years_says_both_years(language, expected):
    assert format_date_range(D(2014, 12, 30), D(2015, 1, 2), language) == expected


def test_every_month_has_its_name():
    assert [format_date(D(2014, m, 1), "en").split()[1] for m in (1, 5, 8, 12)] == [
        "January",
        "May",
        "August",
        "December",
    ]
    assert format_date(D(2014, 8, 1), "sr-latn") == "1. avgust 2014."
    assert format_date(D(2014, 5, 1), "sr-cyrl") == "1. мај 2014."


def test_range_given_backwards_is_put_in_order():
    assert format_date_range(D(2014, 6, 13), D(2014, 6, 12), "en") == "12–13 June 2014"


def test_datetimes_are_taken_by_their_local_date():
    # A night visit: 22:00 to 04:00 the next morning.
    assert format_date_range(local(2014, 6, 12, 22), local(2014, 6, 13, 4), "en") == (
        "12–13 June 2014"
    )


def test_moment_with_time():
    moment = local(2014, 6, 12, 14, 5)
    assert format_datetime(moment, "en") == "12 June 2014, 14:05"
    assert format_datetime(moment, "sr-latn") == "12. jun 2014. 14:05"
    assert format_datetime(moment, "sr-cyrl") == "12. јун 2014. 14:05"


def test_unknown_language_falls_back_to_english():
    assert format_date(D(2014, 6, 12), "de") == "12 June 2014"
