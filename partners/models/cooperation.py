"""Cooperation beyond the partner associations: NPM networks (the SEE NPM Network), events with
participants, and partners' donor-funded projects."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .members import Member
from .organisations import Organisation

# --- SEE NPM Network ----------------------------------------------------------------------------


class Network(models.Model):
    """A network of NPMs, such as the South-East Europe NPM Network."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:network_detail", args=[self.pk])

    def chair_in(self, year: int) -> NetworkChair | None:
        return self.chairs.filter(year=year).select_related("organisation").first()


class MembershipStatus(models.TextChoices):
    MEMBER = "member", _("Full member")
    OBSERVER = "observer", _("Observer")


class NetworkMembership(models.Model):
    Status = MembershipStatus

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="network_memberships",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["status", "organisation__name"]
        verbose_name = _("network membership")
        verbose_name_plural = _("network memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MembershipStatus.values),
                name="networkmembership_status_valid",
            ),
            models.UniqueConstraint(
                fields=["network", "organisation"], name="networkmembership_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_status_display()})"


class NetworkChair(models.Model):
    """Which member chairs the network in a given year."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="chairs"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("chair"),
        on_delete=models.PROTECT,
        related_name="network_chairs",
    )
    chairperson = models.CharField(_("chairperson"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("network chair")
        verbose_name_plural = _("network chairs")
        constraints = [
            models.UniqueConstraint(fields=["network", "year"], name="networkchair_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.organisation}"

    def clean(self) -> None:
        if (
            self.network_id
            and self.organisation_id
            and not NetworkMembership.objects.filter(
                network_id=self.network_id,
                organisation_id=self.organisation_id,
                status=MembershipStatus.MEMBER,
            ).exists()
        ):
            raise ValidationError(
                {"organisation": _("Only a full member of the network can chair it.")}
            )


class WorkingGroup(models.Model):
    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="working_groups"
    )
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="workinggroup_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class NetworkMeeting(models.Model):
    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="meetings"
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text=_("Empty for a meeting of the whole network."),
    )
    title = models.CharField(_("title"), max_length=255)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=255, blank=True)
    host = models.ForeignKey(
        Organisation,
        verbose_name=_("host"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_network_meetings",
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("network meeting")
        verbose_name_plural = _("network meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="networkmeeting_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end cannot be before the start.")})
        if (
            self.working_group_id
            and self.network_id
            and self.working_group.network_id != (self.network_id)
        ):
            raise ValidationError(
                {"working_group": _("The working group belongs to another network.")}
            )


# --- Events -------------------------------------------------------------------------------------


class EventKind(models.TextChoices):
    TRAINING = "training", _("Training")
    DELEGATION = "delegation", _("Meeting with a delegation")
    CONFERENCE = "conference", _("Conference")
    MEETING = "meeting", _("Meeting")
    OTHER = "other", _("Other")


class Event(models.Model):
    """A training, conference or meeting (e.g. with a CPT delegation) the NPM took part in."""

    Kind = EventKind

    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=255, blank=True)
    organiser = models.CharField(_("organiser"), max_length=255, blank=True)
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("organisations taking part"),
        blank=True,
        related_name="events",
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="event_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partners:event_detail", args=[self.pk])

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end cannot be before the start.")})


class EventParticipant(models.Model):
    """Someone who took part: an NPM user, a partner member, or an outside person by name."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("NPM user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event_participations",
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("partner member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event_participations",
    )
    name = models.CharField(
        _("name"), max_length=255, blank=True, help_text=_("For a person outside the portal.")
    )
    affiliation = models.CharField(_("affiliation"), max_length=255, blank=True)
    role = models.CharField(_("role"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            # Exactly one of: user, member, free-text name.
            models.CheckConstraint(
                condition=(
                    Q(user__isnull=False, member__isnull=True, name="")
                    | Q(user__isnull=True, member__isnull=False, name="")
                    | (Q(user__isnull=True, member__isnull=True) & ~Q(name=""))
                ),
                name="eventparticipant_exactly_one_person",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.user_id:
            return str(self.user)
        if self.member_id:
            return str(self.member)
        return self.name

    def clean(self) -> None:
        given = [bool(self.user_id), bool(self.member_id), bool(self.name.strip())]
        if sum(given) != 1:
            raise ValidationError(
                _("Choose an NPM user, or a partner member, or type the name of an outside person.")
            )


# --- Donor-funded projects ----------------------------------------------------------------------


class Project(models.Model):
    """A donor-funded project of a partner organisation."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("implementing organisation"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    partner_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("partner organisations"),
        blank=True,
        related_name="partner_projects",
    )
    title = models.CharField(_("title"), max_length=255)
    donor = models.CharField(_("donor"), max_length=255, blank=True)
    budget = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    objectives = models.TextField(_("objectives"), blank=True)
    target_groups = models.TextField(_("target groups"), blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="project_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="project_budget_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partners:project_detail", args=[self.pk])

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end cannot be before the start.")})


class ProjectResult(models.Model):
    """An expected result, with a numeric target and the value achieved so far."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="results"
    )
    order = models.PositiveSmallIntegerField(_("number"), default=1)
    description = models.TextField(_("expected result"))
    indicator = models.CharField(
        _("indicator"),
        max_length=255,
        blank=True,
        help_text=_("What is counted, e.g. “asylum seekers given free legal aid”."),
    )
    target_value = models.DecimalField(
        _("target"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    achieved_value = models.DecimalField(
        _("achieved"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "order", "pk"]
        verbose_name = _("expected result")
        verbose_name_plural = _("expected results")
        constraints = [
            models.CheckConstraint(
                condition=(Q(target_value__isnull=True) | Q(target_value__gte=0))
                & (Q(achieved_value__isnull=True) | Q(achieved_value__gte=0)),
                name="projectresult_values_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.indicator or self.description[:60]}"

    @property
    def progress_percent(self) -> int | None:
        """Achieved as a share of the target (capped at 100), or None when not measurable."""
        if not self.target_value or self.achieved_value is None:
            return None
        share = Decimal(self.achieved_value) / Decimal(self.target_value) * 100
        return int(min(share, Decimal(100)))
