"""Visit reports: sections drafted by staff and partner members, reviewed, approved and issued
as a frozen PDF with its SHA-256; dispatches to the addressee authorities.

Every status change goes through one service in `visits/services/` (reports.py, sections.py);
the transition tables below are the rules those services check and the pages show.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.crypto import EncryptedTextField

from .registry import Authority
from .visit import Visit


class ReportStatus(models.TextChoices):
    DRAFTING = "drafting", _("Drafting")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    ISSUED = "issued", _("Issued")


REPORT_TRANSITIONS: dict[str, set[str]] = {
    ReportStatus.DRAFTING: {ReportStatus.IN_REVIEW},
    ReportStatus.IN_REVIEW: {ReportStatus.DRAFTING, ReportStatus.APPROVED},
    ReportStatus.APPROVED: {ReportStatus.IN_REVIEW, ReportStatus.ISSUED},
    ReportStatus.ISSUED: set(),
}
# The actions on a report, each one transition (source → target): two end in review (submit
# from drafting, reopen from approved), so a target alone does not name the action.
REPORT_ACTIONS: dict[str, tuple[str, str]] = {
    "submit": (ReportStatus.DRAFTING, ReportStatus.IN_REVIEW),
    "return": (ReportStatus.IN_REVIEW, ReportStatus.DRAFTING),
    "approve": (ReportStatus.IN_REVIEW, ReportStatus.APPROVED),
    "reopen": (ReportStatus.APPROVED, ReportStatus.IN_REVIEW),
    "issue": (ReportStatus.APPROVED, ReportStatus.ISSUED),
}
# The report, its sections and their text change only in these states.
EDITABLE_REPORT_STATUSES = {ReportStatus.DRAFTING, ReportStatus.IN_REVIEW}


class ReportLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    SERBIAN_LATIN = "sr-latn", _("Serbian (Latin)")
    SERBIAN_CYRILLIC = "sr-cyrl", _("Serbian (Cyrillic)")


class SectionStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


SECTION_TRANSITIONS: dict[str, set[str]] = {
    SectionStatus.ASSIGNED: {SectionStatus.DRAFT, SectionStatus.SUBMITTED},
    SectionStatus.DRAFT: {SectionStatus.SUBMITTED},
    SectionStatus.SUBMITTED: {SectionStatus.RETURNED, SectionStatus.ACCEPTED},
    SectionStatus.RETURNED: {SectionStatus.DRAFT, SectionStatus.SUBMITTED},
    SectionStatus.ACCEPTED: {SectionStatus.RETURNED},
}
# A partner member edits their own section only in these states; staff edit any section
# until the report is issued.
PARTNER_EDITABLE = {SectionStatus.ASSIGNED, SectionStatus.DRAFT, SectionStatus.RETURNED}


class SectionKind(models.TextChoices):
    INTRODUCTION = "introduction", _("Introduction and methodology")
    PLACE = "place", _("The place and its population")
    FINDINGS = "findings", _("Findings")
    GOOD_PRACTICE = "good_practice", _("Good practices")
    RECOMMENDATIONS = "recommendations", _("Recommendations")
    OTHER = "other", _("Other")


class DispatchChannel(models.TextChoices):
    POST = "post", _("Registered post")
    EMAIL = "email", _("E-mail")
    E_DELIVERY = "e_delivery", _("Electronic delivery")
    HAND = "hand", _("By hand")
    COURIER = "courier", _("Courier")


class RenderKind(models.TextChoices):
    PREVIEW = "preview", _("Draft preview")
    ISSUED = "issued", _("Issued report")


class RenderState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Rendering")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def report_pdf_path(instance, filename: str) -> str:
    # Random names: the reference is in the database, not in a guessable path.
    return timezone.now().strftime("reports/%Y/") + f"{uuid.uuid4().hex}.pdf"


class ReportQuerySet(models.QuerySet):
    def issued(self):
        """Issued reports: final, frozen, and the only ones whose recommendations count."""
        return self.filter(status=ReportStatus.ISSUED)


class Report(models.Model):
    Status = ReportStatus
    Language = ReportLanguage
    TRANSITIONS = REPORT_TRANSITIONS

    visit = models.OneToOneField(
        Visit, verbose_name=_("visit"), on_delete=models.PROTECT, related_name="report"
    )
    # Generated from NPM_REPORT_REFERENCE_PATTERN when the report is created.
    reference = models.CharField(_("reference number"), max_length=50, unique=True)
    title = models.CharField(_("title"), max_length=255)
    language = models.CharField(
        _("language and script"),
        max_length=10,
        choices=ReportLanguage.choices,
        default=ReportLanguage.ENGLISH,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFTING
    )
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
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True, editable=False)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True, editable=False)
    # The frozen PDF of the issued report, and the redacted public version (no confidential
    # sections, no annexes with names). Written once by the render task, never again.
    pdf = models.FileField(
        _("issued PDF"), upload_to=report_pdf_path, blank=True, max_length=255, editable=False
    )
    pdf_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    pdf_pages = models.PositiveIntegerField(_("pages"), null=True, blank=True, editable=False)
    public_pdf = models.FileField(
        _("public PDF"), upload_to=report_pdf_path, blank=True, max_length=255, editable=False
    )
    public_pdf_sha256 = models.CharField(
        _("public SHA-256"), max_length=64, blank=True, editable=False
    )
    # The full version as Word, for translators and the ministries that reply in Word: written
    # once with the PDFs, from the same frozen content (stored as .docx: the storage names a
    # file by its content).
    docx = models.FileField(
        _("issued DOCX"), upload_to=report_pdf_path, blank=True, max_length=255, editable=False
    )
    docx_sha256 = models.CharField(_("DOCX SHA-256"), max_length=64, blank=True, editable=False)
    # Issued before this system, entered by a bulk import of past years: no PDF is stored and
    # none is ever rendered (the signed report is on paper or in the archive).
    imported = models.BooleanField(_("imported"), default=False, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        permissions = [("issue_report", _("Can approve and issue reports"))]
        # The public portal lists issued reports, and their recommendations, newest first.
        indexes = [
            models.Index(fields=["status", "-issued_on"], name="report_issued_order"),
            # The work queues' reports of one status, oldest first (npm_portal.work): read in
            # order and stopped at the queue's rows, however many wait.
            models.Index(fields=["status", "created_at", "id"], name="report_status_age"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="report_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(language__in=ReportLanguage.values), name="report_language_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.ISSUED) | Q(issued_at__isnull=False),
                name="report_issued_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("visits:report_detail", args=[self.visit_id])

    @property
    def is_issued(self) -> bool:
        return self.status == ReportStatus.ISSUED

    @property
    def is_editable(self) -> bool:
        """The report, its sections and their text may still change (drafting or in review)."""
        return self.status in EDITABLE_REPORT_STATUSES

    def can_move_to(self, status: str, *, source: str | None = None) -> bool:
        return status in REPORT_TRANSITIONS[self.status] and source in (None, self.status)

    @property
    def actions(self) -> set[str]:
        """The actions open in this state (templates: `"approve" in report.actions`)."""
        return {name for name, (source, _target) in REPORT_ACTIONS.items() if source == self.status}

    @property
    def is_frozen(self) -> bool:
        """Issued reports are immutable: the report, its sections and its recommendations."""
        return self.status == ReportStatus.ISSUED

    @property
    def pdf_ready(self) -> bool:
        return bool(self.pdf and self.pdf_sha256)


class ReportSection(models.Model):
    Status = SectionStatus
    Kind = SectionKind
    TRANSITIONS = SECTION_TRANSITIONS

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(
        _("kind"), max_length=20, choices=SectionKind.choices, default=SectionKind.OTHER
    )
    theme = models.ForeignKey(
        "visits.Theme",
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_sections",
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    # A staff user or a partner member (by their login) on the visit's team.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_sections",
    )
    # Every section's text is encrypted at rest (confidential or not), history copies too.
    body = EncryptedTextField(_("text (Markdown)"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SectionStatus.choices, default=SectionStatus.ASSIGNED
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    # Left out of the public version of the report.
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Left out of the public version of the issued report."),
    )
    # Optimistic locking: every save of the text goes through `section_save`, which refuses a
    # stale version (a conflict page, never a silent overwrite).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("report section")
        verbose_name_plural = _("report sections")
        # The staff's queue of sections submitted for review, newest first (npm_portal.work).
        indexes = [
            models.Index(
                fields=["-updated_at", "-id"],
                condition=Q(status=SectionStatus.SUBMITTED),
                name="section_submitted_recent",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SectionStatus.values), name="section_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=SectionStatus.RETURNED) | ~Q(review_comment=""),
                name="section_returned_has_comment",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def can_move_to(self, status: str) -> bool:
        return status in SECTION_TRANSITIONS[self.status]

    @property
    def next_statuses(self) -> set[str]:
        """The statuses this section may move to (templates: `"accepted" in
        section.next_statuses`)."""
        return {str(status) for status in SECTION_TRANSITIONS[self.status]}

    @property
    def partner_editable(self) -> bool:
        """Its partner author may still change the text (assigned, draft or returned)."""
        return self.status in PARTNER_EDITABLE


class SectionAutosave(models.Model):
    """The last autosaved text of a section by one user, kept apart from the section so that
    typing never bumps the version nor writes history; saving the section deletes it."""

    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="autosaves")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = EncryptedTextField(blank=True)
    # The section version the text was based on: a restored draft against a newer version is a
    # conflict like any other.
    base_version = models.PositiveIntegerField()
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["section", "user"], name="autosave_one_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.section} ({self.user})"


# A job still queued this long after it was asked for was never picked up (is the Celery worker
# running?); one still running this long after it was asked for died with its worker. The page
# stops polling such a job and offers to try again.
RENDER_START_TIMEOUT = dt.timedelta(minutes=10)
RENDER_RUN_TIMEOUT = dt.timedelta(minutes=30)


class ReportRender(models.Model):
    """One PDF rendering job: a draft preview, or the issued report (frozen PDF and public
    version). Runs in Celery when configured, inline otherwise; the page polls its state."""

    Kind = RenderKind
    State = RenderState

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="renders")
    kind = models.CharField(max_length=10, choices=RenderKind.choices)
    state = models.CharField(max_length=10, choices=RenderState.choices, default=RenderState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    # Previews only; the issued PDF is stored on the report.
    file = models.FileField(upload_to=report_pdf_path, blank=True, max_length=255)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.report.reference} {self.kind} {self.state}"

    def is_stalled(self, now: dt.datetime | None = None) -> bool:
        """Whether the job waits or runs for much longer than any rendering takes."""
        now = now or timezone.now()
        if self.state == RenderState.QUEUED:
            return self.created_at < now - RENDER_START_TIMEOUT
        if self.state == RenderState.RUNNING:
            return self.created_at < now - RENDER_RUN_TIMEOUT
        return False

    @property
    def is_active(self) -> bool:
        return self.state in (RenderState.QUEUED, RenderState.RUNNING)


class Dispatch(models.Model):
    """The issued report sent to one addressee authority."""

    Channel = DispatchChannel

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.PROTECT, related_name="dispatches"
    )
    authority = models.ForeignKey(
        Authority, verbose_name=_("authority"), on_delete=models.PROTECT, related_name="dispatches"
    )
    sent_on = models.DateField(_("sent on"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=DispatchChannel.choices)
    # The authority's users (npm_portal.authority_portal) read the public version of the report;
    # the full version only when the NPM shares it with this addressee.
    full_version_shared = models.BooleanField(
        _("full version shared"),
        default=False,
        help_text=_(
            "The authority's users may download the full issued report, not only the public "
            "version."
        ),
    )
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
        ordering = ["sent_on", "pk"]
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "authority"], name="dispatch_once_per_authority"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=DispatchChannel.values), name="dispatch_channel_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report.reference} → {self.authority}"
