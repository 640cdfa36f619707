"""Serbian Latin ↔ Cyrillic transliteration.

Cyrillic → Latin is exact (one letter to one or two). Latin → Cyrillic reads the digraphs lj, nj and
dž as single letters; web addresses, e-mail addresses, reference numbers, format placeholders,
HTML tags, foreign words (with q, w, x or y) and a few technical abbreviations (PDF, CSV…) are left
untouched.
"""

from __future__ import annotations

import re

_CYR_TO_LAT = {
    "А": "A", "Б": "B", "В": "V", "Г": "G", "Д": "D", "Ђ": "Đ", "Е": "E", "Ж": "Ž", "З": "Z",
    "И": "I", "Ј": "J", "К": "K", "Л": "L", "Љ": "Lj", "М": "M", "Н": "N", "Њ": "Nj", "О": "O",
    "П": "P", "Р": "R", "С": "S", "Т": "T", "Ћ": "Ć", "У": "U", "Ф": "F", "Х": "H", "Ц": "C",
    "Ч": "Č", "Џ": "Dž", "Ш": "Š",
}  # fmt: skip
_CYR_TO_LAT.update({c.lower(): lat.lower() for c, lat in list(_CYR_TO_LAT.items())})

_LAT_TO_CYR_SINGLE = {lat: cyr for cyr, lat in _CYR_TO_LAT.items() if len(lat) == 1}
# Digraphs first (each case form), so "Lj", "LJ" and "lj" become one letter.
_DIGRAPHS = {
    "LJ": "Љ", "Lj": "Љ", "lj": "љ", "lJ": "љ",
    "NJ": "Њ", "Nj": "Њ", "nj": "њ", "nJ": "њ",
    "DŽ": "Џ", "Dž": "Џ", "dž": "џ", "dŽ": "џ",
}  # fmt: skip
_LATIN_TOKEN = re.compile("|".join(map(re.escape, _DIGRAPHS)) + "|.", re.DOTALL)

# Spans never transliterated: addresses, placeholders, markup and reference numbers.
_PROTECTED = re.compile(
    r"""
    (?:https?|ftp)://[^\s<>"')\]]+          # web address
    | www\.[^\s<>"')\]]+
    | [\w.+-]+@[\w-]+(?:\.[\w-]+)+          # e-mail address
    | %(?:\([^)]+\))?[-\#0 +]?\d*(?:\.\d+)?[sdfrixX]   # Python format placeholders: %(size).1f
    | \{\{.*?\}\}|\{[\w.]*\}                # template and str.format placeholders
    | <[^>]+>|&[a-z]+;|&\#\d+;              # HTML tags and entities
    | \b[A-Z]+[A-Z0-9]*(?:[-/.][A-Z0-9]+)*[-/.]\d[\w/.-]*   # references: NPM-2026-014, V-2025-001
    | \b\d+[-/.]\d+(?:[-/.]\d+)*\b          # numbers like 25/2018 or 71-2/18
    | \b\w*[QWXYqwxy]\w*                    # foreign words (no Cyrillic letters): XLSX, FRONTEX
    | \b(?:PDF|CSV|SHA|URL|HTML|TOTP)\b      # technical abbreviations written in Latin
    """,
    re.VERBOSE,
)


_UPPER_DIGRAPH = re.compile(r"(?<=[А-ШЂЈЉЊЋЏ])[ЉЊЏ]|[ЉЊЏ](?=[А-ШЂЈЉЊЋЏ])")


def to_latin(text: str) -> str:
    # In an all-capitals word, Љ is "LJ" (ЉУБЉАНА → LJUBLJANA), elsewhere "Lj".
    text = _UPPER_DIGRAPH.sub(lambda m: _CYR_TO_LAT[m.group(0)].upper(), text)
    return "".join(_CYR_TO_LAT.get(char, char) for char in text)


def _latin_run_to_cyrillic(run: str) -> str:
    out = []
    for token in _LATIN_TOKEN.findall(run):
        out.append(_DIGRAPHS.get(token) or _LAT_TO_CYR_SINGLE.get(token, token))
    return "".join(out)


def to_cyrillic(text: str) -> str:
    out = []
    position = 0
    for match in _PROTECTED.finditer(text):
        out.append(_latin_run_to_cyrillic(text[position : match.start()]))
        out.append(match.group(0))
        position = match.end()
    out.append(_latin_run_to_cyrillic(text[position:]))
    return "".join(out)
