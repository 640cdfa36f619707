"""English: "1 Dec 2026", "1 Dec 2026, 14:30" (see npm_portal.formats)."""

DATE_FORMAT = SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-12-01: ISO first, what type="date" inputs send and show
    "%d %b %Y",  # 1 Dec 2026
    "%d %B %Y",  # 1 December 2026
    "%d.%m.%Y",  # 01.12.2026
]
