"""Authority accounts, run by the NPM: invite (the user, the role, the account, the mail with
its links), refuse duplicates and NPM or partner logins, send a fresh link, deactivate (no more
login, open sessions end), reactivate; history kept."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from core.roles import Role, is_authority_only
from npm_portal.authority_portal import accounts, invitations
from npm_portal.authority_portal.models import AuthorityAccount
from npm_portal.security.models import EnrolmentLink
from tests.authority_portal.helpers import dispatched_case
from tests.factories import PASSWORD, AuthorityFactory, UserFactory

pytestmark = pytest.mark.django_db

F = AuthorityAccount.Function
MARKER = "CONFIDENTIAL-RECOMMENDATION-MARKER"


def _invite(by, authority, **overrides) -> accounts.Invitation:
    data = {
        "authority": authority,
        "function": F.FOCAL_POINT,
        "first_name": "Milica",
        "last_name": "Jovanović",
        "email": "Milica.Jovanovic@Example.RS",
        "position": "Head of the legal department",
        **overrides,
    }
    return accounts.account_invite(**data, by=by)


def _logged_in(client: Client, username: str) -> bool:
    client.post(reverse("login"), {"username": username, "password": PASSWORD})
    return "_auth_user_id" in client.session


def _links(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


def test_invite_creates_an_authority_user_with_an_unusable_password(head):
    authority = AuthorityFactory(name="Police Department Kruševac")
    invitation = _invite(head, authority)
    account = invitation.account
    user = account.user
    assert user.username == "milica.jovanovic@example.rs"
    assert user.email == "milica.jovanovic@example.rs"
    assert (user.first_name, user.last_name) == ("Milica", "Jovanović")
    assert not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == [Role.AUTHORITY.value]
    assert is_authority_only(user)
    assert (account.authority, account.function) == (authority, F.FOCAL_POINT)
    assert account.position == "Head of the legal department"
    assert account.created_by == head
    assert account.invited_at is not None
    assert account.history.get().history_user == head


def test_the_invitation_mail_holds_the_link_and_nothing_of_the_reports(head, settings):
    settings.NPM_BASE_URL = "https://npm.example.org"
    visit, institution, ministry, recommendations = dispatched_case(count=1)
    recommendations[0].text = f"Stop the beatings in cell 4 {MARKER}"
    recommendations[0].save()
    invitation = _invite(head, institution)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["milica.jovanovic@example.rs"]
    assert invitation.invitation_url in message.body
    assert invitation.invitation_url.startswith("https://npm.example.org/")
    # The link in the mail is a good invitation for this user, and for no one else.
    url = next(link for link in _links(message.body) if "/authority/" in link)
    uidb64, token = url.rstrip("/").split("/")[-2:]
    assert invitations.user_for(uidb64, token) == invitation.account.user
    body = message.subject + message.body
    assert MARKER not in body
    assert visit.report.reference not in body
    assert recommendations[0].reference not in body
    # Two-factor login is off here: no enrolment link.
    assert invitation.enrolment_url == ""
    assert "/accounts/enrol/" not in message.body


def test_with_two_factor_required_the_mail_holds_the_enrolment_link_too(head, settings):
    settings.NPM_REQUIRE_2FA = True
    invitation = _invite(head, AuthorityFactory())
    user = invitation.account.user
    assert invitation.enrolment_url
    assert "/accounts/enrol/" in invitation.enrolment_url
    assert invitation.enrolment_url in mail.outbox[0].body
    assert invitation.invitation_url in mail.outbox[0].body
    assert EnrolmentLink.objects.usable().filter(user=user).count() == 1
    assert len(mail.outbox) == 1  # one mail with both links


def test_a_failed_mail_still_returns_the_links(head, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    invitation = _invite(head, AuthorityFactory())
    assert invitation.email_failed
    assert invitation.invitation_url
    assert AuthorityAccount.objects.filter(pk=invitation.account.pk).exists()


@pytest.mark.parametrize("email", ["milica.jovanovic@example.rs", "MILICA.JOVANOVIC@example.rs"])
def test_a_duplicate_email_is_refused_by_the_field(head, email):
    authority = AuthorityFactory()
    _invite(head, authority)
    with pytest.raises(ValidationError) as caught:
        _invite(head, authority, email=email, first_name="Other")
    assert "already exists" in caught.value.message_dict["email"][0]
    assert AuthorityAccount.objects.count() == 1


@pytest.mark.parametrize("role", [Role.STAFF, Role.HEAD, Role.COMPLIANCE, Role.PARTNER])
def test_an_npm_or_partner_login_cannot_become_an_authority_user(head, role):
    person = UserFactory(username="someone", email="someone@npm.rs", roles=[role])
    with pytest.raises(ValidationError) as caught:
        _invite(head, AuthorityFactory(), email="Someone@NPM.rs")
    assert "NPM or partner login" in caught.value.message_dict["email"][0]
    assert not AuthorityAccount.objects.exists()
    assert list(person.groups.values_list("name", flat=True)) == [role.value]


def test_bad_input_is_reported_by_field(head):
    inactive = AuthorityFactory(active=False)
    with pytest.raises(ValidationError) as caught:
        _invite(head, inactive, function="boss", first_name=" ", email="not-an-address")
    assert set(caught.value.message_dict) == {"authority", "function", "first_name", "email"}
    assert not get_user_model().objects.filter(username="not-an-address").exists()


def test_only_head_and_staff_manage_accounts(compliance, partner_member):
    for user in (compliance, partner_member):
        with pytest.raises(PermissionDenied):
            _invite(user, AuthorityFactory())
    assert not AuthorityAccount.objects.exists()


def test_invitation_link_sets_the_password_and_the_user_logs_in(head):
    invitation = _invite(head, AuthorityFactory())
    user = invitation.account.user
    user.set_password(PASSWORD)
    user.save()
    assert _logged_in(Client(), "milica.jovanovic@example.rs")


def test_deactivated_user_cannot_log_in_and_their_session_ends(head):
    invitation = _invite(head, AuthorityFactory())
    user = invitation.account.user
    user.set_password(PASSWORD)
    user.save()
    open_session = Client()
    assert _logged_in(open_session, user.username)
    account = accounts.account_deactivate(account=invitation.account, by=head)
    assert account.deactivated_at is not None
    assert account.deactivated_by == head
    user.refresh_from_db()
    assert not user.is_active
    assert not AuthorityAccount.objects.active().filter(pk=account.pk).exists()
    assert not _logged_in(Client(), user.username)
    response = open_session.get(reverse("authority:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in open_session.session
    # The history says who did it.
    latest = account.history.order_by("-history_date").first()
    assert (latest.history_user, latest.deactivated_by_id) == (head, head.pk)


def test_reinvite_gives_a_fresh_link_only_to_an_active_account(head):
    invitation = _invite(head, AuthorityFactory())
    first_invited = invitation.account.invited_at
    again = accounts.account_reinvite(account=invitation.account, by=head)
    assert again.account.invited_at > first_invited
    assert len(mail.outbox) == 2
    assert again.invitation_url in mail.outbox[1].body
    accounts.account_deactivate(account=invitation.account, by=head)
    with pytest.raises(ValidationError):
        accounts.account_reinvite(account=invitation.account, by=head)
    assert len(mail.outbox) == 2


def test_reactivate_undoes_a_deactivation(head):
    invitation = _invite(head, AuthorityFactory())
    accounts.account_deactivate(account=invitation.account, by=head)
    account = accounts.account_reactivate(account=invitation.account, by=head)
    account.user.refresh_from_db()
    assert account.user.is_active
    assert account.deactivated_at is None
    assert AuthorityAccount.objects.active().filter(pk=account.pk).exists()
    assert account.history.count() == 3  # invited, deactivated, reactivated
