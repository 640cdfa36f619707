"""Every response, public or not, turns off powerful browser features and may not be embedded
by another site."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("name", ["login", "portal:index", "healthz"])
def test_public_responses_carry_the_headers(client, db, name):
    response = client.get(reverse(name))
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in policy
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "Server" not in response


def test_logged_in_pages_carry_the_headers(staff_client):
    response = staff_client.get(reverse("visits:visit_list"))
    assert response.status_code == 200
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
