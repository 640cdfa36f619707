"""Webhook subscriptions (an endpoint, the events it wants, its signing secret) and the
delivery log (one row per event and subscription, updated by every attempt)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedCharField


class EventType(models.TextChoices):
    REPORT_ISSUED = "report.issued", _("A report was issued")
    RECOMMENDATION_STATUS_CHANGED = (
        "recommendation.status_changed",
        _("A recommendation's status changed"),
    )
    RESPONSE_RECORDED = "response.recorded", _("An authority's response was recorded or corrected")
    # Sent on request from the subscription's page; nobody subscribes to it.
    PING = "ping", _("Test event")


# What a subscription may choose.
SUBSCRIBABLE_EVENTS = [
    EventType.REPORT_ISSUED,
    EventType.RECOMMENDATION_STATUS_CHANGED,
    EventType.RESPONSE_RECORDED,
]


class WebhookSubscription(models.Model):
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(
        _("URL"),
        max_length=500,
        help_text=_("Where the events are posted: an https:// address on the public internet."),
    )
    events = models.JSONField(_("events"), default=list)
    # "whsec_" + base64 of 32 random bytes; encrypted at rest, shown once.
    secret = EncryptedCharField(_("signing secret"), max_length=100, editable=False)
    active = models.BooleanField(_("active"), default=True)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    secret_rotated_at = models.DateTimeField(
        _("secret rotated at"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("webhooks:deliveries", args=[self.pk])

    def wants(self, event_type: str) -> bool:
        return self.active and event_type in self.events

    def event_labels(self) -> list[str]:
        return [EventType(e).label for e in self.events if e in EventType.values]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    Status = DeliveryStatus

    subscription = models.ForeignKey(
        WebhookSubscription,
        verbose_name=_("subscription"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event_type = models.CharField(_("event"), max_length=50, choices=EventType.choices)
    # The `webhook-id` header: the same for every attempt, so the receiver can deduplicate.
    event_id = models.CharField(_("event id"), max_length=40, unique=True)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(
        _("last status code"), null=True, blank=True
    )
    last_error = models.CharField(_("last error"), max_length=255, blank=True)
    response_excerpt = models.CharField(_("response (start)"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="webhook_delivery_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["subscription", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"
