"""Enrolment only with a one-time link: a password alone never sets up an authenticator (an
attacker who has it cannot enrol their own phone). The NPM head or an administrator issues the
link (shown once, optionally e-mailed), for one user, valid NPM_ENROLMENT_LINK_HOURS; opening it
needs that user's password; it is consumed when the new authenticator is confirmed."""

import datetime as dt
import re
from io import StringIO
from urllib.parse import urlparse

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from npm_portal.security.enrolment import link_issue
from npm_portal.security.models import Authenticator, BackupCode, EnrolmentLink
from tests.factories import PASSWORD, UserFactory
from tests.security.conftest import code_for
from visits.models import AccessLog

pytestmark = pytest.mark.usefixtures("two_factor_on")

TOKEN = re.compile(r'(X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+')


def _path(response) -> str:
    return urlparse(response.url).path


def _password_only(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(response) -> str:
    """The page without its CSRF tokens and the link in its own URL (the language form)."""
    html = TOKEN.sub(r"\1", response.content.decode())
    return re.sub(r"/accounts/enrol/[^/]+/", "/accounts/enrol/…/", html)


def _enrol(client) -> Authenticator:
    """Scan the QR code (read the key) and confirm with a code."""
    assert client.get(reverse("otp_setup")).status_code == 200
    device = Authenticator.objects.get(user_id=client.session["_auth_user_id"], confirmed=False)
    response = client.post(reverse("otp_setup"), {"token": code_for(device)})
    assert 'id="backup-codes"' in response.content.decode()
    return device


class TestWithoutALink:
    def test_a_password_alone_cannot_enrol(self, staff):
        client = _password_only(staff)
        for url in ["/", reverse("otp_verify"), reverse("otp_setup")]:
            response = client.get(url, follow=True)
            assert response.status_code == 200
            assert "You need an enrolment link" in response.content.decode()
        response = client.post(reverse("otp_setup"), {"token": "123456"})
        assert "You need an enrolment link" in response.content.decode()
        assert not Authenticator.objects.filter(user=staff).exists()
        assert client.get("/").status_code == 302  # still only the enrolment page

    def test_the_page_tells_nothing_about_the_account(self, staff):
        html = _password_only(staff).get(reverse("otp_setup")).content.decode()
        assert staff.email not in html
        assert 'src="data:image/svg+xml' not in html


class TestOpeningALink:
    def test_the_link_lets_its_user_enrol_once(self, staff):
        url = link_issue(user=staff, by=None).url
        client = _password_only(staff)
        assert _path(client.get(url)) == reverse("otp_setup")
        device = _enrol(client)
        device.refresh_from_db()
        assert device.confirmed
        assert client.get("/").status_code == 200
        assert EnrolmentLink.objects.get(user=staff).used_at is not None
        assert "npm_enrolment_link" not in client.session
        assert client.get(url).status_code == 404

    def test_it_needs_a_login_with_the_password_first(self, staff):
        url = link_issue(user=staff, by=None).url
        client = Client()
        response = client.get(url)
        assert _path(response) == reverse("login")
        response = client.post(response.url, {"username": "staff", "password": PASSWORD})
        assert response.url == url
        assert _path(client.get(url)) == reverse("otp_setup")
        assert 'id="otp-secret"' in client.get(reverse("otp_setup")).content.decode()

    def test_another_users_link_is_refused_like_an_unknown_one(self, staff, compliance):
        url = link_issue(user=compliance, by=None).url
        client = _password_only(staff)
        other = client.get(url)
        unknown = client.get(reverse("enrolment_link", args=["x" * 43]))
        assert other.status_code == unknown.status_code == 404
        assert _page(other) == _page(unknown)
        assert "npm_enrolment_link" not in client.session
        assert "You need an enrolment link" in client.get(reverse("otp_setup")).content.decode()
        assert EnrolmentLink.objects.get(user=compliance).used_at is None
        # Both refusals are in the access log, by the link's number, never with its token.
        link = EnrolmentLink.objects.get(user=compliance)
        entries = AccessLog.objects.filter(user=staff, object_type="npm_portal.EnrolmentLink")
        assert sorted(entries.values_list("object_id", flat=True)) == [str(link.pk), "unknown"]
        token = url.rstrip("/").rsplit("/", 1)[-1]
        assert not AccessLog.objects.filter(object_id__contains=token[-20:]).exists()

    def test_an_expired_link_is_refused(self, staff, settings):
        start = dt.datetime.now(tz=dt.UTC)
        with time_machine.travel(start, tick=False) as clock:
            url = link_issue(user=staff, by=None).url
            clock.shift(dt.timedelta(hours=settings.NPM_ENROLMENT_LINK_HOURS, seconds=1))
            assert _password_only(staff).get(url).status_code == 404

    def test_a_link_that_expires_while_enrolling_is_not_used(self, staff, settings):
        settings.NPM_ENROLMENT_LINK_HOURS = 1
        settings.NPM_SESSION_IDLE_MINUTES = 120  # the session outlives the link
        start = dt.datetime.now(tz=dt.UTC)
        with time_machine.travel(start, tick=False) as clock:
            client = _password_only(staff)
            client.get(link_issue(user=staff, by=None).url)
            client.get(reverse("otp_setup"))
            clock.shift(dt.timedelta(hours=settings.NPM_ENROLMENT_LINK_HOURS, seconds=1))
            device = Authenticator.objects.get(user=staff)
            response = client.post(reverse("otp_setup"), {"token": code_for(device)})
            assert "You need an enrolment link" in response.content.decode()
        assert not Authenticator.objects.filter(user=staff, confirmed=True).exists()

    def test_a_wrong_code_does_not_use_the_link(self, staff):
        client = _password_only(staff)
        client.get(link_issue(user=staff, by=None).url)
        client.get(reverse("otp_setup"))
        client.post(reverse("otp_setup"), {"token": "000000"})
        assert EnrolmentLink.objects.get(user=staff).used_at is None
        assert client.get(reverse("otp_setup")).status_code == 200

    def test_only_the_hash_of_the_token_is_stored(self, staff):
        url = link_issue(user=staff, by=None).url
        token = url.rstrip("/").rsplit("/", 1)[-1]
        link = EnrolmentLink.objects.get(user=staff)
        assert len(token) >= 43
        assert token not in link.token_hash
        assert link.token_hash == EnrolmentLink.hash_token(token)

    def test_a_new_link_replaces_an_unused_one(self, staff):
        first = link_issue(user=staff, by=None).url
        second = link_issue(user=staff, by=None).url
        client = _password_only(staff)
        assert client.get(first).status_code == 404
        assert _path(client.get(second)) == reverse("otp_setup")


class TestLostPhone:
    def test_the_old_authenticator_works_until_the_new_one_is_confirmed(self, staff, authenticator):
        old = authenticator(staff)
        url = link_issue(user=staff, by=None).url
        # Issuing deleted nothing: the old phone and the backup codes still log in.
        assert _password_only(staff).post(reverse("otp_verify"), {"token": "backup01"}).url == "/"
        client = _password_only(staff)  # password only: the phone is lost
        assert _path(client.get(url)) == reverse("otp_setup")
        new = _enrol(client)
        assert list(Authenticator.objects.filter(user=staff)) == [new]
        assert not Authenticator.objects.filter(pk=old.pk).exists()
        assert BackupCode.objects.filter(device__user=staff).count() == 10
        refused = _password_only(staff).post(reverse("otp_verify"), {"token": "backup02"})
        assert refused.status_code == 200


@pytest.fixture
def _issuer_verified(two_factor_on, settings):
    # The issuing page itself (its two-factor and re-authentication guard: the last tests).
    settings.NPM_REQUIRE_2FA = False
    settings.NPM_REQUIRE_REAUTH = False


@pytest.mark.usefixtures("_issuer_verified")
class TestIssuing:
    def test_only_the_head_may_issue(self, head_client, staff_client, partner_client):
        assert head_client.get(reverse("enrolment_links")).status_code == 200
        assert staff_client.get(reverse("enrolment_links")).status_code == 403
        assert partner_client.get(reverse("enrolment_links")).status_code == 404
        assert staff_client.post(reverse("enrolment_links"), {}).status_code == 403

    def test_the_service_checks_the_right_itself(self, staff, compliance):
        with pytest.raises(PermissionDenied):
            link_issue(user=compliance, by=staff)
        assert not EnrolmentLink.objects.exists()

    def test_the_link_is_shown_once(self, head, head_client, staff):
        response = head_client.post(reverse("enrolment_links"), {"user": staff.pk})
        html = response.content.decode()
        assert 'id="enrolment-link"' in html
        link = EnrolmentLink.objects.get(user=staff)
        assert link.created_by == head
        assert not link.emailed
        url = html.split('id="enrolment-link">', 1)[1].split("<", 1)[0]
        assert url.startswith("http://testserver/accounts/enrol/")
        assert EnrolmentLink.hash_token(url.rstrip("/").rsplit("/", 1)[-1]) == link.token_hash
        page = head_client.get(reverse("enrolment_links")).content.decode()
        assert url not in page
        assert 'id="enrolment-link"' not in page
        assert str(staff) in page
        assert mail.outbox == []

    def test_the_link_may_be_e_mailed(self, head_client, staff):
        response = head_client.post(
            reverse("enrolment_links"), {"user": staff.pk, "send_email": "on"}
        )
        assert "sent to their e-mail address" in response.content.decode()
        (message,) = mail.outbox
        assert message.to == [staff.email]
        url = response.content.decode().split('id="enrolment-link">', 1)[1].split("<", 1)[0]
        assert url in message.body
        assert EnrolmentLink.objects.get(user=staff).emailed

    def test_without_an_address_it_cannot_be_e_mailed(self, head_client):
        nomail = UserFactory(username="nomail", email="")
        response = head_client.post(
            reverse("enrolment_links"), {"user": nomail.pk, "send_email": "on"}
        )
        assert "has no e-mail address" in response.content.decode()
        assert not EnrolmentLink.objects.exists()

    def test_an_administrator_may_issue(self, db, staff):
        root = UserFactory(username="root", is_staff=True, is_superuser=True)
        client = Client()
        client.force_login(root)
        response = client.post(reverse("enrolment_links"), {"user": staff.pk})
        assert 'id="enrolment-link"' in response.content.decode()
        assert EnrolmentLink.objects.get(user=staff).created_by == root


def test_issuing_needs_the_code_step_and_a_fresh_password_and_code(head, staff, authenticator):
    device = authenticator(head)
    client = _password_only(head)
    assert _path(client.get(reverse("enrolment_links"))) == reverse("otp_verify")
    client.post(reverse("otp_verify"), {"token": "backup01"})
    response = client.get(reverse("enrolment_links"))
    assert _path(response) == reverse("reauthenticate")
    client.post(reverse("reauthenticate"), {"password": PASSWORD, "token": code_for(device)})
    response = client.post(reverse("enrolment_links"), {"user": staff.pk})
    assert 'id="enrolment-link"' in response.content.decode()


class TestBootstrapCommand:
    def test_it_prints_a_link_for_the_first_administrator(self, db, settings):
        settings.CSRF_TRUSTED_ORIGINS = ["https://npm.example.org"]
        root = UserFactory(username="root", is_staff=True, is_superuser=True)
        out, err = StringIO(), StringIO()
        call_command("enrolment_link", "root", stdout=out, stderr=err)
        url = out.getvalue().strip()
        assert url.startswith("https://npm.example.org/accounts/enrol/")
        assert "root only" in err.getvalue()
        link = EnrolmentLink.objects.get(user=root)
        assert link.created_by is None
        client = _password_only(root)
        assert _path(client.get(urlparse(url).path)) == reverse("otp_setup")

    def test_an_unknown_user_is_an_error(self, db):
        with pytest.raises(CommandError, match="No user"):
            call_command("enrolment_link", "nobody", stdout=StringIO(), stderr=StringIO())
