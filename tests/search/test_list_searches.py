"""Every list's own search box matches as the header search does (core.search): without
diacritics, in capitals, in Cyrillic, and by a reference as displayed."""

import pytest
from django.urls import reverse
from django.utils import timezone

from npm_portal.portal.forms import PortalSearchForm, issued_reports, public_recommendations
from partners.filters import MemberFilter, OrganisationFilter
from partners.models import Member, Organisation
from recommendations.models import Recommendation
from recommendations.queries.filters import RecommendationFilter
from visits.filters import AuthorityFilter, PlaceFilter, VisitFilter
from visits.models import Authority, Place, Report, Visit

from .conftest import SPELLINGS


def _rows(filterset) -> set:
    return set(filterset.qs)


@pytest.mark.parametrize("text", SPELLINGS)
def test_visit_list_finds_the_place_in_any_spelling(world, text):
    assert _rows(VisitFilter({"q": text}, queryset=Visit.objects.all())) == {world.visit}


@pytest.mark.parametrize("text", ["V-{year}-{number:03d}", "v-{year}-{number}"])
def test_visit_list_finds_a_visit_by_its_reference(world, text):
    reference = text.format(year=world.visit.year, number=world.visit.number)
    assert _rows(VisitFilter({"q": reference}, queryset=Visit.objects.all())) == {world.visit}


def test_visit_list_finds_a_visit_by_its_report_reference(world):
    found = _rows(VisitFilter({"q": "npm-2026-003"}, queryset=Visit.objects.all()))
    assert found == {world.other_visit}


def test_visit_list_team_member_search_ignores_diacritics(world):
    found = _rows(VisitFilter({"person": "djordje pesic"}, queryset=Visit.objects.all()))
    assert found == {world.visit}


@pytest.mark.parametrize("text", SPELLINGS)
def test_place_and_authority_registries_find_any_spelling(world, text):
    assert _rows(PlaceFilter({"q": text}, queryset=Place.objects.all())) == {world.place}
    assert _rows(AuthorityFilter({"q": text}, queryset=Authority.objects.all())) == {
        world.authority
    }


def test_place_registry_finds_the_serbian_name_in_cyrillic(world):
    found = _rows(PlaceFilter({"q": "Окружни затвор"}, queryset=Place.objects.all()))
    assert found == {world.place}


@pytest.mark.parametrize("text", SPELLINGS)
def test_tracker_finds_recommendations_of_the_place_in_any_spelling(world, text):
    found = _rows(RecommendationFilter({"q": text}, queryset=Recommendation.objects.all()))
    assert found == set(world.visit.recommendations.all())
    assert len(found) == 2


def test_tracker_finds_a_recommendation_by_its_reference_and_text(world):
    queryset = Recommendation.objects.all()
    assert _rows(RecommendationFilter({"q": "NPM-2026-002/1"}, queryset=queryset)) == {
        world.recommendation
    }
    assert _rows(RecommendationFilter({"q": "VENTILATION"}, queryset=queryset)) == {
        world.recommendation
    }


def test_tracker_page_lists_the_match_for_a_cyrillic_search(world, staff_client):
    response = staff_client.get(reverse("recommendations:list"), {"q": "Пожаревац"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "NPM-2026-002/1" in body
    assert "NPM-2026-003/1" not in body


def _publish(world):
    for report in (world.report, world.other_report):
        report.status = Report.Status.ISSUED
        report.issued_at = timezone.now()
        report.issued_on = timezone.localdate()
        report.save()
    Recommendation.objects.update(public=True, dispatched_on=timezone.localdate())


@pytest.mark.parametrize("text", SPELLINGS)
def test_portal_finds_reports_and_recommendations_in_any_spelling(world, text):
    _publish(world)
    form = PortalSearchForm({"q": text})
    assert form.is_valid(), form.errors
    assert set(form.filter_reports(issued_reports())) == {world.report}
    found = set(form.filter_recommendations(public_recommendations()))
    assert found == set(world.visit.recommendations.all())


def test_portal_finds_a_report_by_its_reference(world, anonymous_client):
    _publish(world)
    response = anonymous_client.get(reverse("portal:index"), {"q": "npm-2026-003"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Visit to Niš" in body
    assert "Visit to Požarevac" not in body


@pytest.mark.parametrize("text", SPELLINGS)
def test_partner_organisations_and_members_find_any_spelling(world, text):
    organisations = OrganisationFilter({"q": text}, queryset=Organisation.objects.all())
    assert _rows(organisations) == {world.organisation}


@pytest.mark.parametrize("text", ["Đorđe Pešić", "djordje pesic", "ЂОРЂЕ", "Pešić"])
def test_member_search_matches_every_word_in_any_spelling(world, text):
    assert _rows(MemberFilter({"q": text}, queryset=Member.objects.all())) == {world.member}
