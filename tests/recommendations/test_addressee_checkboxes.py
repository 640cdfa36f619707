"""The recommendation form's addressees are checkboxes (no Ctrl-click): the report's dispatch
addressees first, then the place's institution and the bodies above it; any other active
authority through one "Another addressee" select. The validation is the same as before."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from recommendations.forms.tracker import RecommendationForm
from tests.factories import AuthorityFactory, PlaceFactory
from tests.factories.visits import ReportFactory
from tests.recommendations.authoring_helpers import theme, tree, visit_in
from visits.models import Authority, Dispatch, Place

pytestmark = pytest.mark.django_db

CREATE = reverse("recommendations:create")


@pytest.fixture
def prison_visit():
    ministry, directorate, prison = tree()
    place = PlaceFactory(
        name="District Prison Niš", category=Place.Category.PRISON, authority=prison
    )
    return visit_in(2025, place)


def _post(visit, **overrides):
    data = {
        "visit": visit.pk,
        "text": "Renovate the detention rooms.",
        "theme": theme("material-conditions").pk,
        "priority": "normal",
    }
    data.update(overrides)
    return data


def test_addressees_are_checkboxes_of_the_place_chain(staff_client, prison_visit):
    AuthorityFactory(name="Ministry of Health", kind=Authority.Kind.MINISTRY)
    page = staff_client.get(CREATE + f"?visit={prison_visit.pk}").content.decode()
    assert len(re.findall(r'<input type="checkbox"[^>]* name="addressees"', page)) == 3
    assert "Ctrl" not in page
    assert '<select name="addressees"' not in page
    form = RecommendationForm(visit=prison_visit)
    offered = [label for _pk, label in form.fields["addressees"].widget.choices]
    assert offered == [
        "District Prison Niš (Institution)",
        "Administration for Enforcement of Penal Sanctions (Directorate or administration)",
        "Ministry of Justice (Ministry)",
    ]
    # The unrelated ministry is not a checkbox, only an option of "Another addressee".
    others = [label for _pk, label in form.fields["other_addressee"].choices]
    assert "Ministry of Health" in others


def test_dispatch_addressees_come_first(prison_visit):
    report = ReportFactory(visit=prison_visit)
    ombudsman = AuthorityFactory(name="Police Directorate", kind=Authority.Kind.DIRECTORATE)
    ministry = Authority.objects.get(name="Ministry of Justice")
    for authority in (ombudsman, ministry):
        Dispatch.objects.create(
            report=report, authority=authority, sent_on=dt.date(2025, 6, 2), channel="email"
        )
    form = RecommendationForm(visit=prison_visit)
    names = [label.split(" (")[0] for _pk, label in form.fields["addressees"].widget.choices]
    assert names == [
        "Police Directorate",
        "Ministry of Justice",
        "District Prison Niš",
        "Administration for Enforcement of Penal Sanctions",
    ]


def test_ticking_two_checkboxes_saves_both(staff_client, prison_visit):
    prison = Authority.objects.get(name="District Prison Niš")
    ministry = Authority.objects.get(name="Ministry of Justice")
    response = staff_client.post(
        CREATE + f"?visit={prison_visit.pk}",
        _post(prison_visit, addressees=[prison.pk, ministry.pk]),
    )
    assert response.status_code == 302
    created = prison_visit.recommendations.get()
    assert set(created.addressees.all()) == {prison, ministry}


def test_another_addressee_is_added_to_the_ticked_ones(staff_client, prison_visit):
    prison = Authority.objects.get(name="District Prison Niš")
    health = AuthorityFactory(name="Ministry of Health", kind=Authority.Kind.MINISTRY)
    response = staff_client.post(
        CREATE + f"?visit={prison_visit.pk}",
        _post(prison_visit, addressees=[prison.pk], other_addressee=health.pk),
    )
    assert response.status_code == 302
    assert set(prison_visit.recommendations.get().addressees.all()) == {prison, health}


def test_another_addressee_alone_is_enough(staff_client, prison_visit):
    health = AuthorityFactory(name="Ministry of Health", kind=Authority.Kind.MINISTRY)
    response = staff_client.post(
        CREATE + f"?visit={prison_visit.pk}",
        _post(prison_visit, other_addressee=health.pk),
    )
    assert response.status_code == 302
    assert list(prison_visit.recommendations.get().addressees.all()) == [health]


def test_no_addressee_is_an_error_next_to_the_checkboxes(staff_client, prison_visit):
    response = staff_client.post(CREATE + f"?visit={prison_visit.pk}", _post(prison_visit))
    assert response.status_code == 200
    assert response.context["form"].errors["addressees"] == [
        "Choose at least one addressee: the institution or the ministry."
    ]
    page = response.content.decode()
    # The error summary links to the first checkbox.
    assert 'href="#id_addressees_0"' in page
    assert not prison_visit.recommendations.exists()


def test_an_inactive_authority_is_refused_as_before(staff_client, prison_visit):
    closed = AuthorityFactory(name="Closed Prison", active=False)
    response = staff_client.post(
        CREATE + f"?visit={prison_visit.pk}",
        _post(prison_visit, addressees=[closed.pk]),
    )
    assert response.status_code == 200
    assert "addressees" in response.context["form"].errors
    response = staff_client.post(
        CREATE + f"?visit={prison_visit.pk}",
        _post(prison_visit, other_addressee=closed.pk),
    )
    assert "other_addressee" in response.context["form"].errors
    assert not prison_visit.recommendations.exists()
