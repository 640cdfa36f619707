import datetime as dt
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.crypto import EncryptedTextField
from core.roles import is_partner_only
from visits.models import Report, ReportStatus, Theme


def response_document_path(instance, filename: str) -> str:
    # A random name; the letter's reference is in the database.
    suffix = PurePath(filename).suffix.lower()[:10]
    return timezone.now().strftime("responses/%Y/") + f"{uuid.uuid4().hex}{suffix}"


class Priority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")


class Status(models.TextChoices):
    AWAITING_RESPONSE = "awaiting_response", _("Awaiting response")
    RESPONSE_RECEIVED = "response_received", _("Response received")
    IMPLEMENTED = "implemented", _("Implemented")
    PARTIALLY_IMPLEMENTED = "partially_implemented", _("Partially implemented")
    IN_PROGRESS = "in_progress", _("In progress")
    NOT_IMPLEMENTED = "not_implemented", _("Not implemented")
    REJECTED = "rejected", _("Rejected")
    NO_LONGER_APPLICABLE = "no_longer_applicable", _("No longer applicable")


# Open: still to be followed up (a follow-up visit's checklist lists these).
OPEN_STATUSES = {
    Status.AWAITING_RESPONSE,
    Status.RESPONSE_RECEIVED,
    Status.PARTIALLY_IMPLEMENTED,
    Status.IN_PROGRESS,
    Status.NOT_IMPLEMENTED,
}
# What an authority may state in its letter.
STATED_STATUSES = [
    Status.IMPLEMENTED,
    Status.PARTIALLY_IMPLEMENTED,
    Status.IN_PROGRESS,
    Status.NOT_IMPLEMENTED,
    Status.REJECTED,
    Status.NO_LONGER_APPLICABLE,
]


class Reason(models.TextChoices):
    LACK_OF_FUNDS = "funds", _("Lack of funds")
    LACK_OF_STAFF = "staff", _("Lack of staff")
    LACK_OF_INFRASTRUCTURE = "infrastructure", _("Lack of infrastructure")
    LEGAL_CHANGE_NEEDED = "legal_change", _("Legal change needed")
    AUTHORITY_DISAGREES = "disagrees", _("Authority disagrees")
    OUTSIDE_COMPETENCE = "competence", _("Outside the authority's competence")


# A reason code explains partial or non-implementation only.
REASON_STATUSES = {
    Status.PARTIALLY_IMPLEMENTED,
    Status.NOT_IMPLEMENTED,
    Status.REJECTED,
    Status.IN_PROGRESS,
}


def response_term_days(priority: str) -> int:
    """The legal term for the authority's response, in days from dispatch (shorter when
    urgent): the one rule, for the model and the due-date service."""
    if priority == Priority.URGENT:
        return settings.NPM_URGENT_RESPONSE_TERM_DAYS
    return settings.NPM_RESPONSE_TERM_DAYS


def report_issued(prefix: str = "") -> Q:
    """The report of the visit at `prefix` is issued ("" for a Visit queryset, "visit__" for
    recommendations): the one "report is issued" filter, as `Report.objects.issued()` is for
    reports."""
    return Q(**{f"{prefix}report__status": ReportStatus.ISSUED})


def issued_report(visit) -> Report | None:
    """The visit's report once issued, else None (the single-row test)."""
    report = getattr(visit, "report", None)  # a missing reverse one-to-one is an AttributeError
    return report if report is not None and report.is_issued else None


def overdue_q(today: dt.date | None = None) -> Q:
    """Overdue: the deadline has passed and no response item has come (see `is_overdue`)."""
    today = today or timezone.localdate()
    return Q(due_date__lt=today, responded_on__isnull=True)


