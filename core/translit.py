"""Serbian Latin ↔ Cyrillic transliteration.

Cyrillic → Latin is exact (one letter to one or two). Latin → Cyrillic reads the digraphs lj, nj and
dž as single letters, except across a morpheme boundary (`_TWO_LETTERS`: nadživeti → надживети,
injekcija → инјекција). What Serbian Cyrillic text writes in Latin stays Latin:

- web and e-mail addresses, format placeholders, HTML tags and character references;
- reference numbers (NPM-2026-014, 25/2018), UN and Council of Europe document symbols
  (CAT/C/SRB/CO/2, CPT/Inf (2019) 12) and list labels (B.1, IV.2, 2.a): a label is a reference,
  so "stavka B.1" is "ставка B.1" and, for the same reason, "Prilog B" is "Прилог B";
- Roman numerals in capitals (`_is_numeral`; "I", "V", "VI" only as labels, `_is_label`) and
  unit symbols after a number (20 °C, 5 mg, 12 m²);
- acronyms of foreign names from a list (CPT, SPT, OPCAT, ECHR…; not Serbian ones such as NPM,
  RS, UN or EU, which Cyrillic text writes УН, ЕУ) and foreign words (with q, w, x, y or a
  letter Serbian does not have: XLSX, Müller), up to a hyphen: "FRONTEX-a" is "FRONTEX-а".

Words are read one at a time, with the word before for labels: a label after a cue in another
HTML element ("<b>član</b> V") is read as a letter.

`html_to_cyrillic` does the same for the text of an HTML document, leaving code and every element
marked as not Serbian Cyrillic (lang="en", lang="sr-Latn", translate="no", class="latin").
"""

from __future__ import annotations

import re
import unicodedata

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

# --- Two letters, not a digraph ---------------------------------------------------------------
# Where a prefix ends in d or n and the stem starts with ž or j, Serbian writes two letters
# (Pravopis srpskoga jezika). Each rule is (prefix, start of the stem), matched at the start of a
# word in any case. Stems rather than bare prefixes, because the same letters also begin words
# with a real digraph: nadžak (наџак), odžak and Odžaci (оџак, Оџаци), inje (иње), konj (коњ),
# Vanja (Вања), panj (пањ). No rule for lj: no common Serbian word has л+ј.
_TWO_LETTERS = (
    ("nad", "živ"),  # nadživeti, nadživljavati
    ("od", "žal"),  # odžaliti
    ("od", "živ"),  # odživeti
    ("pod", "ž"),  # podžanr, podžariti, podžupan
    ("pred", "ž"),  # predželudac, predžetveni
    ("in", "jekc"),  # injekcija
    ("in", "jekt"),  # injektirati, injektor
    ("in", "junkc"),  # injunkcija
    ("kon", "jug"),  # konjugacija, konjugovati
    ("kon", "junk"),  # konjunkcija, konjunktura, konjunktivitis
    ("kon", "jekt"),  # konjektura
    ("van", "jezi"),  # vanjezički
    ("izvan", "jezi"),  # izvanjezički
    ("pan", "jugoslov"),  # panjugoslovenski
)
_MORPHEME_BOUNDARY = re.compile(
    "|".join(f"{prefix}(?={stem})" for prefix, stem in _TWO_LETTERS), re.IGNORECASE
)

