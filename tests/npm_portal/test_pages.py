from django.urls import reverse
from django.utils import translation

from tests.factories import PASSWORD, AuthorityFactory, PlaceFactory, UserFactory
from visits.models import Place


def test_dashboard_shows_real_figures(staff_client, db):
    ministry = AuthorityFactory()
    PlaceFactory(authority=ministry, capacity=10)
    PlaceFactory(authority=ministry, category=Place.Category.PRISON, capacity=500)
    PlaceFactory(authority=ministry, capacity=99, active=False)
    response = staff_client.get(reverse("dashboard"))
    body = response.content.decode()
    assert response.context["place_totals"] == {
        "total": 3,
        "active_count": 2,
        "active_capacity": 510,
    }
    assert 'data-stat="active-places">2<' in body
    assert 'data-stat="capacity">510<' in body
    rows = {value: count for value, _label, count in response.context["categories"]}
    assert rows["prison"] == 1
    assert rows["police"] == 1
    assert rows["asylum"] == 0


def test_login_page_is_public_and_logs_in(client, db):
    UserFactory(username="ana")
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert 'name="username"' in page.content.decode()
    response = client.post(reverse("login"), {"username": "ana", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_wrong_password_shows_a_message(client, db):
    UserFactory(username="ana")
    response = client.post(reverse("login"), {"username": "ana", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_logout_ends_the_session(staff_client):
    response = staff_client.post(reverse("logout"))
    assert response.status_code == 302
    assert staff_client.get(reverse("dashboard")).status_code == 302


def test_password_change_enforces_the_length_rule(staff_client, staff):
    url = reverse("password_change")
    short = staff_client.post(
        url, {"old_password": PASSWORD, "new_password1": "Short1!x", "new_password2": "Short1!x"}
    )
    assert short.status_code == 200
    assert "at least 15 characters" in short.content.decode()
    new = "a-long-passphrase-for-the-npm"
    done = staff_client.post(
        url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password(new)


def test_navigation_shows_only_built_sections(staff_client):
    body = staff_client.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("visits:place_list")}"' in body
    assert f'href="{reverse("visits:authority_list")}"' in body


def test_language_switch_translates_the_interface(staff_client):
    response = staff_client.post(
        reverse("set_language"), {"language": "sr-latn", "next": reverse("visits:place_list")}
    )
    assert response.status_code == 302
    page = staff_client.get(reverse("visits:place_list"))
    assert page.status_code == 200
    assert '<html lang="sr-latn">' in page.content.decode()
    with translation.override("sr-latn"):
        expected = translation.gettext("Places of deprivation of liberty")
    assert expected != "Places of deprivation of liberty"
    assert expected in page.content.decode()


def test_cyrillic_interface(staff_client):
    staff_client.post(reverse("set_language"), {"language": "sr", "next": "/"})
    page = staff_client.get(reverse("dashboard")).content.decode()
    assert '<html lang="sr">' in page
    # Django's own Cyrillic catalogue and ours: the "Log out" button.
    with translation.override("sr"):
        assert translation.gettext("Log out") in page
        assert translation.gettext("Log out") != "Log out"


def test_pages_carry_a_strict_content_security_policy(staff_client):
    response = staff_client.get(reverse("visits:place_list"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    # Everything the page loads is our own: no CDN.
    assert "https://" not in response.content.decode().split("<main")[0]


def test_not_found_page_is_in_the_app_look(staff_client):
    response = staff_client.get("/places/999999/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "There is nothing here, or you do not have access to it." in body
    assert 'id="main-nav"' in body


def test_forbidden_page_explains(partner_client):
    response = partner_client.get(reverse("visits:place_create"))
    assert response.status_code == 403
    assert "Your role does not allow this action." in response.content.decode()
