"""Members of partner organisations: the people who may take part in visits."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.uploads import document_upload_to, validate_document

from .agreements import Agreement
from .logins import linked_member
from .organisations import Organisation

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
    def visible_to(self, user):
        """NPM roles see every member; a partner member only their own profile."""
        if user.has_perm("partners.view_member"):
            return self
        member = linked_member(user)
        if member is None:
            return self.none()
        return self.filter(pk=member.pk)

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
        if self.pledge_signed_on and self.pledge_signed_on > timezone.localdate():
            # A pledge dated ahead would make the member eligible for teams on that day unseen.
            raise ValidationError(
                {
                    "pledge_signed_on": _(
                        "The confidentiality pledge cannot be dated in the future: record it "
                        "once it is signed."
                    )
                }
            )
