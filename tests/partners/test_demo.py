import datetime

import pytest
from django.apps import apps

from npm_portal.demo import partners as demo
from partners.models import Agreement, Application, Network, Organisation, Project, PublicCall
from tests.demo_loaders import load_demo_up_to_visits


@pytest.fixture
def loaded(db):
    load_demo_up_to_visits()


def _partner_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_app_config("partners").get_models()}


def test_second_run_creates_nothing(loaded):
    first = _partner_counts()
    again = demo.load()
    assert again["agreements"] == 0
    assert set(again.values()) == {0}
    assert _partner_counts() == first
    assert first["partners.HistoricalAgreement"] == first["partners.Agreement"]


def test_the_2018_call_and_its_decision(loaded):
    call = PublicCall.objects.get()
    assert call.gazette_reference == "Official Gazette of the Republic of Serbia No. 25/2018"
    assert call.published_on == datetime.date(2018, 3, 30)
    assert call.decided
    selected = set(
        call.applications.filter(outcome=Application.Outcome.SELECTED).values_list(
            "organisation__short_name", flat=True
        )
    )
    assert selected == {"BCHR", "YUCOM", "MDRI-S", "IAN"}


def test_agreement_states_relative_to_today(loaded):
    states = {a.reference_number: a.state for a in Agreement.objects.all()}
    assert states["NPM-MDRI-S/2"] == Agreement.State.EXPIRING
    assert states["NPM-IAN/2"] == Agreement.State.EXPIRED
    assert states["NPM-BCHR/2"] == Agreement.State.ACTIVE
    assert states["NPM-2018/01"] == Agreement.State.EXPIRED
    for agreement in Agreement.objects.all():
        agreement.full_clean()  # no overlaps, dates in order


def test_demo_partners_are_members_of_two_organisations(loaded):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    assert users.get(username="partner").partner_member.organisation.short_name == "BCHR"
    assert users.get(username="partner2").partner_member.organisation.short_name == "YUCOM"


def test_network_events_and_projects(loaded):
    network = Network.objects.get()
    assert network.memberships.filter(status="member").count() == 11
    assert network.memberships.filter(status="observer").count() == 2
    assert network.chair_in(2017).organisation.kind == Organisation.Kind.OWN_NPM
    assert network.chairs.count() == 12
    asylum = Project.objects.get(title="Enhancing the asylum protection system in Serbia")
    assert str(asylum.budget) == "49890.52"
    assert asylum.results.filter(target_value=500).exists()
    assert Project.objects.filter(donor="Royal Norwegian Embassy in Belgrade").exists()
