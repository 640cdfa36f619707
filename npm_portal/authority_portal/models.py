"""Authority accounts, submissions with their answers and evidence, escalations.

A submission is one authority's answer to recommendations of one issued report: drafted by a
focal point (or the alternate), sent for sign-off, signed off by the validating authority, which
submits it. Submitting forms an `AuthorityResponse` letter with one `ResponseItem` per answer,
exactly as if a compliance officer had typed the letter in (`services.submission_sign_off`), so
the timeline, due dates, overdue logic and dashboard do not know the difference. A submitted
submission and its answers and evidence are immutable (`save` and `delete` refuse, the services
check first); a correction, or the answer to the NPM's question, is a new submission that
`replies_to` the earlier one.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from recommendations.models import STATED_STATUSES


class AuthorityFunction(models.TextChoices):
    FOCAL_POINT = "focal_point", _("Focal point")
    ALTERNATE = "alternate", _("Alternate focal point")
    VALIDATOR = "validator", _("Validating authority")


# Who drafts answers; who signs them off (never the same person for one submission).
DRAFTING_FUNCTIONS = {AuthorityFunction.FOCAL_POINT, AuthorityFunction.ALTERNATE}
SIGNING_FUNCTIONS = {AuthorityFunction.VALIDATOR}


class AuthorityAccountQuerySet(models.QuerySet):
    def active(self):
        return self.filter(deactivated_at__isnull=True, user__is_active=True)


class AuthorityAccount(models.Model):
    """A login of a person of one authority node: they see that node and the nodes below it."""

    Function = AuthorityFunction

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="authority_account",
    )
    authority = models.ForeignKey(
        "visits.Authority",
        verbose_name=_("authority"),
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    function = models.CharField(_("function"), max_length=20, choices=AuthorityFunction.choices)
    # The position held, as the authority gives it ("Head of the legal department").
    position = models.CharField(_("position"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True, editable=False)
    deactivated_at = models.DateTimeField(
        _("deactivated at"), null=True, blank=True, editable=False
    )
    deactivated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    history = HistoricalRecords()

    objects = AuthorityAccountQuerySet.as_manager()

    class Meta:
        ordering = ["authority__name", "function", "user__last_name", "user__first_name"]
        verbose_name = _("authority account")
        verbose_name_plural = _("authority accounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(function__in=AuthorityFunction.values),
                name="authority_account_function_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_function_display()}, {self.authority})"

    @property
    def is_active(self) -> bool:
        return self.deactivated_at is None and self.user.is_active

    @property
    def may_draft(self) -> bool:
        return self.function in DRAFTING_FUNCTIONS

    @property
    def may_sign_off(self) -> bool:
        return self.function in SIGNING_FUNCTIONS


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_SIGNOFF = "awaiting_signoff", _("Awaiting sign-off")
    SUBMITTED = "submitted", _("Submitted")


OPEN_SUBMISSION_STATES = [SubmissionState.DRAFT, SubmissionState.AWAITING_SIGNOFF]


class ReviewState(models.TextChoices):
    """The NPM's side of a submitted submission."""

    PENDING = "pending", _("Awaiting the NPM")
    ACCEPTED = "accepted", _("Accepted as received")
    CLARIFICATION = "clarification", _("Clarification requested")


# Fields the NPM's review may still change once a submission is submitted.
REVIEW_FIELDS = {
    "review",
    "reviewed_by",
    "reviewed_at",
    "clarification_question",
}


class SubmissionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_SUBMISSION_STATES)

    def submitted(self):
        return self.filter(state=SubmissionState.SUBMITTED)

    def awaiting_review(self):
        return self.filter(state=SubmissionState.SUBMITTED, review=ReviewState.PENDING)


