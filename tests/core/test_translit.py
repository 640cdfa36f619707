import pytest

from core.translit import to_cyrillic, to_latin


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Ljubljana", "Љубљана"),
        ("NJEGOŠ", "ЊЕГОШ"),
        ("Džamija i nadzor", "Џамија и надзор"),
        ("Zaštitnik građana", "Заштитник грађана"),
        ("Čačak, Ćićevac, Đakovica, Žabalj", "Чачак, Ћићевац, Ђаковица, Жабаљ"),
    ],
)
def test_round_trip(latin, cyrillic):
    assert to_cyrillic(latin) == cyrillic
    assert to_latin(cyrillic) == latin


def test_addresses_and_reference_numbers_are_untouched():
    text = "Izveštaj NPM-2026-014 poslat na npm@ombudsman.rs, vidi https://ombudsman.org.rs/npm."
    assert to_cyrillic(text) == (
        "Извештај NPM-2026-014 послат на npm@ombudsman.rs, види https://ombudsman.org.rs/npm."
    )


def test_gazette_numbers_and_placeholders_are_untouched():
    assert to_cyrillic("Službeni glasnik RS br. 25/2018") == "Службени гласник РС бр. 25/2018"
    assert to_cyrillic("Sačuvane izmene „%(name)s“.") == "Сачуване измене „%(name)s“."
    assert to_cyrillic('<a href="/places/">Mesta</a>') == '<a href="/places/">Места</a>'


def test_latin_of_mixed_text_only_changes_cyrillic():
    assert to_latin("Извештај NPM-2026-014") == "Izveštaj NPM-2026-014"


LATIN_ALPHABET = "A B V G D Đ E Ž Z I J K L Lj M N Nj O P R S T Ć U F H C Č Dž Š"
CYRILLIC_ALPHABET = "А Б В Г Д Ђ Е Ж З И Ј К Л Љ М Н Њ О П Р С Т Ћ У Ф Х Ц Ч Џ Ш"


def test_the_whole_alphabet_both_ways_in_both_cases():
    assert to_cyrillic(LATIN_ALPHABET) == CYRILLIC_ALPHABET
    assert to_cyrillic(LATIN_ALPHABET.lower()) == CYRILLIC_ALPHABET.lower()
    assert to_latin(CYRILLIC_ALPHABET) == LATIN_ALPHABET
    assert to_latin(CYRILLIC_ALPHABET.lower()) == LATIN_ALPHABET.lower()


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [("Lj", "Љ"), ("LJ", "Љ"), ("lj", "љ"), ("Nj", "Њ"), ("NJ", "Њ"), ("nj", "њ")]
    + [("Dž", "Џ"), ("DŽ", "Џ"), ("dž", "џ")],
)
def test_digraphs_become_one_letter(latin, cyrillic):
    assert to_cyrillic(latin) == cyrillic
    assert len(to_cyrillic(latin)) == 1


def test_capitals_of_digraphs_follow_the_word():
    assert to_latin("ЉУБЉАНА") == "LJUBLJANA"
    assert to_latin("Љубљана") == "Ljubljana"
    assert to_latin("ЏЕП") == "DŽEP"


def test_format_placeholders_with_precision_are_untouched():
    assert to_cyrillic("Datoteka (%(size).1f MB), najviše %(limit)d, %5.2f") == (
        "Датотека (%(size).1f МБ), највише %(limit)d, %5.2f"
    )


def test_foreign_words_and_latin_abbreviations_stay_latin():
    # A word with q, w, x or y has no Cyrillic spelling: left whole, not half-converted.
    assert to_cyrillic("Izvezi XLSX, Markdown, FRONTEX, xerox") == (
        "Извези XLSX, Markdown, FRONTEX, xerox"
    )
    assert to_cyrillic("Preuzmi PDF ili CSV") == "Преузми PDF или CSV"
    # Only whole abbreviations: ordinary words with those letters are still converted.
    assert to_cyrillic("Pdfovi i csv") == "Пдфови и цсв"


@pytest.mark.parametrize(
    "protected",
    [
        "https://www.ombudsman.org.rs/lj/nj?dž=1",
        "http://example.org/Njegos",
        "www.zastitnik.rs/njuz",
        "ljiljana.njegovan@ombudsman.rs",
        "NPM-2026-014",
        "V-2025-001",
        "NPM-2025-103/LJ",
        "72-2/18",
    ],
)
def test_urls_emails_and_references_inside_text_are_untouched(protected):
    assert to_cyrillic(f"Lj {protected} nj") == f"Љ {protected} њ"
