from django.utils import translation

from visits.models import Theme


def test_the_vocabulary_is_seeded_with_serbian_names(db):
    themes = Theme.objects.all()
    assert themes.count() == 19
    assert not themes.filter(name_sr="").exists()
    assert themes.filter(forced_return=True).count() == 4


def test_label_follows_the_language(db):
    theme = Theme.objects.get(code="use-of-force")
    with translation.override("en"):
        assert str(theme) == "Use of force and means of restraint"
    with translation.override("sr-latn"):
        assert str(theme) == "Upotreba sile i sredstava prinude"
    with translation.override("sr"):
        assert str(theme) == "Употреба силе и средстава принуде"


def test_a_theme_without_a_serbian_name_falls_back_to_english(db):
    theme = Theme.objects.create(code="new", name="A new theme", order=999)
    with translation.override("sr"):
        assert str(theme) == "A new theme"
