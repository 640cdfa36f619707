"""Partner organisations and the public call that selects them.

Single-row rules live here (derived states, validation); rules spanning models are in services.py.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.names import SERBIAN_HELP, current

from .logins import linked_member

# --- Organisations ------------------------------------------------------------------------------


class OrganisationKind(models.TextChoices):
    ASSOCIATION = "association", _("Civil-society association")
    PROFESSIONAL = "professional", _("Professional body")
    INTERNATIONAL = "international", _("International organisation")
    FOREIGN_NPM = "foreign_npm", _("Foreign NPM")
    OWN_NPM = "own_npm", _("This NPM")


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """NPM roles see every organisation; a partner member only their own."""
        if user.has_perm("partners.view_organisation"):
            return self
        member = linked_member(user)
        if member is None:
            return self.none()
        return self.filter(pk=member.organisation_id)

    def active(self):
        return self.filter(active=True)

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(name__icontains=text)
            | Q(name_sr__icontains=text)
            | Q(short_name__icontains=text)
            | Q(focus_areas__icontains=text)
            | Q(country__icontains=text)
        )


class Organisation(models.Model):
    """A partner association, professional body, international organisation or another NPM."""

    Kind = OrganisationKind

    name = models.CharField(_("name"), max_length=255, unique=True)
    # Registry data, so its translation is too (as visits' Theme); Cyrillic is transliterated.
    name_sr = models.CharField(
        _("name in Serbian"), max_length=255, blank=True, help_text=SERBIAN_HELP
    )
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
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("partners:organisation_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        """The name in the current language: Serbian Latin or Cyrillic when set, else English."""
        return current(self.name, self.name_sr)

    @property
    def label(self) -> str:
        return self.short_name or self.display_name


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

    def clean(self) -> None:
        """Received on a real day, no later than the call's deadline (and not before it opened):
        a late application cannot compete, so it must not be recorded as if it could."""
        if not self.received_on:
            return
        if self.received_on > timezone.localdate():
            raise ValidationError(
                {"received_on": _("The date an application was received cannot be in the future.")}
            )
        call = self.call if self.call_id else None
        if call is None:
            return
        if self.received_on > call.application_deadline:
            raise ValidationError(
                {
                    "received_on": _(
                        "Received after the application deadline (%(deadline)s): a late "
                        "application cannot be recorded for this call."
                    )
                    % {"deadline": call.application_deadline.isoformat()}
                }
            )
        if self.received_on < call.published_on:
            raise ValidationError(
                {
                    "received_on": _(
                        "Received before the call was published (%(published)s): check the date."
                    )
                    % {"published": call.published_on.isoformat()}
                }
            )

    @property
    def on_time(self) -> bool:
        """Received within the call's window (not after its deadline, not in the future)."""
        return self.received_on <= min(self.call.application_deadline, timezone.localdate())
