"""Partner organisations, the public call that selects them, their agreements and members.

Single-row rules live here (derived states, validation); rules spanning models are in services.py.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partners.validators import document_upload_to, validate_document

ONE_DAY = datetime.timedelta(days=1)


def expiry_window_days() -> int:
    """Agreements ending within this many days are "expiring" (shown and reminded)."""
    return getattr(settings, "NPM_AGREEMENT_EXPIRY_DAYS", 60)


# --- Organisations ------------------------------------------------------------------------------


class OrganisationKind(models.TextChoices):
    ASSOCIATION = "association", _("Civil-society association")
    PROFESSIONAL = "professional", _("Professional body")
    INTERNATIONAL = "international", _("International organisation")
    FOREIGN_NPM = "foreign_npm", _("Foreign NPM")
    OWN_NPM = "own_npm", _("This NPM")


class OrganisationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(name__icontains=text)
            | Q(short_name__icontains=text)
            | Q(focus_areas__icontains=text)
            | Q(country__icontains=text)
        )


class Organisation(models.Model):
    """A partner association, professional body, international organisation or another NPM."""

    Kind = OrganisationKind

    name = models.CharField(_("name"), max_length=255, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.CharField(_("country"), max_length=100, blank=True)
    focus_areas = models.TextField(
        _("focus areas"), blank=True, help_text=_("The fields the organisation works in.")
    )
    contact_person = models.CharField(_("contact person"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    website = models.URLField(_("website"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:organisation_detail", args=[self.pk])

    @property
    def label(self) -> str:
        return self.short_name or self.name


# --- Public calls and applications --------------------------------------------------------------


class PublicCall(models.Model):
    """A public invitation to associations, published in the Official Gazette."""

    title = models.CharField(_("title"), max_length=255)
    gazette_reference = models.CharField(
        _("gazette reference"),
        max_length=255,
        blank=True,
        help_text=_("For example: Official Gazette of the Republic of Serbia No. 25/2018."),
    )
    published_on = models.DateField(_("published on"))
    application_deadline = models.DateField(_("application deadline"))
    text = models.TextField(_("text"), blank=True)
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("public call")
        verbose_name_plural = _("public calls")
        constraints = [
            models.CheckConstraint(
                condition=Q(application_deadline__gte=F("published_on")),
                name="publiccall_deadline_after_publication",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partners:call_detail", args=[self.pk])

    @property
    def decided(self) -> bool:
        return self.decision_date is not None

    def is_open(self, on_date: datetime.date | None = None) -> bool:
        on_date = on_date or timezone.localdate()
        return not self.decided and self.published_on <= on_date <= self.application_deadline

    def clean(self) -> None:
        if (
            self.published_on
            and self.application_deadline
            and self.application_deadline < self.published_on
        ):
            raise ValidationError(
                {"application_deadline": _("The deadline cannot be before the publication date.")}
            )


class ApplicationOutcome(models.TextChoices):
    RECEIVED = "received", _("Received")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")


class Application(models.Model):
    """An organisation's application to a public call; the outcome is set by the decision."""

    Outcome = ApplicationOutcome

    call = models.ForeignKey(
        PublicCall,
        verbose_name=_("public call"),
        on_delete=models.CASCADE,
        related_name="applications",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    received_on = models.DateField(_("received on"))
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.RECEIVED
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=ApplicationOutcome.values),
                name="application_outcome_valid",
            ),
            models.UniqueConstraint(
                fields=["call", "organisation"], name="application_one_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.call}"

    def unique_error_message(self, model_class, unique_check):
        # Say it plainly instead of Django's generic "with this … already exists".
        if set(unique_check) == {"call", "organisation"}:
            return ValidationError(_("This organisation has already applied to this call."))
        return super().unique_error_message(model_class, unique_check)


# --- Agreements ---------------------------------------------------------------------------------


class AgreementState(models.TextChoices):
    DRAFT = "draft", _("Draft / not in force yet")
    ACTIVE = "active", _("Active")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


class AgreementQuerySet(models.QuerySet):
    def active_on(self, on_date: datetime.date):
        """In force on that date: signed by then, within its term and not terminated."""
        return self.filter(
            signed_on__isnull=False,
            signed_on__lte=on_date,
            valid_from__lte=on_date,
            valid_until__gte=on_date,
        ).filter(Q(termination_date__isnull=True) | Q(termination_date__gt=on_date))

    def expiring_within(self, days: int | None = None, *, today: datetime.date | None = None):
        """In force today and ending (or terminated) within `days` days."""
        today = today or timezone.localdate()
        days = expiry_window_days() if days is None else days
        limit = today + datetime.timedelta(days=days)
        return self.active_on(today).filter(
            Q(valid_until__lte=limit) | Q(termination_date__lte=limit + ONE_DAY)
        )

    def covering_visits(self):
        return self.filter(scope_visits=True)

    def with_state(self, state: str, *, today: datetime.date | None = None):
        """Filter by derived state; the same rules as `Agreement.state_on`, in SQL."""
        today = today or timezone.localdate()
        terminated = Q(termination_date__isnull=False, termination_date__lte=today)
        if state == AgreementState.TERMINATED:
            return self.filter(terminated)
        if state == AgreementState.ACTIVE:
            return self.active_on(today).exclude(pk__in=self.expiring_within(today=today))
        if state == AgreementState.EXPIRING:
            return self.expiring_within(today=today)
        if state == AgreementState.EXPIRED:
            return self.exclude(terminated).filter(valid_until__lt=today)
        if state == AgreementState.DRAFT:
            return (
                self.exclude(terminated)
                .filter(valid_until__gte=today)
                .filter(
                    Q(signed_on__isnull=True) | Q(signed_on__gt=today) | Q(valid_from__gt=today)
                )
            )
        return self.none()


class Agreement(models.Model):
    """A cooperation agreement with an organisation; its state is derived from its dates."""

    State = AgreementState

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    call = models.ForeignKey(
        PublicCall,
        verbose_name=_("public call"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    reference_number = models.CharField(_("reference number"), max_length=100, unique=True)
    signed_on = models.DateField(
        _("signed on"), null=True, blank=True, help_text=_("Leave empty while it is a draft.")
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    scope_visits = models.BooleanField(_("visits to places of detention"), default=True)
    scope_reports = models.BooleanField(_("drafting reports"), default=True)
    scope_recommendations = models.BooleanField(
        _("recommendations, opinions and other acts"), default=True
    )
    scope_training = models.BooleanField(_("training"), default=False)
    scope_other = models.BooleanField(_("other NPM activities"), default=False)
    document = models.FileField(
        _("signed agreement"),
        upload_to=document_upload_to,
        blank=True,
        validators=[validate_document],
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
    )
    termination_date = models.DateField(
        _("termination date"),
        null=True,
        blank=True,
        help_text=_("The agreement is no longer in force from this day."),
    )
    termination_reason = models.TextField(_("termination reason"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = AgreementQuerySet.as_manager()

    SCOPE_FIELDS = [
        "scope_visits",
        "scope_reports",
        "scope_recommendations",
        "scope_training",
        "scope_other",
    ]

    class Meta:
        ordering = ["-valid_from", "organisation__name"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=F("valid_from")),
                name="agreement_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference_number} ({self.organisation.label})"

    @property
    def last_day(self) -> datetime.date:
        """The last day in force: the end of the term, or the day before termination."""
        if self.termination_date and self.termination_date - ONE_DAY < self.valid_until:
            return self.termination_date - ONE_DAY
        return self.valid_until

    def state_on(self, on_date: datetime.date, *, expiry_days: int | None = None) -> str:
        expiry_days = expiry_window_days() if expiry_days is None else expiry_days
        if self.termination_date and self.termination_date <= on_date:
            return AgreementState.TERMINATED
        if on_date > self.valid_until:
            return AgreementState.EXPIRED
        if self.signed_on is None or self.signed_on > on_date or on_date < self.valid_from:
            return AgreementState.DRAFT
        if (self.last_day - on_date).days <= expiry_days:
            return AgreementState.EXPIRING
        return AgreementState.ACTIVE

    @property
    def state(self) -> str:
        return self.state_on(timezone.localdate())

    def get_state_display(self) -> str:
        return AgreementState(self.state).label

    @property
    def state_badge(self) -> str:
        return {
            AgreementState.DRAFT: "secondary",
            AgreementState.ACTIVE: "success",
            AgreementState.EXPIRING: "warning",
            AgreementState.EXPIRED: "dark",
            AgreementState.TERMINATED: "danger",
        }[self.state]

    def is_active_on(self, on_date: datetime.date) -> bool:
        return self.state_on(on_date) in (AgreementState.ACTIVE, AgreementState.EXPIRING)

    def scope_labels(self) -> list[str]:
        return [
            self._meta.get_field(name).verbose_name
            for name in self.SCOPE_FIELDS
            if getattr(self, name)
        ]

    def overlapping(self):
        """Other agreements of the same organisation whose period in force meets this one's."""
        if not (self.organisation_id and self.valid_from and self.valid_until):
            return Agreement.objects.none()
        last_day = self.last_day
        others = Agreement.objects.filter(organisation_id=self.organisation_id).exclude(pk=self.pk)
        # Another overlaps when it starts by our last day and is still in force on our first day.
        return others.filter(valid_from__lte=last_day, valid_until__gte=self.valid_from).exclude(
            termination_date__lte=self.valid_from
        )

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            errors.setdefault("valid_until", []).append(
                _("“Valid until” must be after “valid from”.")
            )
        if self.termination_date:
            if self.valid_from and self.termination_date <= self.valid_from:
                errors.setdefault("termination_date", []).append(
                    _("The termination date must be after the start of the agreement.")
                )
            if not self.termination_reason.strip():
                errors.setdefault("termination_reason", []).append(
                    _("Give the reason for the termination.")
                )
        elif self.termination_reason.strip():
            errors.setdefault("termination_date", []).append(
                _("Give the termination date, or leave the reason empty.")
            )
        if not errors:
            clash = self.overlapping().first()
            if clash is not None:
                errors.setdefault("valid_from", []).append(
                    _(
                        "This period overlaps agreement %(ref)s of the same organisation "
                        "(%(start)s – %(end)s). Terminate or shorten it first."
                    )
                    % {
                        "ref": clash.reference_number,
                        "start": clash.valid_from.isoformat(),
                        "end": clash.last_day.isoformat(),
                    }
                )
        if errors:
            raise ValidationError(errors)


# --- Members ------------------------------------------------------------------------------------


class Expertise(models.TextChoices):
    LEGAL = "legal", _("Legal")
    MEDICAL = "medical", _("Medical doctor")
    PSYCHIATRIST = "psychiatrist", _("Psychiatrist")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    DISABILITY = "disability", _("Disability")
    MIGRATION = "migration", _("Migration and asylum")
    CHILD_RIGHTS = "child_rights", _("Child rights")
    INTERPRETER = "interpreter", _("Interpreter")


class Gender(models.TextChoices):
    UNSPECIFIED = "", _("Not stated")
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


class MemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def eligible_for_team_on(self, on_date: datetime.date):
        """Members who may join a visit team on that date (see services.member_team_eligibility)."""
        covering = Agreement.objects.active_on(on_date).covering_visits()
        return self.filter(
            active=True,
            pledge_signed_on__isnull=False,
            pledge_signed_on__lte=on_date,
            organisation__in=covering.values("organisation"),
        )


class Member(models.Model):
    """A person of a partner organisation who may take part in visits."""

    Expertise = Expertise
    Gender = Gender

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    expertise = models.CharField(_("expertise"), max_length=20, choices=Expertise.choices)
    expertise_note = models.CharField(
        _("expertise details"),
        max_length=255,
        blank=True,
        help_text=_("For example: forensic medicine, languages interpreted."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    active = models.BooleanField(_("active"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partner_member",
        help_text=_("Gives the member the Partner member role."),
    )
    pledge_signed_on = models.DateField(
        _("confidentiality pledge signed on"), null=True, blank=True
    )
    pledge_document = models.FileField(
        _("scanned pledge"),
        upload_to=document_upload_to,
        blank=True,
        validators=[validate_document],
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.CheckConstraint(
                condition=Q(expertise__in=Expertise.values), name="member_expertise_valid"
            ),
            models.CheckConstraint(
                condition=Q(gender__in=Gender.values), name="member_gender_valid"
            ),
        ]
        indexes = [models.Index(fields=["expertise", "active"])]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("partners:member_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def pledge_valid_on(self, on_date: datetime.date) -> bool:
        return self.pledge_signed_on is not None and self.pledge_signed_on <= on_date

    def participation(self):
        """The visit teams this member was on (the relation arrives with the visits app)."""
        if not hasattr(self, "team_memberships"):
            return []
        return self.team_memberships.select_related("visit__place").order_by("-pk")

    def clean(self) -> None:
        if self.pledge_document and not self.pledge_signed_on:
            raise ValidationError(
                {"pledge_signed_on": _("Give the date the scanned pledge was signed.")}
            )
