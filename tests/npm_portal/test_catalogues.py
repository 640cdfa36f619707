import ast
import gettext
import io
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from npm_portal.management.commands.cyrillic_catalogue import transliterate_catalogue

LATIN_PO = """msgid ""
msgstr ""
"Language: sr_Latn\\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : 1);\\n"

#: templates/base.html:10
msgid "Log out"
msgstr "Odjavi se"

msgid "Changes to “%(name)s” saved."
msgstr "Izmene za „%(name)s“ su sačuvane."

msgid "one place"
msgid_plural "%(n)s places"
msgstr[0] "%(n)s mesto"
msgstr[1] "%(n)s mesta"
msgstr[2] "%(n)s mesta"

msgid "Long"
msgstr ""
"Dugačak tekst o ljudima "
"i njihovim pravima"

msgid ""
"A message long enough to wrap "
"over two lines"
msgstr "Poruka o ljudskim pravima"
"""


def test_msgstr_are_transliterated_and_msgid_kept():
    cyrillic = transliterate_catalogue(LATIN_PO)
    assert 'msgid "Log out"\nmsgstr "Одјави се"' in cyrillic
    assert 'msgstr "Измене за „%(name)s“ су сачуване."' in cyrillic
    assert 'msgstr[0] "%(n)s место"' in cyrillic
    assert '"Дугачак текст о људима "\n"и њиховим правима"' in cyrillic
    assert '"Language: sr\\n"' in cyrillic
    # A long msgid also starts with `msgid ""`: it is not the header.
    assert 'msgstr "Порука о људским правима"' in cyrillic
    # The header's plural formula is not text to transliterate.
    assert "nplurals=3; plural=(n%10==1" in cyrillic


def test_committed_cyrillic_catalogue_matches_the_latin_one():
    locale = Path(settings.BASE_DIR) / "locale"
    latin = (locale / "sr_Latn" / "LC_MESSAGES" / "django.po").read_text("utf-8")
    cyrillic = (locale / "sr" / "LC_MESSAGES" / "django.po").read_text("utf-8")
    assert cyrillic == transliterate_catalogue(latin), "run `make messages`"


def _po_entries(text: str) -> dict[tuple[str | None, str], str]:
    """Singular, non-fuzzy, translated entries of a .po file, by (context, msgid)."""
    entries: dict[tuple[str | None, str], str] = {}
    for block in text.split("\n\n"):
        if "#, fuzzy" in block or "msgid_plural" in block:
            continue
        current, parts = None, {"msgctxt": [], "msgid": [], "msgstr": []}
        for line in block.splitlines():
            if line.startswith(("msgctxt ", "msgid ", "msgstr ")):
                current, _, rest = line.partition(" ")
                parts[current].append(rest)
            elif line.startswith('"') and current:
                parts[current].append(line)
        context = "".join(ast.literal_eval(p) for p in parts["msgctxt"]) or None
        msgid = "".join(ast.literal_eval(p) for p in parts["msgid"])
        msgstr = "".join(ast.literal_eval(p) for p in parts["msgstr"])
        if msgid and msgstr:
            entries[(context, msgid)] = msgstr
    return entries


def test_compiled_catalogues_are_up_to_date():
    locale = Path(settings.BASE_DIR) / "locale"
    for language in ("sr_Latn", "sr"):
        folder = locale / language / "LC_MESSAGES"
        entries = _po_entries((folder / "django.po").read_text("utf-8"))
        with open(folder / "django.mo", "rb") as mo:
            compiled = gettext.GNUTranslations(mo)
        stale = {
            key: text
            for key, text in entries.items()
            if (compiled.pgettext(*key) if key[0] else compiled.gettext(key[1])) != text
        }
        assert entries
        assert not stale, f"{language}: django.mo is out of date, run `make messages`"


