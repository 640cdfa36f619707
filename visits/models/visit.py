"""Visits, their team, population on the day, attachments and findings (the forced-return
operation a monitoring visit observed is in `forced_return`)."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.crypto import EncryptedCharField
from core.roles import is_partner_only

from .registry import Place, PlaceCategory, people_count_validator

# Night: any time between 22:00 and 06:00 local time (Europe/Belgrade).
NIGHT_STARTS = dt.time(22, 0)
NIGHT_ENDS = dt.time(6, 0)
LOCAL_ZONE = zoneinfo.ZoneInfo("Europe/Belgrade")


def covers_night(start: dt.datetime, end: dt.datetime, zone: dt.tzinfo = LOCAL_ZONE) -> bool:
    """Whether [start, end] overlaps any 22:00–06:00 local window (touching a boundary is not)."""
    if start is None or end is None or end <= start:
        return False
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    day = local_start.date() - dt.timedelta(days=1)
    while day <= local_end.date():
        night_start = dt.datetime.combine(day, NIGHT_STARTS, tzinfo=zone)
        night_end = dt.datetime.combine(day + dt.timedelta(days=1), NIGHT_ENDS, tzinfo=zone)
        if start < night_end and end > night_start:
            return True
        day += dt.timedelta(days=1)
    return False


class VisitKind(models.TextChoices):
    REGULAR = "regular", _("Regular / in-depth")
    FOLLOW_UP = "follow_up", _("Follow-up")
    AD_HOC = "ad_hoc", _("Ad hoc or reactive")
    THEMATIC = "thematic", _("Thematic")
    JOINT = "joint", _("Joint with another NPM or the CPT")
    FORCED_RETURN = "forced_return", _("Forced-return monitoring")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONDUCTED = "conducted", _("Conducted")
    REPORTING = "reporting", _("Reporting")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


# Written once: every status change goes through a service in visits/services/visits.py that
# checks this.
VISIT_TRANSITIONS: dict[str, set[str]] = {
    VisitStatus.PLANNED: {VisitStatus.CONDUCTED, VisitStatus.CANCELLED},
    VisitStatus.CONDUCTED: {VisitStatus.REPORTING},
    VisitStatus.REPORTING: {VisitStatus.CLOSED},
    # Reopening: the NPM head's, with a reason (services.visit_reopen); "Start reporting" is
    # only for a conducted visit.
    VisitStatus.CLOSED: {VisitStatus.REPORTING},
    VisitStatus.CANCELLED: set(),
}
# The visit took place: it can be reported on and its findings count. The one definition
# (`Visit.took_place`, `Visit.objects.took_place()`).
TOOK_PLACE_STATUSES = (VisitStatus.CONDUCTED, VisitStatus.REPORTING, VisitStatus.CLOSED)

# Visits to these places need a medical expert on the team (warned, not blocked).
MEDICAL_CATEGORIES = {
    PlaceCategory.PSYCHIATRIC,
    PlaceCategory.SOCIAL_ADULTS,
    PlaceCategory.SOCIAL_CHILDREN,
    PlaceCategory.SOCIAL_ELDERLY,
}


class VisitQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff, head and compliance see every visit; a partner member only those they are on."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_partner_only(user):
            return self.filter(
                pk__in=TeamMember.objects.filter(member__user=user).values("visit_id")
            )
        if user.is_superuser or user.has_perm("visits.view_visit"):
            return self
        return self.none()

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        # The places as a semi-join (their trigram index), not an OR across the join.
        places = Place.objects.filter(Q(name__icontains=text) | Q(municipality__icontains=text))
        return self.filter(
            Q(place_id__in=places.values("pk"))
            | Q(purpose__icontains=text)
            | Q(joint_with__icontains=text)
        )

    def took_place(self):
        return self.filter(status__in=TOOK_PLACE_STATUSES)

    def upcoming(self):
        return self.filter(status=VisitStatus.PLANNED, planned_start__gte=timezone.now())


class Visit(models.Model):
    Kind = VisitKind
    Status = VisitStatus
    TRANSITIONS = VISIT_TRANSITIONS

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="visits"
    )
    year = models.PositiveIntegerField(_("year"), editable=False)
    number = models.PositiveIntegerField(_("number in the year"), editable=False)
    kind = models.CharField(_("type"), max_length=20, choices=VisitKind.choices)
    announced = models.BooleanField(_("announced"), default=False)
    joint_with = models.CharField(
        _("joint with"),
        max_length=150,
        blank=True,
        help_text=_("Another NPM or the CPT, for joint visits."),
    )
    planned_start = models.DateTimeField(_("planned start"))
    planned_end = models.DateTimeField(_("planned end"))
    actual_start = models.DateTimeField(_("actual start"), null=True, blank=True)
    actual_end = models.DateTimeField(_("actual end"), null=True, blank=True)
    # Derived from the times on every save (see `covers_night`); stored so lists can filter on it.
    night = models.BooleanField(_("night visit"), default=False, editable=False)
    purpose = models.TextField(_("purpose and focus"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    # Population on the day.
    capacity_on_day = models.PositiveIntegerField(
        _("capacity on the day"), null=True, blank=True, validators=[people_count_validator()]
    )
    present = models.PositiveIntegerField(
        _("present"), null=True, blank=True, validators=[people_count_validator()]
    )
    women = models.PositiveIntegerField(
        _("women"), null=True, blank=True, validators=[people_count_validator()]
    )
    minors = models.PositiveIntegerField(
        _("minors"), null=True, blank=True, validators=[people_count_validator()]
    )
    foreigners = models.PositiveIntegerField(
        _("foreigners"), null=True, blank=True, validators=[people_count_validator()]
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
    history = HistoricalRecords()

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-planned_start"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=VisitStatus.values), name="visit_status_valid"
            ),
            models.CheckConstraint(condition=Q(kind__in=VisitKind.values), name="visit_kind_valid"),
            models.CheckConstraint(
                condition=Q(planned_end__gt=models.F("planned_start")),
                name="visit_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status=VisitStatus.CANCELLED) | ~Q(cancel_reason=""),
                name="visit_cancelled_has_reason",
            ),
            models.UniqueConstraint(fields=["year", "number"], name="visit_number_unique"),
        ]
        indexes = [
            models.Index(fields=["status", "planned_start"]),
            # The visit list's order (newest first) without sorting every visit.
            models.Index(fields=["-planned_start", "-id"], name="visit_list_order"),
            # The staff's queue of visits to record or write up, oldest first (npm_portal.work):
            # the few planned or conducted visits in order, not every visit walked.
            models.Index(
                fields=["planned_start", "id"],
                condition=Q(status__in=[VisitStatus.PLANNED, VisitStatus.CONDUCTED]),
                name="visit_open_by_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.place}"

    def save(self, *args, **kwargs):
        self.night = self.compute_night()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "night", "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("visits:visit_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return Visit.reference_of(self.year, self.number)

    @staticmethod
    def reference_of(year: int, number: int) -> str:
        """How a visit is cited everywhere ("V-2025-001"), also for rows read without a model."""
        return f"V-{year}-{number:03d}"

    @property
    def start(self) -> dt.datetime:
        return self.actual_start or self.planned_start

    @property
    def end(self) -> dt.datetime:
        return self.actual_end or self.planned_end

    def compute_night(self) -> bool:
        return covers_night(self.start, self.end)

    def can_become(self, status: str) -> bool:
        return status in VISIT_TRANSITIONS[self.status]

    @property
    def next_statuses(self) -> set[str]:
        """The statuses this visit may move to (templates: `"closed" in visit.next_statuses`)."""
        return {str(status) for status in VISIT_TRANSITIONS[self.status]}

    @property
    def report_is_issued(self) -> bool:
        """Whether the visit's report is issued: a visit is closed only then."""
        from .report import Report, ReportStatus  # report.py builds on this module

        related = type(self).report.related
        if related.is_cached(self):  # the page has read the report already (or its absence)
            report = related.get_cached_value(self)
            return report is not None and report.status == ReportStatus.ISSUED
        return Report.objects.filter(visit_id=self.pk, status=ReportStatus.ISSUED).exists()

    @property
    def took_place(self) -> bool:
        return self.status in TOOK_PLACE_STATUSES

    @property
    def is_open(self) -> bool:
        """Team, findings, interviews and attachments may still be changed."""
        return self.status in (VisitStatus.PLANNED, VisitStatus.CONDUCTED, VisitStatus.REPORTING)

    @property
    def capacity_for_population(self) -> int | None:
        return self.capacity_on_day if self.capacity_on_day is not None else self.place.capacity

    @property
    def occupancy_rate(self) -> int | None:
        """Present as a percentage of capacity, rounded; None when either is unknown."""
        capacity = self.capacity_for_population
        if self.present is None or not capacity:
            return None
        return round(self.present * 100 / capacity)

    @property
    def overcrowded(self) -> bool:
        capacity = self.capacity_for_population
        return self.present is not None and capacity is not None and self.present > capacity

    @property
    def is_forced_return(self) -> bool:
        return self.kind == VisitKind.FORCED_RETURN


