"""Confidential records: interviews, the identities of interviewees (encrypted at rest), follow-up
checks for reprisals. The access log is in access_log.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.crypto import EncryptedBooleanField, EncryptedCharField, EncryptedTextField

from .registry import Place
from .visit import Visit


class InterviewFormat(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    GROUP = "group", _("Group")


class Interviewee(models.TextChoices):
    DETAINEE = "detainee", _("Detainee / resident")
    STAFF = "staff", _("Staff")
    MANAGEMENT = "management", _("Management")
    MEDICAL = "medical", _("Medical staff")
    FAMILY = "family", _("Family")


class Consent(models.TextChoices):
    NONE = "none", _("No consent")
    ANONYMISED = "anonymised", _("Anonymised use")
    NAMED = "named", _("May be named")
    SHARE_WITH_AUTHORITY = "authority", _("May be shared with the authority")


class ReprisalRisk(models.TextChoices):
    NONE = "none", _("None")
    LOW = "low", _("Low")
    HIGH = "high", _("High")


class Interview(models.Model):
    """A confidential interview: pseudonymous code only; who it was lives in InterviewIdentity."""

    Format = InterviewFormat
    Interviewee = Interviewee
    Consent = Consent
    ReprisalRisk = ReprisalRisk

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.PROTECT, related_name="interviews"
    )
    sequence = models.PositiveIntegerField(_("number in the visit"), editable=False)
    code = models.CharField(_("code"), max_length=30, unique=True, editable=False)
    format = models.CharField(
        _("format"), max_length=20, choices=InterviewFormat.choices, default="individual"
    )
    # Who was interviewed, what they alleged, what they consented to and what they risk are
    # encrypted at rest like the notes and the identity (history copies too). The database cannot
    # filter or count them: do that in Python over rows the user may see. The choices are
    # checked on every write (core.crypto.EncryptedCharField), not by a check constraint.
    interviewee = EncryptedCharField(_("interviewee"), max_length=20, choices=Interviewee.choices)
    # Notes may identify the person.
    notes = EncryptedTextField(_("notes"), blank=True)
    allegation = EncryptedBooleanField(_("allegation of ill-treatment"), default=False)
    consent = EncryptedCharField(
        _("consent"), max_length=20, choices=Consent.choices, default=Consent.NONE
    )
    reprisal_risk = EncryptedCharField(
        _("reprisal risk"), max_length=10, choices=ReprisalRisk.choices, default=ReprisalRisk.NONE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    # What a partner member on the team may see; notes may identify the person, so they may not.
    PARTNER_FIELDS = ("code", "format", "interviewee", "allegation", "reprisal_risk")

    class Meta:
        ordering = ["visit", "sequence"]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        constraints = [
            models.UniqueConstraint(fields=["visit", "sequence"], name="interview_sequence_unique"),
            models.CheckConstraint(
                condition=Q(format__in=InterviewFormat.values), name="interview_format_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class InterviewIdentity(models.Model):
    """Who was interviewed. Every field is encrypted at rest; no history table keeps copies."""

    interview = models.OneToOneField(
        Interview, verbose_name=_("interview"), on_delete=models.CASCADE, related_name="identity"
    )
    full_name = EncryptedTextField(_("name"), blank=True)
    date_of_birth = EncryptedTextField(_("date of birth"), blank=True)
    location = EncryptedTextField(_("cell or room"), blank=True)
    other_identifiers = EncryptedTextField(_("other identifiers"), blank=True)
    # When it was recorded (for retention); re-encrypting on key rotation changes neither date.
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    FIELDS = ("full_name", "date_of_birth", "location", "other_identifiers")

    class Meta:
        verbose_name = _("interviewee identity")
        verbose_name_plural = _("interviewee identities")

    def __str__(self) -> str:
        return str(_("Identity for %(code)s") % {"code": self.interview.code})

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in self.FIELDS)


class FollowUpQuerySet(models.QuerySet):
    def open(self):
        return self.filter(checked_at__isnull=True)

    def visible_to(self, user):
        """Checks raised at visits the user may see: a follow-up names an interview and its
        reprisal risk, so a partner sees only those of the visits they are on."""
        return self.filter(visit__in=Visit.objects.visible_to(user))


def reprisal_check_text(code: str) -> str:
    """What a reprisal-risk check asks, in the active language."""
    return gettext(
        "High risk of reprisals after interview %(code)s: check on the interviewee's situation."
    ) % {"code": code}


class FollowUp(models.Model):
    """A check to make at a place (for now: possible reprisals after a high-risk interview).

    A check raised for an interview is generated: `text` says it in the reader's language (the
    stored description is in the language of whoever recorded the interview)."""

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("raised at visit"),
        on_delete=models.PROTECT,
        related_name="follow_ups_raised",
    )
    interview = models.ForeignKey(
        Interview,
        verbose_name=_("interview"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    description = models.TextField(_("what to check"))
    created_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    check_note = models.TextField(_("result of the check"), blank=True)
    history = HistoricalRecords()

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("follow-up item")
        verbose_name_plural = _("follow-up items")

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def text(self) -> str:
        """What to check, as shown: generated checks in the active language."""
        if self.interview_id is not None:
            return reprisal_check_text(self.interview.code)
        return self.description

    @property
    def is_open(self) -> bool:
        return self.checked_at is None
