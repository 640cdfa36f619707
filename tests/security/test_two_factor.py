"""Two-factor login: enrolment (with an enrolment link), the code step on every protected URL,
single-use codes, re-authentication before changing two-factor settings."""

import datetime as dt
import time
from urllib.parse import urlparse

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from npm_portal.security.enrolment import link_issue
from npm_portal.security.models import Authenticator, BackupCode
from tests.factories import PASSWORD
from tests.security.conftest import NOW, code_for

pytestmark = pytest.mark.usefixtures("two_factor_on")

PROTECTED = ["/", "/admin/", "/visits/", "/places/", "/partners/", "/accounts/password/"]


def _path(response) -> str:
    return urlparse(response.url).path


def _password_only(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestCodeStep:
    @pytest.mark.parametrize("url", PROTECTED)
    def test_password_only_user_with_authenticator_is_sent_to_the_code_step(
        self, head, authenticator, url
    ):
        authenticator(head)
        response = _password_only(head).get(url)
        assert response.status_code == 302
        assert _path(response) == reverse("otp_verify")

    @pytest.mark.parametrize("url", PROTECTED)
    def test_password_only_user_without_authenticator_must_enrol(self, staff, url):
        response = _password_only(staff).get(url)
        assert response.status_code == 302
        assert _path(response) == reverse("otp_setup")

    def test_admin_is_not_exempt(self, db, authenticator):
        from tests.factories import UserFactory

        root = UserFactory(username="root", is_staff=True, is_superuser=True)
        authenticator(root)
        client = _password_only(root)
        for url in ["/admin/", "/admin/visits/accesslog/", "/admin/npm_portal/user/"]:
            assert _path(client.get(url)) == reverse("otp_verify")
        client.post(reverse("otp_verify"), {"token": "backup01"})
        assert client.get("/admin/").status_code == 200

    def test_post_is_refused_too(self, staff, authenticator):
        authenticator(staff)
        response = _password_only(staff).post(reverse("visits:place_create"), {"name": "x"})
        assert _path(response) == reverse("otp_verify")

    def test_htmx_requests_are_told_to_redirect(self, staff, authenticator):
        authenticator(staff)
        response = _password_only(staff).get("/places/", headers={"HX-Request": "true"})
        assert response.status_code == 204
        assert response["HX-Redirect"].startswith(reverse("otp_verify"))

    @pytest.mark.parametrize("url", ["/healthz", "/accounts/login/"])
    def test_public_pages_stay_open(self, staff, authenticator, url):
        authenticator(staff)
        assert _password_only(staff).get(url).status_code == 200

    def test_logout_and_language_work_before_the_code(self, staff, authenticator):
        authenticator(staff)
        client = _password_only(staff)
        assert client.post(reverse("set_language"), {"language": "sr-latn"}).status_code == 302
        client.post(reverse("logout"))
        assert _path(client.get("/")) == reverse("login")

    def test_right_code_lets_the_user_in_and_goes_to_next(self, staff, authenticator):
        device = authenticator(staff)
        client = _password_only(staff)
        response = client.post(
            reverse("otp_verify"), {"token": code_for(device), "next": "/places/"}
        )
        assert response.status_code == 302
        assert response.url == "/places/"
        assert client.get("/places/").status_code == 200
        assert client.get("/admin/").status_code == 302  # not an admin: admin login, not OTP
        assert _path(client.get("/admin/")) != reverse("otp_verify")

    def test_wrong_code_is_refused(self, staff, authenticator):
        authenticator(staff)
        client = _password_only(staff)
        response = client.post(reverse("otp_verify"), {"token": "000000"})
        assert response.status_code == 200
        assert "not valid" in response.content.decode()
        assert _path(client.get("/")) == reverse("otp_verify")

    def test_empty_post_shows_the_required_field_error(self, staff, authenticator):
        authenticator(staff)
        client = _password_only(staff)
        response = client.post(reverse("otp_verify"), {})
        assert response.status_code == 200
        assert response.context["form"].errors["token"] == ["This field is required."]
        assert _path(client.get("/")) == reverse("otp_verify")

    def test_open_redirect_is_refused(self, staff, authenticator):
        device = authenticator(staff)
        response = _password_only(staff).post(
            reverse("otp_verify"), {"token": code_for(device), "next": "https://evil.example/"}
        )
        assert response.url == reverse("dashboard")

    def test_a_used_code_cannot_be_used_again(self, staff, authenticator):
        device = authenticator(staff)
        with time_machine.travel(NOW, tick=False):
            code = code_for(device)
            first = _password_only(staff).post(reverse("otp_verify"), {"token": code})
            assert first.status_code == 302
            second_client = _password_only(staff)
            device.refresh_from_db()
            device.throttle_reset()
            second = second_client.post(reverse("otp_verify"), {"token": code})
            assert second.status_code == 200
            assert _path(second_client.get("/")) == reverse("otp_verify")

    def test_backup_code_works_once(self, staff, authenticator):
        authenticator(staff)
        first = _password_only(staff)
        assert first.post(reverse("otp_verify"), {"token": "backup01"}).status_code == 302
        assert first.get("/").status_code == 200
        again = _password_only(staff)
        assert again.post(reverse("otp_verify"), {"token": "backup01"}).status_code == 200
        assert BackupCode.objects.filter(device__user=staff).count() == 1

    def test_full_login_through_the_form_then_code(self, staff, authenticator):
        device = authenticator(staff)
        client = Client()
        response = client.post(
            reverse("login"), {"username": "staff", "password": PASSWORD, "next": "/places/"}
        )
        assert response.url == "/places/"
        response = client.get("/places/")
        assert _path(response) == reverse("otp_verify")
        assert "next=%2Fplaces%2F" in response.url
        response = client.post(response.url, {"token": code_for(device)})
        assert response.url == "/places/"
        assert client.get("/places/").status_code == 200


def _with_link(user) -> Client:
    """Logged in with the password, an enrolment link for `user` opened."""
    client = _password_only(user)
    url = link_issue(user=user, by=None).url
    assert _path(client.get(url)) == reverse("otp_setup")
    return client


class TestEnrolment:
    def test_enrolment_page_shows_a_qr_code_and_the_key(self, staff):
        response = _with_link(staff).get(reverse("otp_setup"))
        html = response.content.decode()
        assert response.status_code == 200
        assert 'src="data:image/svg+xml;base64,' in html
        assert 'id="otp-secret"' in html
        device = Authenticator.objects.get(user=staff)
        assert not device.confirmed

    def test_confirming_with_a_code_turns_it_on_and_shows_backup_codes(self, staff):
        client = _with_link(staff)
        client.get(reverse("otp_setup"))
        device = Authenticator.objects.get(user=staff)
        response = client.post(reverse("otp_setup"), {"token": code_for(device)})
        assert response.status_code == 200
        assert 'id="backup-codes"' in response.content.decode()
        device.refresh_from_db()
        assert device.confirmed
        assert BackupCode.objects.filter(device__user=staff).count() == 10
        assert client.get("/").status_code == 200  # verified by the enrolment itself
        assert "no-store" in response["Cache-Control"]

    def test_wrong_code_does_not_turn_it_on(self, staff):
        client = _with_link(staff)
        client.get(reverse("otp_setup"))
        response = client.post(reverse("otp_setup"), {"token": "123456"})
        assert response.status_code == 200
        assert not Authenticator.objects.get(user=staff).confirmed

    def test_a_password_alone_cannot_replace_the_authenticator(self, staff, authenticator):
        authenticator(staff)
        client = _password_only(staff)
        assert _path(client.get(reverse("otp_setup"))) == reverse("otp_verify")
        assert Authenticator.objects.filter(user=staff).count() == 1


class TestReauthentication:
    def _verified(self, user, device) -> Client:
        client = _password_only(user)
        assert client.post(reverse("otp_verify"), {"token": "backup01"}).status_code == 302
        return client

    def test_new_backup_codes_need_password_and_code(self, staff, authenticator):
        device = authenticator(staff)
        client = self._verified(staff, device)
        response = client.post(reverse("backup_codes"))
        assert _path(response) == reverse("reauthenticate")
        assert BackupCode.objects.filter(device__user=staff).count() == 1  # backup02

        page = client.get(response.url)
        assert 'name="password"' in page.content.decode()
        assert 'name="token"' in page.content.decode()
        bad = client.post(
            reverse("reauthenticate"),
            {"password": "wrong password here", "token": code_for(device)},
        )
        assert bad.status_code == 200
        assert "not correct" in bad.content.decode()
        good = client.post(
            reverse("reauthenticate"),
            {"password": PASSWORD, "token": code_for(device), "next": reverse("two_factor")},
        )
        assert good.url == reverse("two_factor")
        response = client.post(reverse("backup_codes"))
        assert response.status_code == 200
        assert BackupCode.objects.filter(device__user=staff).count() == 10
        refused = _password_only(staff).post(reverse("otp_verify"), {"token": "backup02"})
        assert refused.status_code == 200

    def test_password_without_the_code_is_not_enough(self, staff, authenticator):
        device = authenticator(staff)
        client = self._verified(staff, device)
        response = client.post(reverse("reauthenticate"), {"password": PASSWORD, "token": ""})
        assert response.status_code == 200
        assert "npm_reauth_at" not in client.session

    def test_reauthentication_expires(self, staff, authenticator, settings):
        device = authenticator(staff)
        client = self._verified(staff, device)
        client.post(reverse("reauthenticate"), {"password": PASSWORD, "token": code_for(device)})
        assert client.session["npm_reauth_at"] <= time.time()
        session = client.session
        session["npm_reauth_at"] = int(time.time()) - settings.NPM_REAUTH_SECONDS - 1
        session.save()
        assert _path(client.post(reverse("backup_codes"))) == reverse("reauthenticate")

    def test_moving_to_a_new_phone_needs_reauthentication(self, staff, authenticator):
        device = authenticator(staff)
        client = self._verified(staff, device)
        assert _path(client.get(reverse("otp_setup"))) == reverse("reauthenticate")
        client.post(reverse("reauthenticate"), {"password": PASSWORD, "token": code_for(device)})
        assert client.get(reverse("otp_setup")).status_code == 200
        new = Authenticator.objects.get(user=staff, confirmed=False)
        with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=1)):
            client.post(reverse("otp_setup"), {"token": code_for(new)})
        assert list(Authenticator.objects.filter(user=staff)) == [new]


