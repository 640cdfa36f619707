"""One-time enrolment links: the only way to set up a first authenticator, or one replacing a lost
phone, without the current second factor. A password alone never is enough: whoever has it must
also have the link, and the link alone is useless without the password.

A link is a random token (only its SHA-256 is stored), for one user, valid
NPM_ENROLMENT_LINK_HOURS, single-use. The NPM head or an administrator issues it (the
`npm_portal.add_enrolmentlink` permission; `manage.py enrolment_link` for the first
administrator); it is shown once and may be e-mailed to the user. Opening it needs a login with
that user's password; it is consumed when the new authenticator is confirmed, which is also when
the user's earlier authenticator and backup codes stop working (issuing deletes nothing).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import EnrolmentLink

logger = logging.getLogger("npm_portal.security")

ISSUE_PERMISSION = "npm_portal.add_enrolmentlink"
# The link opened in this session, waiting for the authenticator to be confirmed.
SESSION_KEY = "npm_enrolment_link"


def may_issue(user) -> bool:
    return bool(user.is_active and user.has_perm(ISSUE_PERMISSION))


@dataclass
class IssuedLink:
    link: EnrolmentLink
    url: str
    email_failed: bool = False


def link_issue(*, user, by, email: bool = False, base_url: str = "") -> IssuedLink:
    """A new link for `user` (earlier unused ones stop working). `by=None` is the system (the
    management command). `base_url` ("https://npm.example.org") makes the URL absolute."""
    if by is not None and not may_issue(by):
        raise PermissionDenied
    if not user.is_active:
        raise ValidationError(_("This account is not active."))
    if email and not user.email:
        raise ValidationError(_("This user has no e-mail address: give them the link another way."))
    now = timezone.now()
    EnrolmentLink.objects.usable().filter(user=user).update(expires_at=now)
    token = secrets.token_urlsafe(32)
    link = EnrolmentLink.objects.create(
        user=user,
        created_by=by,
        token_hash=EnrolmentLink.hash_token(token),
        created_at=now,
        expires_at=now + timedelta(hours=settings.NPM_ENROLMENT_LINK_HOURS),
        emailed=email,
    )
    url = base_url.rstrip("/") + reverse("enrolment_link", args=[token])
    issued = IssuedLink(link=link, url=url)
    logger.info(
        "Enrolment link %s issued for user %s by %s, valid until %s.",
        link.pk,
        user.pk,
        "the system" if by is None else f"user {by.pk}",
        link.expires_at.isoformat(),
    )
    if email:
        issued.email_failed = not _send(link, url)
    return issued


def _send(link: EnrolmentLink, url: str) -> bool:
    context = {"user": link.user, "url": url, "hours": settings.NPM_ENROLMENT_LINK_HOURS}
    body = render_to_string("emails/enrolment_link.txt", context)
    try:
        send_mail(
            _("Set up two-factor login"), body, settings.DEFAULT_FROM_EMAIL, [link.user.email]
        )
    except Exception:  # an SMTP or network failure: the link is still shown to the issuer
        logger.exception("Enrolment link %s could not be e-mailed.", link.pk)
        EnrolmentLink.objects.filter(pk=link.pk).update(emailed=False)
        return False
    logger.info("Enrolment link %s e-mailed to user %s.", link.pk, link.user_id)
    return True


def link_open(request: HttpRequest, token: str) -> EnrolmentLink | None:
    """The link, remembered in the session, when it is usable and made for the logged-in user;
    otherwise None (the same answer whatever the reason)."""
    link = EnrolmentLink.objects.usable().filter(token_hash=EnrolmentLink.hash_token(token))
    link = link.first()
    if link is None or link.user_id != request.user.pk:
        logger.warning(
            "Enrolment link refused for user %s: %s.",
            request.user.pk,
            "unknown, used or expired" if link is None else f"made for user {link.user_id}",
        )
        return None
    request.session[SESSION_KEY] = link.pk
    return link


def session_link(request: HttpRequest) -> EnrolmentLink | None:
    pk = request.session.get(SESSION_KEY)
    if pk is None:
        return None
    return EnrolmentLink.objects.usable().filter(pk=pk, user=request.user).first()


def link_consume(request: HttpRequest, link: EnrolmentLink) -> bool:
    """Use the link up (a conditional UPDATE: only one request can); False if it no longer
    could be."""
    used = (
        EnrolmentLink.objects.usable()
        .filter(pk=link.pk, user=request.user)
        .update(used_at=timezone.now())
    )
    request.session.pop(SESSION_KEY, None)
    if used:
        logger.info("Enrolment link %s used by user %s.", link.pk, request.user.pk)
    return bool(used)
