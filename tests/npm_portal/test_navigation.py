"""The navigation bar links only to what the user may open."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("client_fixture", "shown"),
    [
        ("head_client", True),
        ("staff_client", True),
        ("compliance_client", True),
        ("partner_client", False),
    ],
)
def test_recommendations_link_only_for_those_who_may_open_it(db, request, client_fixture, shown):
    client = request.getfixturevalue(client_fixture)
    page = client.get(reverse("dashboard")).content.decode()
    link = f'href="{reverse("recommendations:list")}"'
    assert (link in page) is shown
    # And the link, where shown, opens.
    expected = 200 if shown else 404
    assert client.get(reverse("recommendations:list")).status_code == expected