class RecommendationQuerySet(models.QuerySet):
    def issued(self):
        """Of an issued report: made to the authorities (drafts have not been made to anyone)."""
        return self.filter(report_issued("visit__"))

    def of_visit_year(self, year: int | None):
        """Of visits of `year` (all years when None)."""
        return self if year is None else self.filter(visit__year=year)

    def public(self):
        """What the public portal may show: marked public, of an issued report."""
        return self.filter(public=True).issued()

    def open(self):
        """Still to be followed up."""
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: dt.date | None = None):
        return self.filter(overdue_q(today))

    def due_soon(self, days: int, today: dt.date | None = None):
        """Due within `days` from today (today included), no response yet."""
        today = today or timezone.localdate()
        return self.filter(
            due_date__gte=today,
            due_date__lte=today + dt.timedelta(days=days),
            responded_on__isnull=True,
        )

    def visible_to(self, user):
        """The NPM roles see every recommendation; partner-only users none (the recommendations
        area does not exist for them), nor anyone without the view permission."""
        if is_partner_only(user) or not user.has_perm("recommendations.view_recommendation"):
            return self.none()
        return self


class Progress(models.TextChoices):
    """The four-level judgement of progress made since the report, at follow-up (after HM
    Inspectorate of Prisons' follow-up scale); optional, beside the status."""

    NO_MEANINGFUL = "no_meaningful", _("No meaningful progress")
    INSUFFICIENT = "insufficient", _("Insufficient progress")
    REASONABLE = "reasonable", _("Reasonable progress")
    GOOD = "good", _("Good progress")


class Basis(models.TextChoices):
    RESPONSE = "response", _("Authority response")
    FOLLOW_UP_VISIT = "follow_up_visit", _("Follow-up visit")
    OTHER = "other", _("Other evidence")


