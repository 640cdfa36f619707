"""Every change in the authority portal: the answer workflow and the NPM's review.

The workflow: `submission_start` (a focal point or alternate opens a draft for one report) →
`answer_save` / `answer_remove` / `evidence_add` / `evidence_remove` while it is a draft →
`submission_send` (to the validating authority) → `submission_return` (back to the drafter, with
a comment) or `submission_sign_off` (the validating authority signs off and submits: the
submission gets its reference and forms the `AuthorityResponse` letter through
`recommendations.services.response_record`, exactly as a letter typed in by compliance). On the
NPM side, `submission_accept` or `submission_request_clarification`; the authority answers a
question, or corrects itself, with a new submission that `replies_to` the earlier one.

Every service takes `by` (the acting user) and checks it with `access`; state changes lock the
submission row and bump its `version` (a stale `version` is a `SubmissionConflict`). The
notification mails are sent once the transaction commits (`notifications`).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.uploads import validate_attachment
from recommendations import services as recommendation_services
from recommendations.models import STATED_STATUSES, Recommendation, Status

from . import access, notifications
from .models import (
    Answer,
    AuthorityAccount,
    Evidence,
    Position,
    ReviewState,
    Submission,
    SubmissionState,
)

# What a position allows as the state of implementation.
NOT_ACCEPTED_STATUSES = {Status.REJECTED, Status.NO_LONGER_APPLICABLE}
# A promised completion date is needed when work is still to be done.
PROMISE_REQUIRED = {Status.IN_PROGRESS, Status.PARTIALLY_IMPLEMENTED}


class SubmissionConflict(ValidationError):
    """The submission changed since the user opened it (someone else saved, sent or signed)."""

    def __init__(self, submission: Submission):
        self.submission = submission
        super().__init__(
            _(
                "Someone else changed this answer in the meantime (now version %(version)s): "
                "nothing was saved. Reload the page to see their changes."
            )
            % {"version": submission.version},
            code="conflict",
        )


def _lock(submission: Submission, expected_version: int | None = None) -> Submission:
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if expected_version is not None and locked.version != expected_version:
        raise SubmissionConflict(locked)
    return locked


def _bump(submission: Submission, by, fields: list[str]) -> None:
    # The caller holds the row lock (`_lock`): a plain increment is safe.
    submission.version += 1
    if by is not None:
        submission._history_user = by
    submission.save(update_fields=[*fields, "version"])


def _account(by) -> AuthorityAccount:
    account = access.account_for(by)
    if account is None:
        raise PermissionDenied
    return account


# --- Drafting -----------------------------------------------------------------------------------


@transaction.atomic
def submission_start(*, visit, by, replies_to: Submission | None = None) -> Submission:
    """The open draft of `by`'s authority for `visit`'s report (a new one if there is none).
    `replies_to`: the earlier submission this one corrects or answers the NPM's question on."""
    account = _account(by)
    access.deny_unless(access.may_start(account))
    if not access.answerable_recommendations(account, visit).exists():
        raise ValidationError(
            _("Nothing of this report is open for %(authority)s to answer.")
            % {"authority": account.authority}
        )
    if replies_to is not None and (
        replies_to.authority_id != account.authority_id
        or replies_to.visit_id != visit.pk
        or not replies_to.is_submitted
    ):
        raise ValidationError(_("Only a submitted answer of your authority can be followed up."))
    existing = Submission.objects.open().filter(authority=account.authority, visit=visit).first()
    if existing is not None:
        return existing
    submission = Submission(
        authority=account.authority, visit=visit, replies_to=replies_to, created_by=by
    )
    submission._history_user = by
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError:
        # Two starts at once: the other one won.
        return Submission.objects.open().get(authority=account.authority, visit=visit)
    if replies_to is not None:
        # Start from what was said: the drafter changes what needs changing.
        for earlier in replies_to.answers.all():
            if (
                access.answerable_recommendations(account, visit)
                .filter(pk=earlier.recommendation_id)
                .exists()
            ):
                Answer.objects.create(
                    submission=submission,
                    recommendation_id=earlier.recommendation_id,
                    position=earlier.position,
                    stated_status=earlier.stated_status,
                    measures=earlier.measures,
                    promised_by=earlier.promised_by,
                    updated_by=by,
                )
    return submission


