import pytest

from visits.translit import to_cyrillic, to_latin


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
