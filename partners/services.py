"""Partner rules that span several models, send e-mail or touch accounts."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import NPM_GROUPS, PARTNER_GROUP, STAFF_GROUPS

from . import access
from .models import (
    Agreement,
    Application,
    Member,
    Organisation,
    PublicCall,
    expiry_window_days,
)

# --- Team eligibility (called by the visits app when a team is put together) --------------------


def member_team_eligibility(*, member: Member, on_date: datetime.date) -> list[str]:
    """Why `member` cannot be on a visit team on `on_date`: one message per failing condition.

    An empty list means the member is eligible.
    """
    reasons: list[str] = []
    params = {"name": member.full_name, "date": on_date.isoformat()}
    if not member.active:
        reasons.append(_("%(name)s is not an active member.") % params)
    if member.pledge_signed_on is None:
        reasons.append(_("%(name)s has not signed the confidentiality pledge.") % params)
    elif member.pledge_signed_on > on_date:
        reasons.append(
            _("%(name)s signed the confidentiality pledge only on %(signed)s, after %(date)s.")
            % {**params, "signed": member.pledge_signed_on.isoformat()}
        )
    organisation = member.organisation
    in_force = Agreement.objects.filter(organisation=organisation).active_on(on_date)
    org_params = {"organisation": organisation.label, "date": on_date.isoformat()}
    if not in_force.exists():
        reasons.append(
            _("%(organisation)s has no cooperation agreement in force on %(date)s.") % org_params
        )
    elif not in_force.covering_visits().exists():
        reasons.append(
            _("The agreement of %(organisation)s in force on %(date)s does not cover visits.")
            % org_params
        )
    return reasons


def member_check_team_eligibility(*, member: Member, on_date: datetime.date) -> None:
    reasons = member_team_eligibility(member=member, on_date=on_date)
    if reasons:
        raise ValidationError(reasons)


# --- Visit participation (the relation arrives with the visits app) ----------------------------


def members_participation(*, member_pks: list[int]) -> dict[int, list]:
    """The visit teams of these members (as `Member.participation`), in one query, not one per
    member. The relation comes from the visits app, which partners does not import."""
    if not member_pks:
        return {}
    try:
        relation = Member._meta.get_field("team_memberships")
    except FieldDoesNotExist:
        return dict.fromkeys(member_pks, [])
    rows = (
        relation.related_model.objects.filter(**{f"{relation.field.name}__in": member_pks})
        .select_related("visit__place")
        .order_by("-pk")
    )
    participation: dict[int, list] = {pk: [] for pk in member_pks}
    for row in rows:
        participation[getattr(row, relation.field.attname)].append(row)
    return participation


# --- Public call decision -----------------------------------------------------------------------


@transaction.atomic
def call_record_decision(
    *,
    call: PublicCall,
    number: str,
    decided_on: datetime.date,
    selected: Iterable[Application],
    by=None,
) -> PublicCall:
    """Record the selection decision: the chosen applications become selected, all others of the
    call not selected, in one step. `by` (a user) must be allowed to decide; None is the system
    (the demo loader)."""
    if by is not None:
        access.check_can_decide(by)
    call = PublicCall.objects.select_for_update().get(pk=call.pk)
    number = number.strip()
    errors: dict[str, str] = {}
    if not number:
        errors["number"] = _("Give the number of the decision.")
    if decided_on < call.application_deadline:
        errors["decided_on"] = _("The decision cannot be taken before the application deadline.")
    selected_ids = {application.pk for application in selected}
    applications = list(
        call.applications.select_related("organisation").select_for_update(of=("self",))
    )
    if selected_ids - {application.pk for application in applications}:
        errors["selected"] = _("Only applications to this call can be selected.")
    else:
        last_day = min(call.application_deadline, timezone.localdate())
        late = [a for a in applications if a.pk in selected_ids and a.received_on > last_day]
        if late:
            errors["selected"] = _(
                "Received after the deadline or dated in the future, so it cannot be selected: "
                "%(names)s."
            ) % {"names": ", ".join(str(a.organisation.label) for a in late)}
    if errors:
        raise ValidationError(errors)

    for application in applications:
        outcome = (
            Application.Outcome.SELECTED
            if application.pk in selected_ids
            else Application.Outcome.NOT_SELECTED
        )
        if application.outcome != outcome:
            application.outcome = outcome
            application.save(update_fields=["outcome"])
    call.decision_number = number
    call.decision_date = decided_on
    call.save(update_fields=["decision_number", "decision_date", "updated_at"])
    return call


# --- Members ------------------------------------------------------------------------------------

DUPLICATE_WINDOW = datetime.timedelta(seconds=60)


def member_recent_duplicate(*, organisation_id: int, first_name: str, last_name: str):
    """The member of this organisation with the same name created within the last minute, if
    any: a second identical "Add" that soon is a repeated submit (a double click, a resent form),
    not a namesake. Locks the organisation row, so two such requests are handled one after the
    other (on PostgreSQL) and the second finds the first."""
    Organisation.objects.select_for_update().filter(pk=organisation_id).first()
    return (
        Member.objects.filter(
            organisation_id=organisation_id,
            first_name__iexact=first_name.strip(),
            last_name__iexact=last_name.strip(),
            created_at__gte=timezone.now() - DUPLICATE_WINDOW,
        )
        .order_by("pk")
        .first()
    )


# --- Member login accounts ----------------------------------------------------------------------


@transaction.atomic
def member_link_user(*, member: Member, user, group_name: str = PARTNER_GROUP) -> Member:
    """Attach a login account to a member and give it the partner role (or detach with None)."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if user is not None:
        if (
            not user.is_active
            or user.is_superuser
            or user.groups.filter(name__in=NPM_GROUPS).exists()
        ):
            raise ValidationError(
                {
                    "user": _(
                        "%(user)s cannot be a partner member's login: it is inactive, an "
                        "administrator or has an NPM role."
                    )
                    % {"user": user.get_username()}
                }
            )
        taken = Member.objects.filter(user=user).exclude(pk=member.pk).first()
        if taken is not None:
            raise ValidationError(
                {"user": _("This account already belongs to %(name)s.") % {"name": taken}}
            )
        group, _created = Group.objects.get_or_create(name=group_name)
        user.groups.add(group)
    if member.user_id != (user.pk if user else None):
        member.user = user
        member.save(update_fields=["user", "updated_at"])
    return member


# --- Reminders ----------------------------------------------------------------------------------


def reminder_recipients() -> list[str]:
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=STAFF_GROUPS)
        .exclude(email="")
        .distinct()
        .order_by("email")
    )
    return list(users.values_list("email", flat=True).distinct())


def agreement_expiry_reminders_send(*, today: datetime.date | None = None) -> int:
    """E-mail NPM staff and head one digest of the agreements expiring within the window.

    Returns the number of e-mails sent (0 or 1).
    """
    today = today or timezone.localdate()
    days = expiry_window_days()
    agreements = list(
        Agreement.objects.expiring_within(days, today=today)
        .select_related("organisation")
        .order_by("valid_until", "organisation__name")
    )
    recipients = reminder_recipients()
    if not agreements or not recipients:
        return 0
    rows = [
        {
            "agreement": agreement,
            "last_day": agreement.last_day,
            "days_left": (agreement.last_day - today).days,
        }
        for agreement in agreements
    ]
    context = {"rows": rows, "days": days, "today": today}
    subject = _("%(count)d partner agreement(s) expiring within %(days)d days") % {
        "count": len(rows),
        "days": days,
    }
    body = render_to_string("partners/email/agreement_expiry.txt", context)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
