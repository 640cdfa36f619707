"""The visit team: who is on it, and what to reconsider about it."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from partners.services import member_team_eligibility

from ..models import TeamMember, TeamRole, Visit, VisitStatus
from ..models.visit import LOCAL_ZONE, MEDICAL_CATEGORIES
from .visits import lock_visit, require_open, require_writer


def npm_team_users() -> QuerySet:
    """NPM users who may be on a team as staff: whoever may change visits (staff and head)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__permissions__codename="change_visit",
            groups__permissions__content_type__app_label="visits",
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def team_candidates(*, visit: Visit) -> tuple[QuerySet, QuerySet]:
    """Whom the team form offers: NPM users who may change visits, and partner members eligible
    on the day of the visit (the rules of `team_member_add`), in both cases not yet on the team."""
    from partners.models import Member

    users = npm_team_users().exclude(pk__in=visit.team.filter(user__isnull=False).values("user"))
    on_date = visit.planned_start.astimezone(LOCAL_ZONE).date()
    members = (
        Member.objects.eligible_for_team_on(on_date)
        .exclude(pk__in=visit.team.filter(member__isnull=False).values("member"))
        .select_related("organisation")
        .order_by("last_name", "first_name", "pk")
    )
    return users, members


@transaction.atomic
def team_member_add(*, visit: Visit, role: str, user=None, member=None, by=None) -> TeamMember:
    """Put an NPM user or a partner member on the team; partner members must be eligible on the
    day of the visit (signed pledge, agreement in force covering visits)."""
    require_writer(by)
    visit = lock_visit(visit)
    require_open(visit)
    if (user is None) == (member is None):
        raise ValidationError(_("Choose either an NPM staff member or a partner member."))
    if role == TeamRole.HEAD and visit.team.filter(role=TeamRole.HEAD).exists():
        raise ValidationError({"role": _("The team already has a head; a team has exactly one.")})
    if user is not None and visit.team.filter(user=user).exists():
        raise ValidationError({"user": _("%(name)s is already on the team.") % {"name": user}})
    if member is not None:
        if visit.team.filter(member=member).exists():
            raise ValidationError(
                {"member": _("%(name)s is already on the team.") % {"name": member}}
            )
        reasons = member_team_eligibility(
            member=member, on_date=visit.planned_start.astimezone(LOCAL_ZONE).date()
        )
        if reasons:
            raise ValidationError({"member": reasons})
    return TeamMember.objects.create(visit=visit, role=role, user=user, member=member)


@transaction.atomic
def team_member_remove(*, team_member: TeamMember, by=None) -> None:
    require_writer(by)
    visit = lock_visit(team_member.visit)
    require_open(visit)
    if visit.status != VisitStatus.PLANNED and team_member.role == TeamRole.HEAD:
        raise ValidationError(_("The head of team of a conducted visit cannot be removed."))
    team_member.delete()


def visit_team_warnings(*, visit: Visit, team: Iterable[TeamMember] | None = None) -> list[str]:
    """Things to reconsider about the team; they warn, they do not block."""
    team = list(visit.team.select_related("user", "member") if team is None else team)
    warnings = []
    if not any(m.role == TeamRole.HEAD for m in team):
        warnings.append(_("The team has no head of team yet."))
    if visit.place.holds_women and not any(m.gender == "female" for m in team):
        warnings.append(_("This place holds women, and the team has no woman."))
    if visit.place.category in MEDICAL_CATEGORIES and not any(
        m.role == TeamRole.MEDICAL for m in team
    ):
        warnings.append(
            _("A visit to a psychiatric or social care institution should have a medical expert.")
        )
    return warnings