class TeamRole(models.TextChoices):
    HEAD = "head", _("Head of team")
    MEMBER = "member", _("Member")
    MEDICAL = "medical", _("Medical expert")
    INTERPRETER = "interpreter", _("Interpreter")
    OBSERVER = "observer", _("Observer")


class TeamMember(models.Model):
    """One person on a visit team: an NPM staff user or a partner association's member."""

    Role = TeamRole

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="team"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("NPM staff"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visit_teams",
    )
    member = models.ForeignKey(
        "partners.Member",
        verbose_name=_("partner member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="team_memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=TeamRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["visit", "pk"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.CheckConstraint(condition=Q(role__in=TeamRole.values), name="team_role_valid"),
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(member__isnull=True))
                | (Q(user__isnull=True) & Q(member__isnull=False)),
                name="team_member_user_xor_member",
            ),
            models.UniqueConstraint(
                fields=["visit"], condition=Q(role=TeamRole.HEAD), name="team_one_head"
            ),
            models.UniqueConstraint(fields=["visit", "user"], name="team_user_once"),
            models.UniqueConstraint(fields=["visit", "member"], name="team_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} ({self.get_role_display()})"

    @property
    def person_name(self) -> str:
        if self.user_id:
            return str(self.user)
        return str(self.member)

    @property
    def gender(self) -> str:
        person = self.user if self.user_id else self.member
        return getattr(person, "gender", "") or ""

    @property
    def login_user_id(self) -> int | None:
        if self.user_id:
            return self.user_id
        return getattr(self.member, "user_id", None)


class FindingKind(models.TextChoices):
    CONCERN = "concern", _("Concern")
    GOOD_PRACTICE = "good_practice", _("Good practice")


class ReturnPhase(models.TextChoices):
    PRE_DEPARTURE = "pre_departure", _("Pre-departure")
    TRANSFER = "transfer", _("Transfer")
    BOARDING = "boarding", _("Boarding")
    IN_FLIGHT = "in_flight", _("In flight")
    HAND_OVER = "hand_over", _("Hand-over")


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random name: the original one may identify someone and is kept only in the database.
    suffix = PurePath(filename).suffix.lower()[:10]
    return timezone.now().strftime("visits/%Y/") + f"{uuid.uuid4().hex}{suffix}"


class AttachmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Attachments of visible visits; confidential ones only for staff and the head."""
        attachments = self.filter(visit__in=Visit.objects.visible_to(user))
        if is_partner_only(user) or not user.has_perm("visits.view_interview"):
            attachments = attachments.filter(confidential=False)
        return attachments


class Attachment(models.Model):
    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="attachments"
    )
    # The title and the original name may identify someone: encrypted at rest (history copies
    # too), like the file itself (npm_portal.security.storage).
    title = EncryptedCharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    original_name = EncryptedCharField(_("original file name"), max_length=255, editable=False)
    content_type = models.CharField(_("content type"), max_length=100, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), editable=False)
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Hidden from partner members and compliance officers."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Finding(models.Model):
    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="findings"
    )
    theme = models.ForeignKey(
        "visits.Theme",
        verbose_name=_("theme"),
        on_delete=models.PROTECT,
        related_name="findings",
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=FindingKind.choices, default=FindingKind.CONCERN
    )
    text = models.TextField(_("text"))
    # Forced-return monitoring: findings are recorded per phase of the operation.
    phase = models.CharField(_("phase"), max_length=20, choices=ReturnPhase.choices, blank=True)
    coercive_measures = models.TextField(_("coercive measures used"), blank=True)
    medical_issues = models.TextField(_("medical issues"), blank=True)
    attachments = models.ManyToManyField(
        Attachment, verbose_name=_("attachments"), blank=True, related_name="findings"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[attachments])

    class Meta:
        ordering = ["visit", "theme__order", "pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=FindingKind.values), name="finding_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(phase="") | Q(phase__in=ReturnPhase.values),
                name="finding_phase_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.theme}: {self.text[:60]}"
