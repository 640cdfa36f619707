"""Visit rules that span several models or rows: numbering, status changes, team, interviews,
attachments and follow-up checks. Views, admin and commands all call these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    AccessAction,
    AccessLog,
    Attachment,
    Finding,
    FollowUp,
    Interview,
    InterviewIdentity,
    Place,
    ReprisalRisk,
    TeamMember,
    TeamRole,
    Visit,
    VisitStatus,
    is_partner_only,
)
from .models.visit import LOCAL_ZONE, MEDICAL_CATEGORIES
from .uploads import validate_attachment

# --- Creating and changing the state of a visit -------------------------------------------------


def _locked(visit: Visit) -> Visit:
    return Visit.objects.select_for_update().select_related("place").get(pk=visit.pk)


def _require_transition(visit: Visit, status: str) -> None:
    if not visit.can_become(status):
        raise ValidationError(
            _("A %(current)s visit cannot become %(new)s.")
            % {
                "current": visit.get_status_display().lower(),
                "new": VisitStatus(status).label.lower(),
            },
            code="transition",
        )


@transaction.atomic
def visit_create(
    *,
    place: Place,
    kind: str,
    planned_start: dt.datetime,
    planned_end: dt.datetime,
    announced: bool = False,
    purpose: str = "",
    joint_with: str = "",
    by=None,
) -> Visit:
    """Plan a visit; it gets the next number of its year (V-2026-014)."""
    if planned_end <= planned_start:
        raise ValidationError({"planned_end": _("The end must be after the start.")})
    year = planned_start.astimezone(LOCAL_ZONE).year
    numbers = Visit.objects.select_for_update().filter(year=year).values_list("number", flat=True)
    visit = Visit(
        place=place,
        kind=kind,
        planned_start=planned_start,
        planned_end=planned_end,
        announced=announced,
        purpose=purpose,
        joint_with=joint_with,
        year=year,
        number=max(numbers, default=0) + 1,
        created_by=by,
    )
    visit.full_clean(exclude=["created_by"])
    visit.save()
    return visit


@transaction.atomic
def visit_conduct(*, visit: Visit, actual_start: dt.datetime, actual_end: dt.datetime) -> Visit:
    """Record that the visit took place, with its real times (the night badge follows them)."""
    visit = _locked(visit)
    _require_transition(visit, VisitStatus.CONDUCTED)
    if actual_end <= actual_start:
        raise ValidationError({"actual_end": _("The end must be after the start.")})
    if actual_start > timezone.now():
        raise ValidationError({"actual_start": _("A visit cannot be conducted in the future.")})
    if not visit.team.filter(role=TeamRole.HEAD).exists():
        raise ValidationError(_("Name the head of team before recording the visit as conducted."))
    visit.status = VisitStatus.CONDUCTED
    visit.actual_start, visit.actual_end = actual_start, actual_end
    visit.save(update_fields=["status", "actual_start", "actual_end"])
    return visit


@transaction.atomic
def visit_start_reporting(*, visit: Visit) -> Visit:
    visit = _locked(visit)
    _require_transition(visit, VisitStatus.REPORTING)
    visit.status = VisitStatus.REPORTING
    visit.save(update_fields=["status"])
    return visit


@transaction.atomic
def visit_close(*, visit: Visit) -> Visit:
    visit = _locked(visit)
    _require_transition(visit, VisitStatus.CLOSED)
    visit.status = VisitStatus.CLOSED
    visit.save(update_fields=["status"])
    return visit


@transaction.atomic
def visit_cancel(*, visit: Visit, reason: str) -> Visit:
    visit = _locked(visit)
    _require_transition(visit, VisitStatus.CANCELLED)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for cancelling the visit.")})
    visit.status = VisitStatus.CANCELLED
    visit.cancel_reason = reason
    visit.save(update_fields=["status", "cancel_reason"])
    return visit


def _require_open(visit: Visit) -> None:
    if not visit.is_open:
        raise ValidationError(
            _("The visit is %(status)s: it can no longer be changed.")
            % {"status": visit.get_status_display().lower()}
        )


# --- Team ---------------------------------------------------------------------------------------


@transaction.atomic
def team_member_add(*, visit: Visit, role: str, user=None, member=None) -> TeamMember:
    """Put an NPM user or a partner member on the team; partner members must be eligible on the
    day of the visit (signed pledge, agreement in force covering visits)."""
    from partners.services import member_team_eligibility

    visit = _locked(visit)
    _require_open(visit)
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
def team_member_remove(*, team_member: TeamMember) -> None:
    visit = _locked(team_member.visit)
    _require_open(visit)
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


# --- Findings, interviews, attachments ----------------------------------------------------------


@transaction.atomic
def finding_add(
    *,
    visit: Visit,
    theme,
    kind: str,
    text: str,
    phase: str = "",
    coercive_measures: str = "",
    medical_issues: str = "",
    attachments: Iterable[Attachment] = (),
    by=None,
) -> Finding:
    visit = _locked(visit)
    _require_open(visit)
    if visit.is_forced_return and not phase:
        raise ValidationError({"phase": _("Say in which phase of the return this was seen.")})
    attachments = list(attachments)
    if any(a.visit_id != visit.pk for a in attachments):
        raise ValidationError({"attachments": _("Only attachments of this visit can be linked.")})
    finding = Finding.objects.create(
        visit=visit,
        theme=theme,
        kind=kind,
        text=text.strip(),
        phase=phase,
        coercive_measures=coercive_measures,
        medical_issues=medical_issues,
        created_by=by,
    )
    if attachments:
        finding.attachments.set(attachments)
    return finding


@transaction.atomic
def interview_create(
    *,
    visit: Visit,
    interviewee: str,
    format: str = "individual",  # noqa: A002 - the field's name
    notes: str = "",
    allegation: bool = False,
    consent: str = "none",
    reprisal_risk: str = ReprisalRisk.NONE,
    identity: dict[str, str] | None = None,
    by=None,
) -> Interview:
    """Record an interview under a new pseudonymous code (V-2026-014-I03); identifying data goes
    to the encrypted store; a high reprisal risk opens a follow-up check at the place."""
    visit = _locked(visit)
    _require_open(visit)
    sequence = max(visit.interviews.values_list("sequence", flat=True), default=0) + 1
    interview = Interview.objects.create(
        visit=visit,
        sequence=sequence,
        code=f"{visit.reference}-I{sequence:02d}",
        format=format,
        interviewee=interviewee,
        notes=notes,
        allegation=allegation,
        consent=consent,
        reprisal_risk=reprisal_risk,
        created_by=by,
    )
    identity = {k: (v or "").strip() for k, v in (identity or {}).items()}
    if any(identity.values()):
        InterviewIdentity.objects.create(interview=interview, **identity)
    if reprisal_risk == ReprisalRisk.HIGH:
        FollowUp.objects.create(
            place=visit.place,
            visit=visit,
            interview=interview,
            description=_(
                "High risk of reprisals after interview %(code)s: check on the interviewee's "
                "situation."
            )
            % {"code": interview.code},
        )
    return interview


def identity_reveal(*, interview: Interview, user, ip: str | None) -> InterviewIdentity | None:
    """The identity behind an interview, for those allowed; every attempt is logged."""
    from .access import may_reveal_identity

    allowed = may_reveal_identity(user, interview.visit)
    AccessLog.objects.create(
        user=user,
        action=AccessAction.REVEAL_IDENTITY if allowed else AccessAction.DENIED,
        object_type=InterviewIdentity._meta.label,
        object_id=interview.code,
        visit=interview.visit,
        ip=ip,
    )
    if not allowed:
        raise PermissionDenied
    return InterviewIdentity.objects.filter(interview=interview).first()


@transaction.atomic
def attachment_add(*, visit: Visit, upload, title: str, confidential: bool, by=None) -> Attachment:
    visit = _locked(visit)
    _require_open(visit)
    content_type = validate_attachment(upload)
    attachment = Attachment(
        visit=visit,
        title=title.strip() or upload.name,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        confidential=confidential,
        uploaded_by=by,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


# --- Follow-up checks ---------------------------------------------------------------------------


@transaction.atomic
def follow_up_record_check(*, follow_up: FollowUp, note: str, by) -> FollowUp:
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if not follow_up.is_open:
        raise ValidationError(_("This check has already been recorded."))
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say what the check found.")})
    follow_up.checked_at = timezone.now()
    follow_up.checked_by = by
    follow_up.check_note = note
    follow_up.save(update_fields=["checked_at", "checked_by", "check_note"])
    return follow_up


def visit_stats(user) -> dict:
    """Figures for the dashboard, over the visits `user` may see."""
    visits = Visit.objects.visible_to(user)
    year = timezone.localdate().year
    this_year = visits.filter(year=year).aggregate(
        total=Count("pk"),
        night=Count("pk", filter=Q(night=True)),
        unannounced=Count("pk", filter=Q(announced=False)),
    )
    by_status = dict(visits.values_list("status").annotate(n=Count("pk")))
    return {
        "year": year,
        "this_year": this_year,
        "by_status": [
            (value, label, by_status.get(value, 0)) for value, label in VisitStatus.choices
        ],
        "upcoming": visits.upcoming().count(),
        "night_total": visits.filter(night=True).count(),
        "partner_only": is_partner_only(user),
    }
