"""Server-side SVG bar charts for the compliance dashboard and the annual report.

No JavaScript and no style attributes (strict CSP): the geometry is computed here, the templates
`recommendations/_chart_stacked.html` and `_chart_bars.html` write it out as SVG elements with
presentation attributes (fill, font-size) and classes. The same SVG renders in browsers and in
WeasyPrint. Every chart is shown next to a table with its numbers; the links into the tracker are
in that table, never inside the SVG.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.contrib.staticfiles import finders
from fontTools.ttLib import TTFont

from .queries.stats import OUTCOME_SHORT_LABELS, OUTCOMES, Outcome, RateRow

WIDTH = 640
LABEL_WIDTH = 210
BAR_X = 218
BAR_WIDTH = 350
VALUE_X = BAR_X + BAR_WIDTH + 8
ROW_HEIGHT = 26
BAR_HEIGHT = 16
TOP = 4
# Row labels end at LABEL_WIDTH (text-anchor "end") and must not run past the left edge of the
# viewBox, where WeasyPrint cuts them: they are shortened to fit, measured in the font the
# charts are drawn in (DejaVu Sans, vendored for the PDFs) at the labels' size. Cyrillic
# letters are wider than Latin ones, so a count of characters does not do.
LABEL_FONT = "vendor/dejavu-fonts/DejaVuSans.ttf"
LABEL_FONT_SIZE = 12
LABEL_MARGIN = 4

# Fill colours by outcome (colour-blind safe pairs: blue/orange, with light/dark variants).
OUTCOME_FILLS = {
    Outcome.IMPLEMENTED: "#1b6ca8",
    Outcome.PARTIAL: "#7fb8e0",
    Outcome.NOT_IMPLEMENTED: "#c4541a",
    Outcome.AWAITING: "#b8bec6",
}
# Text drawn on a segment: white on the dark fills, dark on the light ones.
OUTCOME_INK = {
    Outcome.IMPLEMENTED: "#ffffff",
    Outcome.PARTIAL: "#102a3c",
    Outcome.NOT_IMPLEMENTED: "#ffffff",
    Outcome.AWAITING: "#1b1f24",
}
BAR_FILL = "#1d3b5c"
# A segment narrower than this shows no percentage on it (the table has it).
MIN_LABELLED_WIDTH = 34


@lru_cache(maxsize=1)
def _advances() -> tuple[dict[int, int], int, int]:
    """The label font's advance widths by code point, its units per em and the width of a
    character it lacks."""
    font = TTFont(finders.find(LABEL_FONT), lazy=True)
    metrics = font["hmtx"].metrics
    widths = {code: metrics[name][0] for code, name in font.getBestCmap().items()}
    return widths, font["head"].unitsPerEm, metrics[".notdef"][0]


def text_width(text: str, size: float = LABEL_FONT_SIZE) -> float:
    """The width of `text` in viewBox units, drawn in the label font at `size`."""
    widths, units_per_em, missing = _advances()
    return sum(widths.get(ord(char), missing) for char in text) * size / units_per_em


def short(label: str, width: float = LABEL_WIDTH - LABEL_MARGIN) -> str:
    """`label`, cut with an ellipsis to fit `width` (the full label is in the row's title
    and in the table beside the chart)."""
    if text_width(label) <= width:
        return label
    while label and text_width(label.rstrip() + "…") > width:
        label = label[:-1]
    return label.rstrip() + "…"


@dataclass
class Segment:
    outcome: str
    label: str
    count: int
    percent: Decimal | None
    x: float
    width: float
    fill: str
    ink: str
    text_x: float
    show_text: bool


@dataclass
class Row:
    label: str
    short_label: str
    value: str
    y: float
    bar_y: float
    text_y: float
    segments: list[Segment] = field(default_factory=list)
    bar_width: float = 0


@dataclass
class Chart:
    title: str
    rows: list[Row]
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    bar_x: int = BAR_X
    bar_width: int = BAR_WIDTH
    value_x: int = VALUE_X
    bar_height: int = BAR_HEIGHT
    bar_fill: str = BAR_FILL

    @property
    def height(self) -> int:
        return TOP * 2 + ROW_HEIGHT * max(len(self.rows), 1)

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def empty(self) -> bool:
        return not self.rows


def _row(index: int, label: str, value: str) -> Row:
    y = TOP + index * ROW_HEIGHT
    return Row(
        label=label,
        short_label=short(label),
        value=value,
        y=y,
        bar_y=y + (ROW_HEIGHT - BAR_HEIGHT) / 2,
        text_y=y + ROW_HEIGHT / 2 + 4,
    )


def stacked(title: str, rows: Sequence[RateRow], limit: int | None = None) -> Chart:
    """One 100 % bar per group, split by outcome; the denominator written after the bar."""
    chart_rows = []
    for index, rate in enumerate(list(rows)[:limit]):
        row = _row(index, rate.label, str(rate.total))
        x = float(BAR_X)
        for outcome, label in OUTCOMES:
            count = rate.counts[outcome]
            width = BAR_WIDTH * count / rate.total if rate.total else 0.0
            share = rate.share(outcome)
            row.segments.append(
                Segment(
                    outcome=outcome,
                    label=str(label),
                    count=count,
                    percent=share.percent,
                    x=round(x, 2),
                    width=round(width, 2),
                    fill=OUTCOME_FILLS[outcome],
                    ink=OUTCOME_INK[outcome],
                    text_x=round(x + width / 2, 2),
                    show_text=width >= MIN_LABELLED_WIDTH,
                )
            )
            x += width
        chart_rows.append(row)
    return Chart(title=title, rows=chart_rows)


def bars(
    title: str,
    items: Sequence[tuple[str, float | Decimal | int | None]],
    unit: str = "",
) -> Chart:
    """One bar per (label, value), scaled to the largest value."""
    items = list(items)
    largest = max((float(value or 0) for _label, value in items), default=0.0)
    chart_rows = []
    for index, (label, value) in enumerate(items):
        text = f"{value}{unit}" if value is not None else "–"
        row = _row(index, label, text)
        row.bar_width = round(BAR_WIDTH * float(value or 0) / largest, 2) if largest else 0.0
        chart_rows.append(row)
    return Chart(title=title, rows=chart_rows)


def legend() -> list[dict]:
    return [
        {
            "outcome": outcome,
            "label": label,
            "short": OUTCOME_SHORT_LABELS[outcome],
            "fill": OUTCOME_FILLS[outcome],
        }
        for outcome, label in OUTCOMES
    ]
