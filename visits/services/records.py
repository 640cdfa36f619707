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
from ..models.confidential import reprisal_check_text
from .visits import clean_reason, lock_visit, require_open, require_writer


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
    # Over the history too: a deleted interview's code is never given to another one (the
    # access log cites codes); rows loaded in bulk have no history, hence both.
    used = [
        *visit.interviews.values_list("sequence", flat=True),
        *Interview.history.filter(visit_id=visit.pk).values_list("sequence", flat=True),
    ]
    sequence = max(used, default=0) + 1
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
        _open_reprisal_check(interview)
    return interview


# --- Corrections: editing and deleting findings and interviews ----------------------------------


def require_correctable(visit: Visit) -> None:
    """Findings and interviews may be corrected while the visit is open and its report is not
    issued: an issued report was written from them."""
    require_open(visit)
    if visit.report_is_issued:
        raise ValidationError(
            _("The visit's report is issued: its findings and interviews can no longer change.")
        )


def _locked_record(model, record):
    """The record, locked, with its visit locked first (the order every writer takes)."""
    visit = lock_visit(record.visit)
    require_correctable(visit)
    record = model.objects.select_for_update().get(pk=record.pk)
    record.visit = visit
    return record


@transaction.atomic
def finding_update(*, finding: Finding, reason: str, by=None, **fields) -> Finding:
    """Correct a finding; the reason is kept in its history beside the old text."""
    require_writer(by)
    finding = _locked_record(Finding, finding)
    reason = clean_reason(reason, _("Say why the finding is changed."))
    visit = finding.visit
    if visit.is_forced_return and not fields.get("phase", finding.phase):
        raise ValidationError({"phase": _("Say in which phase of the return this was seen.")})
    attachments = fields.pop("attachments", None)
    if attachments is not None:
        attachments = list(attachments)
        if any(a.visit_id != visit.pk for a in attachments):
            raise ValidationError(
                {"attachments": _("Only attachments of this visit can be linked.")}
            )
    for name, value in fields.items():
        setattr(finding, name, value.strip() if name == "text" else value)
    finding._change_reason = reason
    finding.save()
    if attachments is not None:
        finding.attachments.set(attachments)
    return finding


@transaction.atomic
def finding_delete(*, finding: Finding, reason: str, by=None) -> None:
    """Delete a finding; its history keeps the text and the reason."""
    require_writer(by)
    finding = _locked_record(Finding, finding)
    finding._change_reason = clean_reason(reason, _("Say why the finding is deleted."))
    finding.delete()


@transaction.atomic
def interview_update(*, interview: Interview, reason: str, by=None, **fields) -> Interview:
    """Correct an interview's record (not its identity); a risk raised to high opens the
    follow-up check at the place, as recording it would have."""
    require_writer(by)
    interview = _locked_record(Interview, interview)
    reason = clean_reason(reason, _("Say why the interview record is changed."))
    for name, value in fields.items():
        setattr(interview, name, value)
    interview._change_reason = reason
    interview.save()
    if (
        interview.reprisal_risk == ReprisalRisk.HIGH
        and not FollowUp.objects.open().filter(interview=interview).exists()
    ):
        _open_reprisal_check(interview)
    return interview


@transaction.atomic
def interview_delete(*, interview: Interview, reason: str, by=None) -> None:
    """Delete an interview and its identity; its (encrypted) history keeps the record and the
    reason. One with a reprisal follow-up check is kept: the check protects the person."""
    require_writer(by)
    interview = _locked_record(Interview, interview)
    reason = clean_reason(reason, _("Say why the interview is deleted."))
    if FollowUp.objects.filter(interview=interview).exists():
        raise ValidationError(
            _(
                "Interview %(code)s has a follow-up check for reprisals: it cannot be deleted. "
                "Correct it instead."
            )
            % {"code": interview.code}
        )
    InterviewIdentity.objects.filter(interview=interview).delete()
    interview._change_reason = reason
    interview.delete()


def _open_reprisal_check(interview: Interview) -> FollowUp:
    return FollowUp.objects.create(
        place=interview.visit.place,
        visit=interview.visit,
        interview=interview,
        # Stored for the admin; pages show FollowUp.text, in the reader's language.
        description=reprisal_check_text(interview.code),
    )


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
