"""Authority accounts, run by the NPM (head and staff): invite a person of an addressee
authority, send them a fresh link, deactivate (and reactivate) their login.

An invited user gets a login of their own (username = their e-mail, lower-cased; no usable
password until they choose one through the invitation link), the "Authority user" role and one
`AuthorityAccount` tied to one authority node. A person who already has an NPM or partner login
cannot be made an authority user: the two worlds do not mix in one login. Deactivating ends the
login at once: the user can no longer log in, and their open sessions end on their next request
(`SessionLifetimeMiddleware` flushes a session whose user can no longer authenticate).

The invitation mail holds the links only (and, when two-factor login is required, the enrolment
link): never a recommendation, a report or anything else the authority will read behind the
login. The links are also returned, so the page can show them once when the mail fails.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import Role, user_roles
from npm_portal.security import enrolment

from . import access, invitations
from .models import AuthorityAccount, AuthorityFunction

logger = logging.getLogger("npm_portal.authority_portal")


@dataclass
class Invitation:
    account: AuthorityAccount
    invitation_url: str
    enrolment_url: str = ""
    email_failed: bool = False


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": _("Give the person's e-mail address.")})
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from error
    if len(email) > 150:
        raise ValidationError({"email": _("This e-mail address is too long for a login.")})
    return email


def _refuse_existing(email: str) -> None:
    existing = (
        get_user_model().objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).first()
    )
    if existing is None:
        return
    if any(role != Role.AUTHORITY for role in user_roles(existing)) or existing.is_staff:
        raise ValidationError(
            {
                "email": _(
                    "This person has an NPM or partner login: an authority user needs a login "
                    "of their own, with another e-mail address."
                )
            }
        )
    raise ValidationError({"email": _("A login with this e-mail address already exists.")})


def _require_may_manage(by) -> None:
    access.deny_unless(by is not None and access.can_manage_accounts(by))


def _issue_links(user) -> tuple[str, str]:
    url = invitations.invitation_url(user)
    enrolment_url = ""
    if settings.NPM_REQUIRE_2FA:
        enrolment_url = enrolment.link_issue(
            user=user, by=None, email=False, base_url=settings.NPM_BASE_URL
        ).url
    return url, enrolment_url


def _send_invitation(account: AuthorityAccount, url: str, enrolment_url: str) -> bool:
    user = account.user
    context = {
        "user": user,
        "account": account,
        "url": url,
        "enrolment_url": enrolment_url,
        "days": settings.NPM_INVITATION_DAYS,
        "hours": settings.NPM_ENROLMENT_LINK_HOURS,
        "npm_name": settings.NPM_NAME,
    }
    body = render_to_string("emails/authority_invitation.txt", context)
    try:
        send_mail(
            _("Your login to the NPM Portal"), body, settings.DEFAULT_FROM_EMAIL, [user.email]
        )
    except Exception:  # SMTP or network: the page shows the links to the NPM user instead
        logger.exception("Invitation for authority account %s could not be e-mailed.", account.pk)
        return False
    return True


def account_invite(
    *,
    authority,
    function: str,
    first_name: str,
    last_name: str,
    email: str,
    position: str = "",
    by,
) -> Invitation:
    """A new authority user of `authority`, invited by e-mail (the links are returned too)."""
    _require_may_manage(by)
    errors: dict[str, str] = {}
    if authority is None:
        errors["authority"] = _("Choose the authority.")
    elif not authority.active:
        errors["authority"] = _("This authority is no longer active.")
    if function not in AuthorityFunction.values:
        errors["function"] = _("Choose the person's function.")
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    if not first_name:
        errors["first_name"] = _("Give the first name.")
    if not last_name:
        errors["last_name"] = _("Give the last name.")
    try:
        email = _clean_email(email)
        _refuse_existing(email)
    except ValidationError as error:
        errors.update({field: messages[0] for field, messages in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        user = get_user_model()(
            username=email, email=email, first_name=first_name[:150], last_name=last_name[:150]
        )
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=Role.AUTHORITY.value))
        account = AuthorityAccount(
            user=user,
            authority=authority,
            function=function,
            position=(position or "").strip()[:200],
            created_by=by,
            invited_at=timezone.now(),
        )
        account._history_user = by
        account.save()
        url, enrolment_url = _issue_links(user)
    logger.info("Authority account %s invited by user %s.", account.pk, by.pk)
    failed = not _send_invitation(account, url, enrolment_url)
    return Invitation(account, url, enrolment_url, failed)


def account_reinvite(*, account: AuthorityAccount, by) -> Invitation:
    """A fresh invitation link (the earlier one keeps its own term), for an active account."""
    _require_may_manage(by)
    with transaction.atomic():
        account = (
            AuthorityAccount.objects.select_for_update(of=("self",))
            .select_related("user", "authority")
            .get(pk=account.pk)
        )
        if not account.is_active:
            raise ValidationError(_("This account is deactivated: reactivate it first."))
        account.invited_at = timezone.now()
        account._history_user = by
        account.save(update_fields=["invited_at"])
        url, enrolment_url = _issue_links(account.user)
    failed = not _send_invitation(account, url, enrolment_url)
    return Invitation(account, url, enrolment_url, failed)


@transaction.atomic
def account_deactivate(*, account: AuthorityAccount, by) -> AuthorityAccount:
    """The person can no longer log in; their open sessions end with their next request."""
    _require_may_manage(by)
    account = (
        AuthorityAccount.objects.select_for_update(of=("self",))
        .select_related("user", "authority")
        .get(pk=account.pk)
    )
    if account.deactivated_at is not None:
        return account
    user = account.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    account.deactivated_at = timezone.now()
    account.deactivated_by = by
    account._history_user = by
    account.save(update_fields=["deactivated_at", "deactivated_by"])
    logger.info("Authority account %s deactivated by user %s.", account.pk, by.pk)
    return account


@transaction.atomic
def account_reactivate(*, account: AuthorityAccount, by) -> AuthorityAccount:
    """Undo a deactivation (the person then needs a fresh invitation or their old password)."""
    _require_may_manage(by)
    account = (
        AuthorityAccount.objects.select_for_update(of=("self",))
        .select_related("user", "authority")
        .get(pk=account.pk)
    )
    user = account.user
    if any(role != Role.AUTHORITY for role in user_roles(user)) or user.is_staff:
        raise ValidationError(_("This login now has an NPM or partner role: it stays inactive."))
    if account.deactivated_at is None and user.is_active:
        return account
    user.is_active = True
    user.save(update_fields=["is_active"])
    account.deactivated_at = None
    account.deactivated_by = None
    account._history_user = by
    account.save(update_fields=["deactivated_at", "deactivated_by"])
    logger.info("Authority account %s reactivated by user %s.", account.pk, by.pk)
    return account
