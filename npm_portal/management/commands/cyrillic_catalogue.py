"""Write the Serbian Cyrillic catalogue from the Serbian Latin one by exact transliteration.

Translators maintain locale/sr_Latn only; `make messages` runs this, then compiles both.
"""

import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from core.translit import to_cyrillic

_STRING = re.compile(r'^(msgstr(?:\[\d+\])?\s+|\s*)"(.*)"\s*$')
# A PO string's escapes (\n, \", \\, \t, \r): decoded before transliterating, so that the
# "n" of a line break never becomes "н", and written back the same way.
_ESCAPES = {"n": "\n", '"': '"', "\\": "\\", "t": "\t", "r": "\r"}
_ESCAPE = re.compile(r"\\(.)")


def _po_to_cyrillic(escaped: str) -> str:
    text = _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(0)), escaped)
    text = to_cyrillic(text)
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\t", "\\t")
        .replace("\r", "\\r")
    )


def transliterate_catalogue(latin_po: str) -> str:
    out = []
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
            prefix, text = match.groups()
            line = f'{prefix}"{_po_to_cyrillic(text)}"'
        elif in_header and line.startswith('"Language:'):
            line = '"Language: sr\\n"'
        out.append(line)
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
