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


# --- Exceptions, labels, units, references: one table ---------------------------------------
TRANSLITERATIONS = [
    # Ordinary digraphs, in every case.
    ("ljubav", "љубав"),
    ("njiva", "њива"),
    ("džak", "џак"),
    ("LJUBLJANA", "ЉУБЉАНА"),
    ("Njegoševa ulica", "Његошева улица"),
    ("DŽEP", "ЏЕП"),
    ("odžak", "оџак"),
    ("Odžaci", "Оџаци"),
    ("nadžak", "наџак"),
    ("inje", "иње"),
    ("konj i konjanik", "коњ и коњаник"),
    ("Vanja", "Вања"),
    ("Tanjug", "Тањуг"),
    ("panj", "пањ"),
    # Two letters across a prefix: д+ж and н+ј.
    ("nadživeti", "надживети"),
    ("nadživljavati", "надживљавати"),
    ("NADŽIVEO", "НАДЖИВЕО"),
    ("odžaliti", "оджалити"),
    ("odživeo", "одживео"),
    ("podžanr", "поджанр"),
    ("Podžanrovi", "Поджанрови"),
    ("podžupan", "поджупан"),
    ("predželudac", "преджелудац"),
    ("injekcija", "инјекција"),
    ("Injekcije", "Инјекције"),
    ("INJEKCIJA", "ИНЈЕКЦИЈА"),
    ("injektor", "инјектор"),
    ("konjunkcija", "конјункција"),
    ("konjunktura", "конјунктура"),
    ("konjugacija", "конјугација"),
    ("vanjezički", "ванјезички"),
    ("panjugoslovenski", "панјугословенски"),
    # Roman numerals and labels.
    ("Poglavlje IV", "Поглавље IV"),
    ("POGLAVLJE IV", "ПОГЛАВЉЕ IV"),
    ("XIV vek", "XIV век"),
    ("III kategorija", "III категорија"),
    ("Poglavlje I", "Поглавље I"),
    ("član V", "члан V"),
    ("u članu VI", "у члану VI"),
    ("čl. V", "чл. V"),
    ("član&nbsp;V", "члан&nbsp;V"),
    ("poglavlja II i V", "поглавља II и V"),
    ("Prilog C", "Прилог C"),
    ("paviljon B, sprat II", "павиљон B, спрат II"),
    ("I tada je otišao.", "И тада је отишао."),
    ("Vi ste", "Ви сте"),
    ("ŠTA VI MISLITE", "ШТА ВИ МИСЛИТЕ"),
    ("DA LI", "ДА ЛИ"),
    ("u prilogu. I tada", "у прилогу. И тада"),
    ("stavka B.1", "ставка B.1"),
    ("tačka 2.a", "тачка 2.a"),
    ("V. Petrović", "В. Петровић"),
    # Units after a number, and °C anywhere.
    ("20 °C", "20 °C"),
    ("20°C u ćeliji", "20°C у ћелији"),
    ("5 mg dnevno", "5 mg дневно"),
    ("12 m² po osobi", "12 m² по особи"),
    ("1,5 l vode", "1,5 l воде"),
    ("70 kg", "70 kg"),
    ("3 km od grada", "3 km од града"),
    ("5 mesta", "5 места"),
    ("2019. g.", "2019. г."),
    ("mg bez broja", "мг без броја"),
    # References and acronyms of foreign names; Serbian acronyms are transliterated.
    ("CPT/Inf (2019) 12", "CPT/Inf (2019) 12"),
    ("vidi CAT/C/SRB/CO/2", "види CAT/C/SRB/CO/2"),
    ("A/HRC/39/47", "A/HRC/39/47"),
    ("preporuke CPT-a i SPT-a", "препоруке CPT-а и SPT-а"),
    ("OPCAT, ECHR i ECtHR", "OPCAT, ECHR и ECtHR"),
    ("NPM i MUP", "НПМ и МУП"),
    ("UN i EU", "УН и ЕУ"),
    ("PRILOG", "ПРИЛОГ"),
    ("ZAKLJUČAK", "ЗАКЉУЧАК"),
    ("Uprava/Ministarstvo", "Управа/Министарство"),
    # Foreign words.
    ("Müller i Jiménez", "Müller и Jiménez"),
    # A foreign word ends at a hyphen: the case ending after it is Serbian.
    ("podaci FRONTEX-a", "подаци FRONTEX-а"),
    ("Express", "Express"),
    # Addresses and placeholders.
    ("piši na ljiljana.njegovan@ombudsman.rs", "пиши на ljiljana.njegovan@ombudsman.rs"),
    ("https://npm.rs/lj?nj=1 i dalje", "https://npm.rs/lj?nj=1 и даље"),
    ("Zdravo, %(name)s!", "Здраво, %(name)s!"),
    ("Zdravo, {name}!", "Здраво, {name}!"),
    ("{{ place.name }} ljudi", "{{ place.name }} људи"),
    # HTML given to to_cyrillic: tags and references kept; "<" alone is text.
    ('<a href="/lj/">Lj</a>', '<a href="/lj/">Љ</a>'),
    ("a &lt; b &amp; nj", "а &lt; б &amp; њ"),
    ("manje od 5 < 10 > 3 nj", "мање од 5 < 10 > 3 њ"),
    ('<span class="page-nj">nj', '<span class="page-nj">њ'),
    # Capitalisation of the digraphs follows the letters.
    ("Ljiljana LJILJANA ljiljana", "Љиљана ЉИЉАНА љиљана"),
    ("Džordž", "Џорџ"),
    # Decomposed diacritics (z + combining caron) are read as one letter.
    ("z\u030cena", "жена"),
]


@pytest.mark.parametrize(("latin", "cyrillic"), TRANSLITERATIONS)
def test_to_cyrillic(latin, cyrillic):
    assert to_cyrillic(latin) == cyrillic


def test_the_table_is_big_enough():
    assert len(TRANSLITERATIONS) >= 60


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Љубљана", "Ljubljana"),
        ("ЉУБЉАНА", "LJUBLJANA"),
        ("Његош", "Njegoš"),
        ("ЏАК", "DŽAK"),
        ("Џак", "Džak"),
        ("инјекција", "injekcija"),
        ("надживети", "nadživeti"),
        ("Поглавље IV, 20 °C", "Poglavlje IV, 20 °C"),
        ("Ђорђе Ћирић", "Đorđe Ćirić"),
        ("CPT/Inf (2019) 12", "CPT/Inf (2019) 12"),
        ("", ""),
    ],
)
def test_to_latin(cyrillic, latin):
    assert to_latin(cyrillic) == latin


@pytest.mark.parametrize(
    "cyrillic",
    ["инјекција", "конјункција", "надживети", "оджалити", "поджанр", "ванјезички", "оџак"],
)
def test_a_two_letter_word_survives_the_latin_edition(cyrillic):
    # The Latin edition is made from the Cyrillic: going back must give the same letters.
    assert to_cyrillic(to_latin(cyrillic)) == cyrillic
