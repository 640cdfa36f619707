"""E-mails of the answer workflow: to the validating authority when a draft waits for sign-off,
to the drafter when it comes back, to compliance when a submission arrives, to the authority's
users when the NPM asks a question. Each carries references and a link, never the text of an
answer, a recommendation or a question (the link leads to it, behind the login).

Sent once the transaction commits (`on_commit`), through the task queue when Celery is
configured (inline otherwise).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from core.roles import Role

from .models import AuthorityAccount, Submission


def on_commit(function, submission_pk: int) -> None:
    """Queue `function`'s mail about the submission once the transaction commits (a rolled-back
    change sends nothing). `function` is one of this module's four events."""
    from . import tasks  # tasks imports this module

    kind = function.__name__
    if kind not in tasks.KINDS:
        raise ValueError(f"Not a notification: {kind!r}.")
    transaction.on_commit(lambda: tasks.send_notification.delay(kind, submission_pk))


def _link(name: str, *args) -> str:
    return settings.NPM_BASE_URL.rstrip("/") + reverse(name, args=args)


def _send(subject: str, template: str, context: dict, recipients: list[str]) -> int:
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return 0
    body = render_to_string(template, {"npm_name": settings.NPM_NAME, **context})
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def _accounts(authority_id: int, *functions) -> list[str]:
    accounts = AuthorityAccount.objects.active().filter(authority_id=authority_id)
    if functions:
        accounts = accounts.filter(function__in=functions)
    return list(accounts.values_list("user__email", flat=True))


def _submission(pk: int) -> Submission:
    return Submission.objects.select_related("authority", "visit__report", "sent_by").get(pk=pk)


def sent_for_signoff(pk: int) -> int:
    submission = _submission(pk)
    return _send(
        _("An answer to report %(report)s waits for your sign-off")
        % {"report": submission.visit.report.reference},
        "emails/authority_signoff.txt",
        {"submission": submission, "link": _link("authority:submission", submission.pk)},
        _accounts(submission.authority_id, AuthorityAccount.Function.VALIDATOR),
    )


def returned(pk: int) -> int:
    submission = _submission(pk)
    recipient = submission.sent_by.email if submission.sent_by else ""
    return _send(
        _("Your answer to report %(report)s was returned to you")
        % {"report": submission.visit.report.reference},
        "emails/authority_returned.txt",
        {"submission": submission, "link": _link("authority:submission", submission.pk)},
        [recipient],
    )


def submitted(pk: int) -> int:
    submission = _submission(pk)
    officers = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.COMPLIANCE.value)
        .values_list("email", flat=True)
    )
    return _send(
        _("%(authority)s submitted answer %(reference)s")
        % {"authority": submission.authority, "reference": submission.reference},
        "emails/authority_submitted.txt",
        {"submission": submission, "link": _link("answers:detail", submission.pk)},
        list(officers),
    )


def clarification_requested(pk: int) -> int:
    submission = _submission(pk)
    return _send(
        _("The NPM asks about your answer %(reference)s") % {"reference": submission.reference},
        "emails/authority_clarification.txt",
        {"submission": submission, "link": _link("authority:submission", submission.pk)},
        _accounts(submission.authority_id),
    )
