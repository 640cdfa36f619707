"""No history admin in any app saves a historical version ("Revert"): history is evidence."""

import pytest
from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from tests.factories import PlaceFactory

HISTORY_ADMINS = sorted(
    (
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, SimpleHistoryAdmin)
    ),
)


def test_every_history_admin_hides_the_revert_button(rf, django_user_model, db):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    request = rf.get("/")
    request.user = root
    assert len(HISTORY_ADMINS) >= 15
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, SimpleHistoryAdmin):
            assert model_admin.revert_disabled(request) is True, model._meta.label


@pytest.mark.parametrize("method", ["post", "put"])
def test_reverting_a_place_is_refused(client, django_user_model, method):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    client.force_login(root)
    place = PlaceFactory(name="Original name")
    first = place.history.earliest("history_id")
    place.name = "Renamed"
    place.save()
    path = reverse("admin:visits_place_simple_history", args=[place.pk, first.history_id])
    assert client.get(path).status_code == 200  # readable
    response = getattr(client, method)(path, {"name": "Original name"})
    assert response.status_code == 403
    place.refresh_from_db()
    assert place.name == "Renamed"
