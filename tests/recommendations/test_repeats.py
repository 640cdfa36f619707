"""Repeat suggestions and counts. CI runs these on PostgreSQL (trigram similarity when pg_trgm is
installed), locally on SQLite (word overlap): every assertion holds for both."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from recommendations.queries.repeats import (
    first_year,
    repeat_count,
    repeat_counts,
    repeat_suggestions,
    word_overlap,
    words,
)
from tests.factories import AuthorityFactory, PlaceFactory
from tests.recommendations.authoring_helpers import rec, theme, visit_in
from tests.recommendations.compliance_helpers import issue
from visits.models import Place

pytestmark = pytest.mark.django_db

TEXT = "Renovate the detention rooms and provide natural light and fresh air in every cell."
SIMILAR = "Renovate the detention rooms, provide natural light and fresh air in each cell."
UNRELATED = "Record every injury in a dedicated register and inform the prosecutor."


@pytest.fixture
def authority():
    return AuthorityFactory(name="Police Directorate")


@pytest.fixture
def place(authority):
    return PlaceFactory(
        name="Police Station Kruševac", category=Place.Category.POLICE, authority=authority
    )


@pytest.fixture
def visit(place):
    return visit_in(2024, place)


def suggest(visit, *, theme_code=None, text="", **kwargs):
    return repeat_suggestions(
        visit=visit, theme=theme(theme_code) if theme_code else None, text=text, **kwargs
    )


def test_same_place_and_same_theme_is_found(visit, place):
    earlier = rec(visit_in(2019, place), theme=theme("material-conditions"), text=UNRELATED)
    assert suggest(visit, theme_code="material-conditions", text=TEXT) == [earlier]
    # The theme alone is enough, before any text is written.
    assert suggest(visit, theme_code="material-conditions") == [earlier]


def test_same_place_and_similar_text_is_found_under_another_theme(visit, place):
    earlier = rec(visit_in(2019, place), theme=theme("health-care"), text=SIMILAR)
    found = suggest(visit, theme_code="material-conditions", text=TEXT)
    assert found == [earlier]
    assert found[0].same_place is True
    assert found[0].similarity > 0


def test_same_place_with_other_theme_and_unrelated_text_is_not_found(visit, place):
    rec(visit_in(2019, place), theme=theme("health-care"), text=UNRELATED)
    assert suggest(visit, theme_code="material-conditions", text=TEXT) == []


def test_other_place_of_another_category_or_authority_is_not_found(visit, place, authority):
    other_category = PlaceFactory(category=Place.Category.PRISON, authority=authority)
    other_authority = PlaceFactory(category=Place.Category.POLICE)  # its own new authority
    for other in (other_category, other_authority):
        rec(visit_in(2019, other), theme=theme("material-conditions"), text=TEXT)
    assert suggest(visit, theme_code="material-conditions", text=TEXT) == []


def test_place_of_the_same_category_and_authority_is_found_after_the_same_place(
    visit, place, authority
):
    sibling = PlaceFactory(
        name="Police Station Trstenik", category=Place.Category.POLICE, authority=authority
    )
    at_sibling = rec(visit_in(2022, sibling), theme=theme("material-conditions"), text=TEXT)
    at_place = rec(visit_in(2018, place), theme=theme("material-conditions"), text=UNRELATED)
    found = suggest(visit, theme_code="material-conditions", text=TEXT)
    assert found == [at_place, at_sibling]
    assert [r.same_place for r in found] == [True, False]


def test_later_and_same_visits_are_never_suggested(visit, place):
    rec(visit_in(2025, place), theme=theme("material-conditions"), text=TEXT)
    rec(visit, theme=theme("material-conditions"), text=TEXT)
    assert suggest(visit, theme_code="material-conditions", text=TEXT) == []


def test_the_recommendation_itself_is_excluded(place):
    earlier = rec(visit_in(2019, place), theme=theme("registers"), text=TEXT)
    current = rec(visit_in(2024, place), theme=theme("registers"), text=TEXT)
    found = suggest(current.visit, theme_code="registers", text=TEXT, exclude_pk=current.pk)
    assert found == [earlier]


def test_more_similar_texts_come_first_and_limit_applies(visit, place):
    close = rec(visit_in(2019, place), theme=theme("health-care"), text=SIMILAR)
    same_theme = rec(visit_in(2020, place), theme=theme("material-conditions"), text=UNRELATED)
    found = suggest(visit, theme_code="material-conditions", text=TEXT)
    assert found == [close, same_theme]
    assert suggest(visit, theme_code="material-conditions", text=TEXT, limit=1) == [close]


def test_nothing_asked_nothing_suggested(visit, place):
    rec(visit_in(2019, place), theme=theme("registers"), text=TEXT)
    assert suggest(visit) == []


def test_word_overlap_ignores_case_accents_and_stop_words():
    assert words("The Detention ROOMS in Kruševac") == {"detention", "rooms", "krusevac"}
    assert word_overlap(TEXT, SIMILAR) >= 0.8
    assert word_overlap(TEXT, UNRELATED) < 0.2
    assert word_overlap("", TEXT) == 0.0
    assert word_overlap("Renovate", TEXT) == 0.0  # one shared word is not a similar text
    assert words("Опремити просторије") == words("Opremiti prostorije")


# --- Counts -------------------------------------------------------------------------------------


@pytest.fixture
def chain(place):
    r2014 = rec(visit_in(2014, place))
    r2018 = rec(visit_in(2018, place))
    r2022 = rec(visit_in(2022, place))
    r2018.repeats.add(r2014)
    r2022.repeats.add(r2018)
    for issued in (r2014, r2018, r2022):  # "Issued N times" is shown once the report is issued
        issue(issued.visit, issued_on=issued.visit.start.date())
    return r2014, r2018, r2022


def test_repeat_count_and_first_year_follow_links_transitively(chain):
    r2014, r2018, r2022 = chain
    assert [repeat_count(r) for r in chain] == [1, 2, 3]
    assert [first_year(r) for r in chain] == [2014, 2014, 2014]
    assert repeat_counts(chain) == {r2014.pk: 1, r2018.pk: 2, r2022.pk: 3}


def test_repeat_count_counts_each_earlier_recommendation_once(place, chain):
    r2014, r2018, r2022 = chain
    r2022.repeats.add(r2014)  # also linked directly: still three issues
    r2010 = rec(visit_in(2010, place))
    r2018.repeats.add(r2010)  # two branches
    assert repeat_count(r2022) == 4
    assert first_year(r2022) == 2010
    assert repeat_counts([r2022])[r2022.pk] == 4


def render_summary(recommendation, user):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load recommendation_tags %}{% repeat_summary rec %}")
    return template.render(Context({"rec": recommendation, "request": request}))


def test_repeat_summary_lists_both_directions_and_counts(chain, staff, compliance):
    r2014, r2018, r2022 = chain
    html = render_summary(r2018, staff)
    assert "Issued 2 times since 2014" in html
    assert r2014.reference in html
    assert r2022.reference in html
    assert "Find and link repeats" in html
    assert f"/recommendations/{r2018.pk}/edit/#repeats" in html
    assert "Find and link repeats" not in render_summary(r2018, compliance)
    assert "Issued 3 times since 2014" in render_summary(r2022, compliance)
    assert "Issued 1 time since 2014" in render_summary(r2014, compliance)