def answer_errors(
    *, position: str, stated_status: str, measures: str, promised_by: dt.date | None
) -> dict[str, str]:
    """The rules of one answer, field by field (the form shows them next to the fields)."""
    errors: dict[str, str] = {}
    if position not in Position.values:
        errors["position"] = _("Say whether the authority accepts the recommendation.")
    if stated_status not in STATED_STATUSES:
        errors["stated_status"] = _("Say how far the recommendation is implemented.")
    elif position == Position.NOT_ACCEPTED and stated_status not in NOT_ACCEPTED_STATUSES:
        errors["stated_status"] = _(
            "A recommendation that is not accepted is rejected or no longer applicable."
        )
    elif position in (Position.ACCEPTED, Position.PARTLY) and stated_status == Status.REJECTED:
        errors["stated_status"] = _(
            "An accepted recommendation cannot be rejected: choose “Not accepted” instead."
        )
    if not (measures or "").strip():
        errors["measures"] = _(
            "Describe the measures taken or planned (or why the recommendation is not accepted)."
        )
    if promised_by is None and stated_status in PROMISE_REQUIRED:
        errors["promised_by"] = _("Give the date by which the work will be completed.")
    elif promised_by is not None and promised_by < timezone.localdate():
        errors["promised_by"] = _("A promised completion date cannot be in the past.")
    elif promised_by is not None and stated_status == Status.IMPLEMENTED:
        errors["promised_by"] = _("An implemented recommendation needs no completion date.")
    return errors


@transaction.atomic
def answer_save(
    *,
    submission: Submission,
    recommendation: Recommendation,
    position: str,
    stated_status: str,
    measures: str,
    promised_by: dt.date | None = None,
    version: int | None = None,
    by,
) -> Answer:
    """Create or change the answer to `recommendation` in a draft."""
    account = _account(by)
    submission = _lock(submission, version)
    access.deny_unless(access.may_draft(account, submission))
    if (
        not access.answerable_recommendations(account, submission.visit)
        .filter(pk=recommendation.pk)
        .exists()
    ):
        raise ValidationError(
            _("Recommendation %(reference)s is not open for your authority to answer.")
            % {"reference": recommendation.reference}
        )
    errors = answer_errors(
        position=position, stated_status=stated_status, measures=measures, promised_by=promised_by
    )
    if errors:
        raise ValidationError(errors)
    answer = Answer.objects.filter(submission=submission, recommendation=recommendation).first()
    if answer is None:
        answer = Answer(submission=submission, recommendation=recommendation)
    answer.position = position
    answer.stated_status = stated_status
    answer.measures = measures.strip()
    answer.promised_by = promised_by
    answer.updated_by = by
    answer._history_user = by
    answer.save()
    _bump(submission, by, [])
    return answer


@transaction.atomic
def answer_remove(
    *, submission: Submission, answer: Answer, version: int | None = None, by
) -> None:
    account = _account(by)
    submission = _lock(submission, version)
    access.deny_unless(
        access.may_draft(account, submission) and answer.submission_id == submission.pk
    )
    answer._history_user = by
    for evidence in answer.evidence.all():
        evidence.file.delete(save=False)
    answer.delete()
    _bump(submission, by, [])