def test_escapes_in_a_msgstr_survive_transliteration():
    latin = (
        'msgid "Dear %(name)s,\\n\\nthe link: <a href=\\"https://x.org\\">here</a>"\n'
        'msgstr "Poštovani %(name)s,\\n\\nveza: <a href=\\"https://x.org\\">ovde</a>\\tkraj"\n'
    )
    cyrillic = transliterate_catalogue(latin)
    # The line breaks stay \n (not \н), the quoted attribute and its tag are untouched.
    assert (
        'msgstr "Поштовани %(name)s,\\n\\nвеза: <a href=\\"https://x.org\\">овде</a>\\tкрај"'
        in cyrillic
    )


MARKUP_PO = r"""msgid ""
msgstr ""
"Language: sr_Latn\n"

msgid "Page <span class=\"page-number\"></span> of <span class=\"page-count\"></span>"
msgstr ""
"Strana <span class=\"page-number\"></span> od <span class=\"page-"
"count\"></span>"

msgid "See <a href=\"%(url)s\" class=\"link-nj\">the list</a>."
msgstr "Vidi <a href=\"%(url)s\" class=\"link-nj\">spisak</a>."

msgid "Hello <strong>%(name)s</strong>, send <code>Authorization: Bearer &lt;token&gt;</code>."
msgstr ""
"Zdravo <strong>%(name)s</strong>, šaljite <code>Authorization: Bearer "
"&lt;token&gt;</code> ljudima."

msgid "Name in English"
msgstr "Naziv: <span lang=\"en\">Belgrade Centre for Human Rights</span> i nj"
"""


def test_markup_in_msgstrs_is_never_transliterated():
    cyrillic = transliterate_catalogue(MARKUP_PO)
    # A tag cut in two by the wrapping keeps its name and attribute, on the same two lines.
    assert (
        'msgstr ""\n"Страна <span class=\\"page-number\\"></span> од <span class=\\"page-"\n'
        '"count\\"></span>"'
    ) in cyrillic
    assert 'msgstr "Види <a href=\\"%(url)s\\" class=\\"link-nj\\">списак</a>."' in cyrillic
    # The text of code stays, even across a line of the msgstr.
    assert (
        '"Здраво <strong>%(name)s</strong>, шаљите <code>Authorization: Bearer "\n'
        '"&lt;token&gt;</code> људима."'
    ) in cyrillic
    assert (
        'msgstr "Назив: <span lang=\\"en\\">Belgrade Centre for Human Rights</span> и њ"'
        in cyrillic
    )
    # Every msgid is untouched.
    assert cyrillic.count("msgid ") == MARKUP_PO.count("msgid ")
    for line in MARKUP_PO.splitlines():
        if line.startswith("msgid "):
            assert line in cyrillic


CUT_TAG_PO = r"""
msgid "Examples"
msgstr ""
"Primeri: <kbd>Pozarevac</"
"kbd>, <kbd>POŽAREVAC</kbd> i <kbd>Пожаревац</kbd> daju isto; nj<"
"kbd>Niš</kbd> je grad."
"""


def test_a_line_ending_inside_a_tag_name_keeps_the_tag_whole():
    cyrillic = transliterate_catalogue(CUT_TAG_PO)
    # The beginning of the cut tag moves to the next line; the text after the tag is
    # transliterated, the text of the kbd elements is not.
    assert (
        'msgstr ""\n"Примери: <kbd>Pozarevac"\n'
        '"</kbd>, <kbd>POŽAREVAC</kbd> и <kbd>Пожаревац</kbd> дају исто; њ"\n'
        '"<kbd>Niš</kbd> је град."'
    ) in cyrillic


def test_the_command_writes_the_cyrillic_catalogue(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    latin = tmp_path / "locale" / "sr_Latn" / "LC_MESSAGES" / "django.po"
    latin.parent.mkdir(parents=True)
    latin.write_text(MARKUP_PO + LATIN_PO.split("\n\n", 1)[1], "utf-8")
    call_command("cyrillic_catalogue", stdout=io.StringIO())
    written = (tmp_path / "locale" / "sr" / "LC_MESSAGES" / "django.po").read_text("utf-8")
    assert written == transliterate_catalogue(latin.read_text("utf-8"))
    assert 'msgstr "Одјави се"' in written
    assert '"Language: sr\\n"' in written
    # Line for line: no msgstr is joined or split.
    assert written.count("\n") == latin.read_text("utf-8").count("\n")