class Recommendation(models.Model):
    Priority = Priority
    Status = Status
    Reason = Reason

    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("visit"),
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("text"))
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    # The institution and the responsible ministry.
    addressees = models.ManyToManyField(
        "visits.Authority", verbose_name=_("addressees"), related_name="recommendations"
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown on the public portal once issued.")
    )
    # The same concern raised at earlier visits.
    repeats = models.ManyToManyField(
        "self",
        verbose_name=_("repeats"),
        symmetrical=False,
        blank=True,
        related_name="repeated_by",
    )
    # Set from the first dispatch of the report to an addressee + the legal term, by
    # `recommendations_set_due_dates` only: derived, so never typed in.
    dispatched_on = models.DateField(_("dispatched on"), null=True, blank=True, editable=False)
    due_date = models.DateField(_("response due"), null=True, blank=True, editable=False)
    # The first response item's letter date: overdue = due and none received.
    responded_on = models.DateField(_("first response on"), null=True, blank=True, editable=False)
    # Denormalised from the latest assessment by `assessment_record` (the one writer).
    status = models.CharField(
        _("status"),
        max_length=30,
        choices=Status.choices,
        default=Status.AWAITING_RESPONSE,
        editable=False,
    )
    reason = models.CharField(
        _("reason"), max_length=20, choices=Reason.choices, blank=True, editable=False
    )
    verified_on_site = models.BooleanField(_("verified on site"), default=False, editable=False)
    status_changed_on = models.DateField(_("status since"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["visit", "number"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "number"], name="recommendation_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="recommendation_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="recommendation_priority_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["due_date", "responded_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.text[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("recommendations:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        """ "NPM-2026-014 / 3" once the visit has a report, else "visit 2026/14 / 3"."""
        report = getattr(self.visit, "report", None) if self.visit_id else None
        prefix = report.reference if report is not None else self.visit.reference
        return Recommendation.reference_of(prefix, self.number)

    @staticmethod
    def reference_of(prefix: str, number: int) -> str:
        """The report's (or the visit's) reference and the number: "NPM-2026-014/3"."""
        return f"{prefix}/{number}"

    @property
    def is_draft(self) -> bool:
        """Its report is not issued: it has no status, deadline or repeat count to speak of."""
        return not self.visit_id or issued_report(self.visit) is None

    @property
    def term_days(self) -> int:
        return response_term_days(self.priority)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return Recommendation.overdue(self.due_date, self.responded_on, today)

    @staticmethod
    def overdue(due_date: dt.date | None, responded_on: dt.date | None, today=None) -> bool:
        """Due, not answered, and the day has passed (also for rows read without a model)."""
        today = today or timezone.localdate()
        return due_date is not None and responded_on is None and due_date < today


class AuthorityResponse(models.Model):
    """A letter from an authority answering one or more recommendations of a visit's report."""

    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("visit"),
        on_delete=models.PROTECT,
        related_name="authority_responses",
    )
    authority = models.ForeignKey(
        "visits.Authority",
        verbose_name=_("authority"),
        on_delete=models.PROTECT,
        related_name="responses",
    )
    received_on = models.DateField(_("received on"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    document = models.FileField(
        _("document"), upload_to=response_document_path, blank=True, max_length=255
    )
    # Letter and assessment notes are encrypted at rest (history copies too).
    note = EncryptedTextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("authority response")
        verbose_name_plural = _("authority responses")

    def __str__(self) -> str:
        return f"{self.authority} · {self.received_on:%d.%m.%Y} {self.reference}".strip()

    @property
    def came_through_portal(self) -> bool:
        """Formed by an authority's submission in the authority portal (npm_portal's
        `Submission.letter`, seen here through its reverse accessor, no import): such a letter
        is what the authority signed off, so it is never corrected here; the authority submits
        a correction instead."""
        return getattr(self, "submission", None) is not None


class ResponseItem(models.Model):
    response = models.ForeignKey(
        AuthorityResponse,
        verbose_name=_("response"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.PROTECT,
        related_name="response_items",
    )
    stated_status = models.CharField(
        _("stated status"), max_length=30, choices=[(s.value, s.label) for s in STATED_STATUSES]
    )
    explanation = models.TextField(_("explanation"), blank=True)
    promised_by = models.DateField(_("promised completion"), null=True, blank=True)
    # Letters can be corrected (`response_correct`): what they said before stays on record.
    history = HistoricalRecords()

    class Meta:
        ordering = ["recommendation__number"]
        verbose_name = _("response item")
        verbose_name_plural = _("response items")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "recommendation"], name="response_item_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recommendation.reference}: {self.get_stated_status_display()}"


class Assessment(models.Model):
    """The NPM's verdict. The latest one is the recommendation's current status."""

    Basis = Basis

    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    status = models.CharField(_("status"), max_length=30, choices=Status.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    basis = models.CharField(_("basis"), max_length=20, choices=Basis.choices)
    response = models.ForeignKey(
        AuthorityResponse,
        verbose_name=_("authority response"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    follow_up_visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("follow-up visit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    verified_on_site = models.BooleanField(_("verified on site"), default=False)
    progress = models.CharField(
        _("progress since the report"),
        max_length=20,
        choices=Progress.choices,
        blank=True,
        help_text=_("Optional, at follow-up: how far the authority has come, beside the status."),
    )
    note = EncryptedTextField(_("note"), blank=True)
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        get_latest_by = ["assessed_on", "pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="assessment_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(basis=Basis.FOLLOW_UP_VISIT) | Q(follow_up_visit__isnull=False),
                name="assessment_follow_up_has_visit",
            ),
            models.CheckConstraint(
                condition=Q(progress="") | Q(progress__in=Progress.values),
                name="assessment_progress_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation.reference}: {self.get_status_display()}"


class FollowUpCheck(models.Model):
    """One line of a follow-up visit's checklist: an open recommendation at the place, and what
    the team saw on site (which becomes an assessment with basis "follow-up visit")."""

    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("follow-up visit"),
        on_delete=models.CASCADE,
        related_name="recommendation_checks",
    )
    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        related_name="follow_up_checks",
    )
    observation = models.TextField(_("seen on site"), blank=True)
    assessment = models.OneToOneField(
        Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="check_line"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["recommendation__visit__planned_start", "recommendation__number"]
        verbose_name = _("follow-up check")
        verbose_name_plural = _("follow-up checks")
        constraints = [
            models.UniqueConstraint(fields=["visit", "recommendation"], name="check_once")
        ]

    def __str__(self) -> str:
        return f"{self.visit.reference}: {self.recommendation.reference}"


# The frozen annual statistics reports, and the record of each bulk import (each kept in its
# own module, the latter beside the import code).
from .annual import AnnualReport  # noqa: E402, F401
from .imports.models import ImportBatch, ImportedObject  # noqa: E402, F401
