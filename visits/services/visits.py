"""Visits: numbering, planning, status changes and the dashboard's figures."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import is_partner_only

from .. import signals
from ..access import can_issue_reports, can_write_visit, deny_unless
from ..models import Place, TeamRole, Visit, VisitStatus
from ..models.visit import LOCAL_ZONE


def lock_visit(visit: Visit) -> Visit:
    return Visit.objects.select_for_update().select_related("place").get(pk=visit.pk)


def require_open(visit: Visit) -> None:
    """Team, findings, interviews and attachments change only while the visit is open."""
    if not visit.is_open:
        raise ValidationError(
            _("The visit is %(status)s: it can no longer be changed.")
            % {"status": visit.get_status_display().lower()}
        )


def require_writer(by) -> None:
    """`by` may change visits (None: the system itself, e.g. a command or the demo)."""
    deny_unless(by is None or can_write_visit(by))


def _require_transition(visit: Visit, status: str, *, source: str | None = None) -> None:
    """`source`: the one status this change starts from (closed → reporting is a reopening,
    not "start reporting")."""
    if not visit.can_become(status) or source not in (None, visit.status):
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
    deny_unless(by is None or by.has_perm("visits.add_visit"))
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
    signals.visit_planned.send(sender=Visit, visit=visit)
    return visit


@transaction.atomic
def visit_conduct(
    *, visit: Visit, actual_start: dt.datetime, actual_end: dt.datetime, by=None
) -> Visit:
    """Record that the visit took place, with its real times (the night badge follows them)."""
    require_writer(by)
    visit = lock_visit(visit)
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
def visit_start_reporting(*, visit: Visit, by=None) -> Visit:
    require_writer(by)
    visit = lock_visit(visit)
    _require_transition(visit, VisitStatus.REPORTING, source=VisitStatus.CONDUCTED)
    visit.status = VisitStatus.REPORTING
    visit.save(update_fields=["status"])
    return visit


def close_refusal(visit: Visit) -> str:
    """Why the visit cannot be closed yet ("" when it can): its report must be issued first."""
    if visit.report_is_issued:
        return ""
    return _(
        "Issue the visit's report before closing the visit: a closed visit can no longer be "
        "changed."
    )


@transaction.atomic
def visit_close(*, visit: Visit, by=None) -> Visit:
    require_writer(by)
    visit = lock_visit(visit)
    _require_transition(visit, VisitStatus.CLOSED)
    if refusal := close_refusal(visit):
        raise ValidationError(refusal, code="report_not_issued")
    visit.status = VisitStatus.CLOSED
    visit.save(update_fields=["status"])
    return visit


# simple-history's change-reason column holds 100 characters.
REASON_MAX_LENGTH = 100


def clean_reason(reason: str, message: str) -> str:
    """A required reason for a change that leaves history (stored as its change reason)."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": message})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason under %(n)d characters.") % {"n": REASON_MAX_LENGTH}}
        )
    return reason


@transaction.atomic
def visit_reopen(*, visit: Visit, reason: str, by=None) -> Visit:
    """The NPM head reopens a closed visit (back to reporting); the reason stays in its history."""
    deny_unless(by is None or (can_write_visit(by) and can_issue_reports(by)))
    visit = lock_visit(visit)
    _require_transition(visit, VisitStatus.REPORTING, source=VisitStatus.CLOSED)
    reason = clean_reason(reason, _("Give the reason for reopening the visit."))
    visit.status = VisitStatus.REPORTING
    visit._change_reason = reason
    visit.save(update_fields=["status"])
    return visit


@transaction.atomic
def visit_cancel(*, visit: Visit, reason: str, by=None) -> Visit:
    require_writer(by)
    visit = lock_visit(visit)
    _require_transition(visit, VisitStatus.CANCELLED)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for cancelling the visit.")})
    visit.status = VisitStatus.CANCELLED
    visit.cancel_reason = reason
    visit.save(update_fields=["status", "cancel_reason"])
    return visit


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