# --- Roman numerals and labels ----------------------------------------------------------------
_ROMAN = re.compile(r"(?=[MDCLXVI])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
# Numerals that are also Serbian words in capitals ("VI STE", "DA LI", "MI"): numerals only
# after a word that names a part (see `_is_label`), like every single capital letter.
_NUMERAL_LOOKALIKES = frozenset({"VI", "MI", "LI", "DI", "DIV"})
# Words that a label follows: "Poglavlje I", "član V", "Prilog B", "paviljon C" (any case and
# ending). A lone capital elsewhere is a word or an initial: "I tada" → "И тада".
_LABEL_CUE = re.compile(
    r"(?:poglavl|pogl|član|čl|deo|del|glav|odeljak|odeljk|odeljenj|prilog|aneks|tačk|tač|"
    r"stav|stavk|tom|knjig|knj|razde|odsek|faz|tabel|slik|grafikon|paviljon|blok|zgrad|sprat|"
    r"sob|grup|kategorij|nivo|stepen|sektor)\w{0,4}"
)
# Abbreviated cues keep their full stop: "čl. V", "tač. B".
_ABBREVIATED_CUES = frozenset({"čl", "pogl", "tač", "knj"})
# A label may follow a cue or another label: "poglavlja II i V", "prilozi A, B ili C".
_LABEL_GAP = re.compile(r"[\s,–—-]*")
_ABBREVIATION_GAP = re.compile(r"\.\s*")
_LABEL_CONJUNCTIONS = frozenset({"i", "ili", "do"})

# --- Spans kept as they are -------------------------------------------------------------------
_ACRONYMS = (
    "APT", "BCHR", "CAT", "CEDAW", "CERD", "CPT", "CRC", "CRPD", "CSV", "ECHR", "ECRI", "ECtHR",
    "ENNHRI", "GANHRI", "GDPR", "GRECO", "GREVIO", "HRC", "HTML", "ICCPR", "ICESCR", "ICRC",
    "ILO", "IOM", "NHRI", "ODIHR", "OHCHR", "OPCAT", "OSCE", "PACE", "PDF", "SHA", "SPT",
    "TOTP", "UHRI", "UNCAT", "UNDP", "UNHCR", "UNICEF", "UNODC", "UPR", "URL",
)  # fmt: skip
# Unit symbols, only right after a number ("5 m od zida"; "m" alone is not a unit). "g." after a
# number is the year ("2019. g."), not grams.
_UNITS = (
    r"°\s?[CF]|mmHg|mmol/l|mg/dl|mg/l|km/h|m/s|[kcm]?m[²³23]|km|cm|mm|kg|mg|[µμ]g|ml|dl|kWh|kW"
    r"|MW|Hz|dB|m|g(?!\.)|l"
)
_KEPT = rf"""
    (?:https?|ftp)://[^\s<>"')\]]+          # web address
    | www\.[^\s<>"')\]]+
    | [\w.+-]+@[\w-]+(?:\.[\w-]+)+          # e-mail address
    | %(?:\([^)]+\))?[-\#0 +]?\d*(?:\.\d+)?[sdfrixX]   # Python format placeholders: %(size).1f
    | \{{\{{.*?\}}\}}|\{{[\w.]*\}}            # template and str.format placeholders
    | </?[A-Za-z][^<>]*>|(?s:<!--.*?-->)    # HTML tags and comments
    | &[A-Za-z][A-Za-z0-9]*;|&\#(?:[xX][0-9a-fA-F]+|\d+);   # character references
    | \b[A-Z]+[A-Z0-9]*(?:[-/.][A-Z0-9]+)*[-/.]\d[\w/.-]*  # references, labels: NPM-2026-014, B.1
    | \b[A-Z]+(?:/[A-Za-z]+)*/[A-Za-z]*\d[\w/.-]*     # UN documents: CAT/C/SRB/CO/2, A/HRC/39/47
    | \b[A-Z]+(?:/[A-Za-z]+)+\s?\(\d{{4}}\)\s?\d+     # Council of Europe: CPT/Inf (2019) 12
    | \d+(?:[.,]\d+)*\s?(?:{_UNITS})(?![^\W_])      # a number and its unit: 20 °C, 12 m²
    | °\s?[CF](?![^\W_])
    | \b\d+(?:\.\d+)*\.[a-z]\b              # list labels: 2.a
    | \b\d+[-/.]\d+(?:[-/.]\d+)*\b          # numbers like 25/2018 or 71-2/18
    | \b\w*[QWXYqwxy\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff]\w*   # foreign words: XLSX, Müller
    | \b(?:{"|".join(_ACRONYMS)})\b         # acronyms of foreign names
"""
# Each kept span, or else a word (letters only) to transliterate; what lies between has no letters.
_TOKEN = re.compile(rf"(?P<kept>{_KEPT})|(?P<word>[^\W\d_]+)", re.VERBOSE)
_SPACE_REFERENCES = frozenset({"&nbsp;", "&#160;", "&#xa0;", "&#xA0;"})

_UPPER_DIGRAPH = re.compile(r"(?<=[А-ШЂЈЉЊЋЏ])[ЉЊЏ]|[ЉЊЏ](?=[А-ШЂЈЉЊЋЏ])")


def to_latin(text: str) -> str:
    # In an all-capitals word, Љ is "LJ" (ЉУБЉАНА → LJUBLJANA), elsewhere "Lj".
    text = _UPPER_DIGRAPH.sub(lambda m: _CYR_TO_LAT[m.group(0)].upper(), text)
    return "".join(_CYR_TO_LAT.get(char, char) for char in text)


def _letters_to_cyrillic(run: str) -> str:
    out = []
    for token in _LATIN_TOKEN.findall(run):
        out.append(_DIGRAPHS.get(token) or _LAT_TO_CYR_SINGLE.get(token, token))
    return "".join(out)


def _word_to_cyrillic(word: str) -> str:
    """The prefix of a `_TWO_LETTERS` word is converted on its own, so no digraph spans it."""
    boundary = _MORPHEME_BOUNDARY.match(word)
    if boundary is None:
        return _letters_to_cyrillic(word)
    split = boundary.end()
    return _letters_to_cyrillic(word[:split]) + _letters_to_cyrillic(word[split:])


def _is_label(word: str) -> bool:
    """Kept after a cue: one capital letter or any Roman numeral ("Prilog B", "član VI")."""
    return (len(word) == 1 and "A" <= word <= "Z") or bool(_ROMAN.fullmatch(word))


def _is_numeral(word: str) -> bool:
    """Kept anywhere: a Roman numeral of two letters or more that is no Serbian word (IV, XII,
    VIII). Lower case is never a numeral ("vi", "i" are words)."""
    return len(word) > 1 and word not in _NUMERAL_LOOKALIKES and bool(_ROMAN.fullmatch(word))


def _label_may_follow(gap: str, previous: str) -> bool:
    if _LABEL_GAP.fullmatch(gap):
        return True
    return previous.lower() in _ABBREVIATED_CUES and bool(_ABBREVIATION_GAP.fullmatch(gap))


def to_cyrillic(text: str) -> str:
    text = unicodedata.normalize("NFC", text)  # "z" + combining caron is "ž"
    out: list[str] = []
    position = 0
    expects_label = False  # the previous word names a part: "Poglavlje", "član", "II i"
    previous = ""
    for match in _TOKEN.finditer(text):
        gap = text[position : match.start()]
        position = match.end()
        out.append(gap)
        token = match.group(0)
        if match.group("kept") is not None:
            out.append(token)
            if token in _SPACE_REFERENCES:
                continue  # "član&nbsp;V": a space between a cue and its label
            kept = bool(_ROMAN.fullmatch(token))  # XIV, kept as a foreign word (it has an x)
        else:
            expects_label = expects_label and _label_may_follow(gap, previous)
            kept = (expects_label and _is_label(token)) or _is_numeral(token)
            out.append(token if kept else _word_to_cyrillic(token))
        expects_label = (
            kept
            or (expects_label and token.lower() in _LABEL_CONJUNCTIONS)
            or bool(_LABEL_CUE.fullmatch(token.lower()))
        )
        previous = token
    out.append(text[position:])
    return "".join(out)


# --- HTML -------------------------------------------------------------------------------------
# The HTML as tokens: raw-text blocks, comments, declarations and tags are kept; text is
# transliterated unless it is inside an element kept in Latin. A "<" that starts no tag is text.
_HTML_TOKEN = re.compile(
    r"<(style|script)\b.*?</\1\s*>|<!--.*?-->|<[!?][^>]*>|</?[A-Za-z][^>]*>|[^<]+|<",
    re.DOTALL | re.IGNORECASE,
)
_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)(.*?)(/?)>", re.DOTALL)
_ATTRIBUTE = re.compile(r"""([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
     "source", "track", "wbr"}
)  # fmt: skip
# Their text is code or program output, the same in every script.
_CODE_ELEMENTS = frozenset({"code", "pre", "kbd", "samp"})


def _attributes(text: str) -> dict[str, str]:
    return {
        m.group(1).lower(): next((v for v in m.group(2, 3, 4) if v is not None), "")
        for m in _ATTRIBUTE.finditer(text)
    }


def _latin_language(lang: str) -> bool:
    """Text in this language is not Serbian Cyrillic: any language but Serbian, and Serbian
    written in Latin ("sr-Latn", "sr-Latn-RS")."""
    subtags = lang.strip().lower().split("-")
    return subtags[0] != "sr" or "latn" in subtags


# A stack entry: the element's name, whether its text is kept whatever its descendants say
# (code, translate="no", class="latin"), and whether its language is written in Latin (a
# descendant with another lang may say otherwise).
_Element = tuple[str, bool, bool]


def _opened(stack: list[_Element], name: str, attribute_text: str) -> _Element:
    attributes = _attributes(attribute_text)
    _parent, fixed, latin = stack[-1] if stack else ("", False, False)
    fixed = (
        fixed
        or name in _CODE_ELEMENTS
        or attributes.get("translate", "").strip().lower() == "no"
        or "latin" in attributes.get("class", "").split()
    )
    lang = attributes.get("lang", attributes.get("xml:lang"))
    if lang is not None:
        latin = _latin_language(lang)
    return (name, fixed, latin)


def _follow_tag(stack: list[_Element], tag: re.Match) -> None:
    closing, name, attribute_text, self_closing = tag.groups()
    name = name.lower()
    if closing:
        # Close the innermost element of that name (and whatever was left open inside it).
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth][0] == name:
                del stack[depth:]
                break
    elif not self_closing and name not in _VOID_ELEMENTS:
        stack.append(_opened(stack, name, attribute_text))


def html_to_cyrillic(html: str) -> str:
    """Serbian Latin → Cyrillic in the text of `html`. Tags and their attributes, style and script
    blocks and comments are left alone, and so is the text inside code, pre, kbd and samp and
    inside any element whose lang is not Serbian Cyrillic or that says translate="no" or
    class="latin", down to its last descendant."""
    stack: list[_Element] = []
    out = []
    for token in (match.group(0) for match in _HTML_TOKEN.finditer(html)):
        tag = _TAG.fullmatch(token) if token.startswith("<") else None
        if tag is not None:
            _follow_tag(stack, tag)
        kept = token.startswith("<") and token != "<"
        in_latin = bool(stack) and (stack[-1][1] or stack[-1][2])
        out.append(token if kept or in_latin else to_cyrillic(token))
    return "".join(out)
