"""The home page's registry and visit figures are kept between views for those who see every
visit, and never stale: a new visit or place shows on the next view. A partner's figures count
only the visits they are on, each time."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PlaceFactory
from tests.factories.visits import MemberFactory, TeamMemberFactory, VisitFactory

pytestmark = pytest.mark.django_db

HOME = reverse("dashboard")


def _stats(response) -> dict:
    assert response.status_code == 200
    stats = response.context["visit_stats"]
    return {"this_year": stats["this_year"]["total"], "upcoming": stats["upcoming"]}


def test_a_new_visit_and_place_show_on_the_next_view(staff_client):
    VisitFactory()
    first = staff_client.get(HOME)
    assert _stats(first)["upcoming"] == 1
    assert first.context["place_totals"]["total"] == 1
    cached = staff_client.get(HOME)
    assert _stats(cached)["upcoming"] == 1
    VisitFactory()
    PlaceFactory()
    after = staff_client.get(HOME)
    assert _stats(after)["upcoming"] == 2
    assert after.context["place_totals"]["total"] == 3  # two visits' places and one more


def test_a_partner_counts_only_their_own_visits_even_after_staff_filled_the_cache(
    staff_client, partner_client, partner_member
):
    VisitFactory()
    VisitFactory()
    assert _stats(staff_client.get(HOME))["upcoming"] == 2
    assert _stats(partner_client.get(HOME))["upcoming"] == 0
    TeamMemberFactory(visit=VisitFactory(), member=MemberFactory(user=partner_member))
    assert _stats(partner_client.get(HOME))["upcoming"] == 1
    assert _stats(staff_client.get(HOME))["upcoming"] == 3
