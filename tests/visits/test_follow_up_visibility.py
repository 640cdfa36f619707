"""Open follow-up checks at a place name an interview of the visit that raised them: a partner
sees only the checks of visits they are on, on the visit page and the place page alike."""

import datetime as dt

from django.urls import reverse

from tests.factories.visits import VisitFactory
from visits import services
from visits.models import FollowUp


def _high_risk_visit(place, staff, start):
    visit = VisitFactory(place=place, planned_start=start)
    services.interview_create(visit=visit, interviewee="detainee", reprisal_risk="high", by=staff)
    return visit


def _pair(staff):
    """An earlier visit the partner is not on, and a later one they are on, at one place."""
    later = VisitFactory()
    earlier = _high_risk_visit(later.place, staff, later.planned_start - dt.timedelta(days=3))
    return earlier, later


def test_partner_does_not_see_another_visits_reprisal_check_on_the_visit_page(
    staff, partner_client, on_team
):
    earlier, later = _pair(staff)
    on_team(later)
    page = partner_client.get(reverse("visits:visit_detail", args=[later.pk]))
    assert page.status_code == 200
    assert list(page.context["follow_ups"]) == []
    assert earlier.reference not in page.content.decode()


def test_partner_sees_the_checks_of_their_own_visit(staff, partner_client, on_team):
    earlier, later = _pair(staff)
    own = services.interview_create(
        visit=later, interviewee="detainee", reprisal_risk="high", by=staff
    )
    on_team(later)
    page = partner_client.get(reverse("visits:visit_detail", args=[later.pk]))
    assert [f.interview_id for f in page.context["follow_ups"]] == [own.pk]
    place = partner_client.get(reverse("visits:place_detail", args=[later.place.pk]))
    assert [f.interview_id for f in place.context["follow_ups"]] == [own.pk]


def test_staff_see_every_open_check_at_the_place(staff, staff_client):
    earlier, later = _pair(staff)
    page = staff_client.get(reverse("visits:visit_detail", args=[later.pk]))
    assert [f.visit_id for f in page.context["follow_ups"]] == [earlier.pk]


def test_visible_to_follows_visit_visibility(staff, partner_member, on_team):
    earlier, later = _pair(staff)
    assert FollowUp.objects.visible_to(partner_member).count() == 0
    on_team(earlier)
    assert list(FollowUp.objects.visible_to(partner_member).values_list("visit", flat=True)) == [
        earlier.pk
    ]
    assert FollowUp.objects.visible_to(staff).count() == 1
