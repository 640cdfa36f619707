"""The admin changelist of recommendations: the back office's main table, read-only, filtered and
searched without a second unfiltered count."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations.models import Recommendation
from tests.factories import UserFactory
from tests.recommendations.authoring_helpers import rec, visit_in

pytestmark = pytest.mark.django_db

URL = reverse("admin:recommendations_recommendation_changelist")


@pytest.fixture
def root_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def rows(response) -> int:
    return len(re.findall(r'<td class="field-status', response.content.decode()))


def test_the_changelist_lists_filters_and_searches(root_client):
    visit = visit_in(2025)
    rec(visit, number=1, text="Provide natural light in every cell.")
    rec(visit, number=2, text="Record every injury.", priority=Recommendation.Priority.URGENT)
    assert rows(root_client.get(URL)) == 2
    assert rows(root_client.get(URL, {"priority__exact": "urgent"})) == 1
    found = root_client.get(URL, {"q": "natural light"})
    assert rows(found) == 1
    assert "Provide natural light" in found.content.decode()


def test_it_is_read_only(root_client):
    recommendation = rec(visit_in(2025))
    assert root_client.get(reverse("admin:recommendations_recommendation_add")).status_code == 403
    change = reverse("admin:recommendations_recommendation_change", args=[recommendation.pk])
    page = root_client.get(change)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_the_queries_do_not_grow_with_the_rows(root_client):
    visit = visit_in(2025)
    rec(visit, number=1)
    root_client.get(URL)
    with CaptureQueriesContext(connection) as few:
        root_client.get(URL)
    for number in range(2, 30):
        rec(visit_in(2024 - number % 3), number=number)
    with CaptureQueriesContext(connection) as many:
        assert rows(root_client.get(URL)) == 29
    assert len(many) == len(few)