class Submission(models.Model):
    """One authority's answer to recommendations of one issued report."""

    State = SubmissionState
    Review = ReviewState

    authority = models.ForeignKey(
        "visits.Authority",
        verbose_name=_("authority"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("visit"),
        on_delete=models.PROTECT,
        related_name="authority_submissions",
    )
    # "ANS-2026-0007": given when the submission is submitted (the letter's reference).
    reference = models.CharField(_("reference"), max_length=30, blank=True, editable=False)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=SubmissionState.choices,
        default=SubmissionState.DRAFT,
        editable=False,
    )
    # A correction, or the answer to the NPM's question about an earlier submission.
    replies_to = models.ForeignKey(
        "self",
        verbose_name=_("replies to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    sent_at = models.DateTimeField(_("sent for sign-off at"), null=True, blank=True, editable=False)
    # The validating authority's comment when they send the draft back to the focal point.
    returned_comment = models.TextField(_("comment on return"), blank=True, editable=False)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    # The letter this submission formed (once submitted).
    letter = models.OneToOneField(
        "recommendations.AuthorityResponse",
        verbose_name=_("letter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submission",
        editable=False,
    )
    review = models.CharField(
        _("review"), max_length=20, choices=ReviewState.choices, blank=True, editable=False
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, editable=False)
    # The NPM's question, shown to the authority's users (no confidential text goes here).
    clarification_question = models.TextField(
        _("question to the authority"), blank=True, editable=False
    )
    # Optimistic locking: every change to the submission or its answers bumps it.
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-created_at", "-pk"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        permissions = [("review_submission", "Can accept submissions or ask for clarification")]
        constraints = [
            # One draft at a time per authority and report.
            models.UniqueConstraint(
                fields=["authority", "visit"],
                condition=Q(state__in=["draft", "awaiting_signoff"]),
                name="submission_one_open_per_authority_and_visit",
            ),
            models.UniqueConstraint(
                fields=["reference"], condition=~Q(reference=""), name="submission_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(state__in=SubmissionState.values), name="submission_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(review="") | Q(review__in=ReviewState.values),
                name="submission_review_valid",
            ),
            models.CheckConstraint(
                condition=~Q(state="submitted") | (Q(letter__isnull=False) & ~Q(reference="")),
                name="submission_submitted_has_letter",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or _("Draft answer of %(authority)s") % {"authority": self.authority}

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = Submission.objects.filter(pk=self.pk).values("state").first()
            if stored and stored["state"] == SubmissionState.SUBMITTED:
                update_fields = set(kwargs.get("update_fields") or [])
                if not update_fields or not update_fields <= REVIEW_FIELDS:
                    raise ValidationError(
                        _("A submitted answer cannot be changed: submit a correction instead.")
                    )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.state == SubmissionState.SUBMITTED:
            raise ValidationError(_("A submitted answer cannot be deleted."))
        return super().delete(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_SUBMISSION_STATES

    @property
    def is_submitted(self) -> bool:
        return self.state == SubmissionState.SUBMITTED

    @property
    def display_state(self) -> str:
        """The state for badges and labels: a draft sent back by the validator is "returned"."""
        if self.state == SubmissionState.DRAFT and self.returned_comment:
            return "returned"
        return self.state

    def get_npm_url(self) -> str:
        """The NPM's page of this submission (the authority's is authority:submission)."""
        return reverse("answers:detail", args=[self.pk])


def _refuse_if_submitted(submission_id: int | None) -> None:
    if submission_id is not None and (
        Submission.objects.filter(pk=submission_id, state=SubmissionState.SUBMITTED).exists()
    ):
        raise ValidationError(
            _("A submitted answer cannot be changed: submit a correction instead.")
        )


class Position(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")


class Answer(models.Model):
    """What the authority says about one recommendation (becomes a `ResponseItem`)."""

    Position = Position

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="answers"
    )
    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        verbose_name=_("recommendation"),
        on_delete=models.PROTECT,
        related_name="authority_answers",
    )
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    # What has been done, in the letters' vocabulary (the ResponseItem's stated status).
    stated_status = models.CharField(
        _("state of implementation"),
        max_length=30,
        choices=[(s.value, s.label) for s in STATED_STATUSES],
    )
    measures = models.TextField(_("measures taken or planned"))
    promised_by = models.DateField(_("promised completion"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["recommendation__number"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "recommendation"], name="answer_once_per_submission"
            ),
            models.CheckConstraint(
                condition=Q(position__in=Position.values), name="answer_position_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation.reference}: {self.get_position_display()}"

    def save(self, *args, **kwargs):
        _refuse_if_submitted(self.submission_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_if_submitted(self.submission_id)
        return super().delete(*args, **kwargs)


def evidence_path(instance, filename: str) -> str:
    # A random name; the original name is kept in the row.
    suffix = PurePath(filename).suffix.lower()[:10]
    return timezone.now().strftime("evidence/%Y/") + f"{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """A file the authority gives in support of an answer (checked like every upload)."""

    answer = models.ForeignKey(
        Answer, verbose_name=_("answer"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255, editable=False)
    content_type = models.CharField(_("content type"), max_length=100, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name

    def save(self, *args, **kwargs):
        if self.answer_id is not None:
            _refuse_if_submitted(
                Answer.objects.filter(pk=self.answer_id).values_list("submission_id", flat=True)[0]
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_if_submitted(self.answer.submission_id)
        return super().delete(*args, **kwargs)


class Escalation(models.Model):
    """A recommendation overdue by NPM_ESCALATION_DAYS at one addressee, escalated to the users of
    that addressee's parent authority and listed for the NPM head. Once per recommendation and
    addressee."""

    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        related_name="escalations",
    )
    authority = models.ForeignKey(
        "visits.Authority",
        verbose_name=_("overdue at"),
        on_delete=models.PROTECT,
        related_name="escalations",
    )
    escalated_to = models.ForeignKey(
        "visits.Authority",
        verbose_name=_("escalated to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalations_received",
        help_text=_("Empty when the authority has no parent: then only the NPM head is told."),
    )
    escalated_on = models.DateField(_("escalated on"))
    days_overdue = models.PositiveIntegerField(_("days overdue"))
    notified = models.PositiveIntegerField(_("users notified"), default=0)

    class Meta:
        ordering = ["-escalated_on", "-pk"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "authority"], name="escalation_once")
        ]

    def __str__(self) -> str:
        return f"{self.recommendation.reference} → {self.escalated_to or '—'}"

    def get_absolute_url(self) -> str:
        return reverse("recommendations:detail", args=[self.recommendation_id])
