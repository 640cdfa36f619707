"""Chart labels fit the room left of the bars, measured in the charts' font: Cyrillic, whose
letters are wider than Latin ones, is shortened sooner, and nothing runs off the viewBox."""

from __future__ import annotations

from recommendations import charts

ROOM = charts.LABEL_WIDTH - charts.LABEL_MARGIN


def test_a_short_label_is_kept_whole():
    assert charts.short("Police station / detention unit") == "Police station / detention unit"


def test_a_long_cyrillic_label_is_shortened_to_fit():
    label = "Здравствена заштита и евидентирање повреда"
    assert charts.text_width(label) > ROOM
    shortened = charts.short(label)
    assert shortened.endswith("…")
    assert label.startswith(shortened[:-1])
    assert charts.text_width(shortened) <= ROOM
    # As long as fits: one more letter would not.
    assert charts.text_width(label[: len(shortened)] + "…") > ROOM


def test_cyrillic_is_measured_wider_than_latin_of_the_same_length():
    # 32 characters each: the old cut by character count let the Cyrillic one overflow.
    latin = "Zdravstvena zastita i evidentir"
    cyrillic = "Здравствена заштита и евидентир"
    assert len(latin) == len(cyrillic)
    assert charts.text_width(cyrillic) > charts.text_width(latin)


def test_chart_rows_carry_the_fitted_label_and_the_full_one():
    label = "Специјална затворска болница у Београду, одељење за жене"
    chart = charts.bars("Title", [(label, 3)])
    row = chart.rows[0]
    assert row.label == label
    assert charts.text_width(row.short_label) <= ROOM
