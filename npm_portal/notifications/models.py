"""In-app notifications and each user's choice of how they arrive by e-mail.

A notification's `title` and `reference` are built from references (report and visit numbers,
section titles): never from a section's text or a review comment. `detail` (the review comment
of a returned section) is shown in the app only, behind the login, and never e-mailed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    SECTION_ASSIGNED = "section_assigned", _("Section assigned to you")
    SECTION_RETURNED = "section_returned", _("Section returned to you")
    SECTION_SUBMITTED = "section_submitted", _("Section submitted for review")
    APPROVAL_NEEDED = "approval_needed", _("Report awaiting approval")
    REPORT_ISSUED = "report_issued", _("Report issued")
    RESPONSES_OVERDUE = "responses_overdue", _("Responses overdue")


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("One e-mail for each notification")
    DIGEST = "digest", _("One e-mail a day with all of them (daily digest)")
    OFF = "off", _("No e-mail (in the app only)")


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_user(self, user):
        """The user's own notifications; a partner's only of visits they are still on (a
        member taken off a team no longer sees what was sent to them about it)."""
        from core.roles import is_partner_only
        from visits.models import Visit

        mine = self.filter(recipient=user)
        if is_partner_only(user):
            return mine.filter(Q(visit__isnull=True) | Q(visit__in=Visit.objects.visible_to(user)))
        return mine


class Notification(models.Model):
    Kind = Kind

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    # The report, visit or recommendation numbers the notification is about (the e-mail's
    # subject is built from this and the kind only).
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    # In the app only (a returned section's review comment): never in an e-mail.
    detail = models.TextField(_("detail"), blank=True)
    url = models.CharField(_("link"), max_length=500)
    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("visit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # E-mail: waiting for the daily digest (`email_pending`), or sent (`emailed_at`).
    email_pending = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values), name="notification_kind_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox"),
            # The daily digest's work: few rows are pending at any time.
            models.Index(
                fields=["email_pending"],
                condition=Q(email_pending=True),
                name="notification_digest_pending",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """How a user's notifications reach them by e-mail (they always appear in the app), and in
    which language they are written. No row means the defaults: immediate, the site's
    language."""

    Delivery = Delivery

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    delivery = models.CharField(
        _("e-mail"), max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    # The language notifications are written in, in the app and by e-mail; blank: the site's
    # (LANGUAGE_CODE).
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(delivery__in=Delivery.values), name="notification_delivery_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_delivery_display()}"