def test_admin_can_delete_a_lost_device_but_never_sees_a_secret(db, staff, authenticator, settings):
    from django.urls import NoReverseMatch

    from tests.factories import UserFactory

    settings.NPM_REQUIRE_2FA = False
    device = authenticator(staff)
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(root)
    page = client.get(f"/admin/npm_portal/authenticator/{device.pk}/change/")
    assert page.status_code == 200
    assert device.key not in page.content.decode()
    backup = client.get("/admin/npm_portal/backupcodes/")
    assert backup.status_code == 200
    assert "backup01" not in backup.content.decode()
    with pytest.raises(NoReverseMatch):
        reverse("admin:otp_totp_totpdevice_config", args=[device.pk])
    client.post(f"/admin/npm_portal/authenticator/{device.pk}/delete/", {"post": "yes"})
    assert not Authenticator.objects.filter(pk=device.pk).exists()


def test_wrong_codes_slow_down_guessing(db, staff, authenticator, two_factor_on):
    device = authenticator(staff)
    client = _password_only(staff)
    client.post(reverse("otp_verify"), {"token": "000000"})
    response = client.post(reverse("otp_verify"), {"token": code_for(device)})
    assert "Too many wrong codes" in response.content.decode()
    assert _path(client.get("/")) == reverse("otp_verify")
