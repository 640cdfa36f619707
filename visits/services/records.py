"""A visit's records: findings, confidential interviews (and revealing who was interviewed),
attachments, the forced-return operation and follow-up checks for reprisals."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.uploads import validate_attachment

from .. import audit
from ..access import may_reveal_identity
from ..models import (
    AccessAction,
    Attachment,
    Finding,
    FollowUp,
    Interview,
    InterviewIdentity,
    ReprisalRisk,
    ReturnOperation,
    Visit,
)
from .visits import lock_visit, require_open, require_writer


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
    require_writer(by)
    visit = lock_visit(visit)
    require_open(visit)
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
    require_writer(by)
    visit = lock_visit(visit)
    require_open(visit)
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
    allowed = may_reveal_identity(user, interview.visit)
    audit.record(
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
    require_writer(by)
    visit = lock_visit(visit)
    require_open(visit)
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


# --- Forced return and follow-up checks ---------------------------------------------------------


@transaction.atomic
def return_operation_save(*, visit: Visit, operation: ReturnOperation, by=None) -> ReturnOperation:
    """The forced-return operation a monitoring visit observed (one per visit)."""
    require_writer(by)
    visit = lock_visit(visit)
    require_open(visit)
    if not visit.is_forced_return:
        raise ValidationError(_("Only a forced-return monitoring visit has a return operation."))
    operation.visit = visit
    operation.save()
    return operation


@transaction.atomic
def follow_up_record_check(*, follow_up: FollowUp, note: str, by) -> FollowUp:
    require_writer(by)
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
