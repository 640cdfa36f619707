"""The notification list: one's own only, unread count in the header, mark one or all read,
a partner sees nothing of a visit they were taken off."""

from __future__ import annotations

import pytest
from django.urls import reverse

from npm_portal.notifications.models import Kind, Notification
from tests.factories.visits import MemberFactory, TeamMemberFactory, VisitFactory
from visits.models import TeamMember

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")


def _note(user, visit=None, **fields) -> Notification:
    return Notification.objects.create(
        recipient=user,
        kind=fields.pop("kind", Kind.SECTION_ASSIGNED),
        title=fields.pop("title", "Section “Health care” of report NPM-2026-001"),
        reference="NPM-2026-001",
        url=fields.pop("url", "/visits/"),
        visit=visit,
        **fields,
    )


def test_header_shows_the_unread_count_and_the_list_marks_read(staff_client, staff, head):
    first = _note(staff, title="First one")
    _note(staff, title="Second one")
    _note(head, title="Not for staff")
    page = staff_client.get(reverse("dashboard")).content.decode()
    assert 'data-unread-count="2"' in page
    assert "Notifications: 2 unread" in page
    listing = staff_client.get(LIST).content.decode()
    assert "First one" in listing
    assert "Second one" in listing
    assert "Not for staff" not in listing
    response = staff_client.post(reverse("notifications:read", args=[first.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    assert 'data-unread-count="1"' in staff_client.get(LIST).content.decode()
    staff_client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=staff, read_at=None).exists()
    assert "data-unread-count" not in staff_client.get(LIST).content.decode()


def test_open_marks_read_and_goes_to_the_work(staff_client, staff):
    note = _note(staff, url="/visits/7/report/")
    response = staff_client.post(reverse("notifications:read", args=[note.pk]), {"open": "1"})
    assert response.status_code == 302
    assert response.url == "/visits/7/report/"


def test_someone_elses_notification_is_a_404(staff_client, head):
    note = _note(head)
    assert staff_client.post(reverse("notifications:read", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_a_partner_taken_off_the_team_no_longer_sees_its_notifications(
    partner_client, partner_member
):
    visit = VisitFactory()
    TeamMemberFactory(visit=visit, member=MemberFactory(user=partner_member))
    _note(partner_member, visit=visit, title="About the visit")
    assert "About the visit" in partner_client.get(LIST).content.decode()
    TeamMember.objects.filter(visit=visit).delete()
    page = partner_client.get(LIST)
    assert "About the visit" not in page.content.decode()
    assert "data-unread-count" not in partner_client.get(reverse("dashboard")).content.decode()


def test_list_is_paginated_with_few_queries(staff_client, staff, django_assert_max_num_queries):
    for index in range(60):
        _note(staff, title=f"Notification {index}")
    with django_assert_max_num_queries(12):
        page = staff_client.get(LIST + "?page=2")
    assert page.status_code == 200
    assert len(page.context["notifications"]) == 25


def test_anonymous_is_sent_to_log_in(anonymous_client):
    response = anonymous_client.get(LIST)
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_the_bell_is_counted_with_the_user_not_in_a_query_of_its_own(staff_client, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        _note(staff)
    with CaptureQueriesContext(connection) as queries:
        page = staff_client.get(reverse("visits:visit_list")).content.decode()
    assert 'data-unread-count="3"' in page
    touching = [
        q["sql"] for q in queries.captured_queries if "notifications_notification" in q["sql"]
    ]
    assert len(touching) == 1
    assert '"npm_portal_user"' in touching[0]  # the user's own query


def test_a_partners_bell_counts_only_visits_they_are_on(partner_client, partner_member):
    user = partner_member
    mine = VisitFactory()
    TeamMemberFactory(visit=mine, member=MemberFactory(user=user))
    _note(user, visit=mine)
    _note(user, visit=VisitFactory())  # a visit they are not on
    page = partner_client.get(reverse("dashboard")).content.decode()
    assert 'data-unread-count="1"' in page
