"""Write the Serbian Cyrillic catalogue from the Serbian Latin one by exact transliteration.

Translators maintain locale/sr_Latn only; `make messages` runs this, then compiles both.
"""

import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from core.translit import html_to_cyrillic

_STRING = re.compile(r'^(msgstr(?:\[\d+\])?\s+|\s*)"(.*)"\s*$')
# A PO string's escapes (\n, \", \\, \t, \r): decoded before transliterating, so that the
# "n" of a line break never becomes "н", and written back the same way.
_ESCAPES = {"n": "\n", '"': '"', "\\": "\\", "t": "\t", "r": "\r"}
_ESCAPE = re.compile(r"\\(.)")
# Where one line of a msgstr ends and the next begins while the whole msgstr is transliterated:
# the wrapping may cut a tag in two ('<span class="page-' / 'count">'). A whitespace character
# (to the transliterator, like the space the line was wrapped at) that a PO file never holds.
_LINE_BREAK = "\x1f"
# The start of a tag cut at the end of a line: "<", "</", "<kb", "</kbd".
_CUT_TAG = re.compile(r"</?[A-Za-z0-9]*$")


def _decoded(escaped: str) -> str:
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(0)), escaped)


def _encoded(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\t", "\\t")
        .replace("\r", "\\r")
    )


def _msgstr_to_cyrillic(lines: list[tuple[str, str]]) -> list[str]:
    """The lines of one msgstr, (prefix, escaped text) each, transliterated as one HTML text:
    tags, their attributes and the text of code stay as they are, on the same lines."""
    decoded = [_decoded(text) for _prefix, text in lines]
    # A line may end inside a tag's name ('…<kbd>Pozarevac</' / 'kbd>, …'): that beginning of
    # the tag moves to the next line, so the break is not read as part of the name.
    for i in range(len(decoded) - 1):
        cut = _CUT_TAG.search(decoded[i])
        if cut:
            decoded[i], decoded[i + 1] = decoded[i][: cut.start()], cut.group() + decoded[i + 1]
    whole = _LINE_BREAK.join(decoded)
    texts = html_to_cyrillic(whole).split(_LINE_BREAK)
    return [
        f'{prefix}"{_encoded(text)}"' for (prefix, _text), text in zip(lines, texts, strict=True)
    ]


def transliterate_catalogue(latin_po: str) -> str:
    out: list[str] = []
    msgstr: list[tuple[str, str]] = []  # the lines of the msgstr being read

    def flush() -> None:
        if msgstr:
            out.extend(_msgstr_to_cyrillic(msgstr))
            msgstr.clear()

    in_msgstr = False
    in_header = False
    for line in latin_po.splitlines():
        if line.startswith("msgid "):
            in_msgstr = False
            in_header = line.strip() == 'msgid ""'
        elif line.startswith("msgstr"):
            in_msgstr = True
        elif not line.startswith('"'):
            in_msgstr = False
        elif not in_msgstr:
            # A continued msgid: `msgid ""` opened a long message, not the header.
            in_header = False
        match = _STRING.match(line)
        if in_msgstr and match and not in_header:
            if line.startswith("msgstr"):
                flush()  # msgstr[1] comes right after the lines of msgstr[0]
            msgstr.append(match.groups())
            continue
        flush()
        if in_header and line.startswith('"Language:'):
            line = '"Language: sr\\n"'
        out.append(line)
    flush()
    return "\n".join(out) + "\n"


class Command(BaseCommand):
    help = "Generate locale/sr (Cyrillic) from locale/sr_Latn by transliteration."

    def handle(self, *args, **options) -> None:
        locale = Path(settings.BASE_DIR) / "locale"
        source = locale / "sr_Latn" / "LC_MESSAGES" / "django.po"
        target = locale / "sr" / "LC_MESSAGES" / "django.po"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(transliterate_catalogue(source.read_text(encoding="utf-8")), "utf-8")
        self.stdout.write(f"Wrote {target.relative_to(settings.BASE_DIR)}")