@transaction.atomic
def evidence_add(*, answer: Answer, upload, by) -> Evidence:
    """A file in support of an answer: type by content, size, like every upload."""
    account = _account(by)
    submission = _lock(answer.submission)
    access.deny_unless(
        access.may_draft(account, submission) and answer.submission_id == submission.pk
    )
    try:
        content_type = validate_attachment(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    evidence = Evidence(
        answer=answer,
        original_name=(upload.name or "evidence")[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    evidence.file.save(upload.name or "evidence", upload, save=False)
    evidence.save()
    _bump(submission, by, [])
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by) -> None:
    account = _account(by)
    submission = _lock(evidence.answer.submission)
    access.deny_unless(access.may_draft(account, submission))
    evidence.file.delete(save=False)
    evidence.delete()
    _bump(submission, by, [])


# --- Sign-off -----------------------------------------------------------------------------------


@transaction.atomic
def submission_send(*, submission: Submission, version: int | None = None, by) -> Submission:
    """The drafter sends the draft to the validating authority."""
    account = _account(by)
    submission = _lock(submission, version)
    access.deny_unless(access.may_draft(account, submission))
    if not submission.answers.exists():
        raise ValidationError(_("Answer at least one recommendation before sending."))
    if (
        not AuthorityAccount.objects.active()
        .filter(authority_id=submission.authority_id, function=AuthorityAccount.Function.VALIDATOR)
        .exclude(user=by)
        .exists()
    ):
        raise ValidationError(
            _(
                "%(authority)s has no validating authority in this portal to sign the answer "
                "off: ask the NPM to add one."
            )
            % {"authority": submission.authority}
        )
    submission.state = SubmissionState.AWAITING_SIGNOFF
    submission.sent_by = by
    submission.sent_at = timezone.now()
    _bump(submission, by, ["state", "sent_by", "sent_at"])
    notifications.on_commit(notifications.sent_for_signoff, submission.pk)
    return submission


@transaction.atomic
def submission_return(
    *, submission: Submission, comment: str, version: int | None = None, by
) -> Submission:
    """The validating authority sends the draft back to the focal point, saying why."""
    account = _account(by)
    submission = _lock(submission, version)
    access.deny_unless(access.may_sign_off(account, submission))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what needs to change.")})
    submission.state = SubmissionState.DRAFT
    submission.returned_comment = comment
    _bump(submission, by, ["state", "returned_comment"])
    notifications.on_commit(notifications.returned, submission.pk)
    return submission


def next_reference(today: dt.date) -> str:
    """ "ANS-2026-0007": the year's next number (the caller holds the submission's lock; the
    unique constraint catches a race)."""
    prefix = f"ANS-{today.year}-"
    last = (
        Submission.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


@transaction.atomic
def submission_sign_off(*, submission: Submission, version: int | None = None, by) -> Submission:
    """The validating authority signs off: the submission is submitted and forms the letter,
    with one item per answer (through `response_record`, as if compliance had typed it in).
    Irreversible: the submission and its answers are immutable from here on."""
    account = _account(by)
    submission = _lock(submission, version)
    access.deny_unless(access.may_sign_off(account, submission))
    answers = list(submission.answers.select_related("recommendation__visit__report"))
    if not answers:
        raise ValidationError(_("There is nothing to sign off: no recommendation is answered."))
    for answer in answers:
        errors = answer_errors(
            position=answer.position,
            stated_status=answer.stated_status,
            measures=answer.measures,
            promised_by=answer.promised_by,
        )
        if errors:
            raise ValidationError(
                _("The answer to recommendation %(reference)s needs correcting: %(errors)s")
                % {
                    "reference": answer.recommendation.reference,
                    "errors": " ".join(errors.values()),
                }
            )
    today = timezone.localdate()
    reference = next_reference(today)
    letter = recommendation_services.response_record(
        visit=submission.visit,
        authority=submission.authority,
        received_on=today,
        reference=reference,
        items=[
            {
                "recommendation": answer.recommendation,
                "stated_status": answer.stated_status,
                "explanation": answer.measures,
                "promised_by": answer.promised_by,
            }
            for answer in answers
        ],
        by=None,
        recorded_by=by,
    )
    submission.state = SubmissionState.SUBMITTED
    submission.reference = reference
    submission.signed_off_by = by
    submission.submitted_at = timezone.now()
    submission.letter = letter
    submission.review = ReviewState.PENDING
    _bump(
        submission,
        by,
        ["state", "reference", "signed_off_by", "submitted_at", "letter", "review"],
    )
    notifications.on_commit(notifications.submitted, submission.pk)
    return submission


# --- The NPM's review ---------------------------------------------------------------------------


@transaction.atomic
def submission_accept(*, submission: Submission, by) -> Submission:
    """Compliance accepts the submission as the authority's response (it then assesses it)."""
    access.deny_unless(access.can_review_submissions(by))
    submission = _lock(submission)
    if not submission.is_submitted:
        raise ValidationError(_("Only a submitted answer can be accepted."))
    if submission.review == ReviewState.ACCEPTED:
        return submission
    submission.review = ReviewState.ACCEPTED
    submission.reviewed_by = by
    submission.reviewed_at = timezone.now()
    submission._history_user = by
    submission.save(update_fields=["review", "reviewed_by", "reviewed_at"])
    return submission


@transaction.atomic
def submission_request_clarification(*, submission: Submission, question: str, by) -> Submission:
    """Compliance asks the authority a question about the submission; the authority's users see
    it and answer with a new submission (`submission_start(replies_to=...)`)."""
    access.deny_unless(access.can_review_submissions(by))
    submission = _lock(submission)
    if not submission.is_submitted:
        raise ValidationError(_("Only a submitted answer can be questioned."))
    question = (question or "").strip()
    if not question:
        raise ValidationError({"question": _("Write the question for the authority.")})
    submission.review = ReviewState.CLARIFICATION
    submission.clarification_question = question
    submission.reviewed_by = by
    submission.reviewed_at = timezone.now()
    submission._history_user = by
    submission.save(
        update_fields=["review", "clarification_question", "reviewed_by", "reviewed_at"]
    )
    notifications.on_commit(notifications.clarification_requested, submission.pk)
    return submission
