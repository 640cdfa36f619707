"""Cooperation agreements with partner organisations; their state is derived from their dates."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.uploads import document_upload_to, validate_document

from .logins import linked_member
from .organisations import Application, Organisation, PublicCall

ONE_DAY = datetime.timedelta(days=1)


def expiry_window_days() -> int:
    """Agreements ending within this many days are "expiring" (shown and reminded)."""
    return getattr(settings, "NPM_AGREEMENT_EXPIRY_DAYS", 60)


# --- Agreements ---------------------------------------------------------------------------------


class AgreementState(models.TextChoices):
    DRAFT = "draft", _("Draft / not in force yet")
    ACTIVE = "active", _("Active")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """NPM roles see every agreement; a partner member their own organisation's."""
        if user.has_perm("partners.view_agreement"):
            return self
        member = linked_member(user)
        if member is None:
            return self.none()
        return self.filter(organisation_id=member.organisation_id)

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
        self._check_selected_by_call(errors)
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

    def _check_selected_by_call(self, errors: dict[str, list]) -> None:
        """An agreement under a public call is only for an organisation its decision selected."""
        if not (self.call_id and self.organisation_id):
            return
        call = self.call
        if not call.decided:
            errors.setdefault("call", []).append(
                _(
                    "The selection decision of this call is not recorded yet: record it before "
                    "an agreement under the call."
                )
            )
            return
        selected = call.applications.filter(
            organisation_id=self.organisation_id, outcome=Application.Outcome.SELECTED
        )
        if not selected.exists():
            errors.setdefault("organisation", []).append(
                _(
                    "%(organisation)s was not selected by decision %(number)s of this call: an "
                    "agreement under the call can only be made with a selected organisation."
                )
                % {"organisation": self.organisation.label, "number": call.decision_number}
            )
