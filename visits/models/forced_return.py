"""Forced-return monitoring: the return operation a monitoring visit observed."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .visit import ReturnPhase, Visit


class ReturnOperationKind(models.TextChoices):
    NATIONAL = "national", _("National operation")
    JOINT_FRONTEX = "joint_frontex", _("Joint operation (FRONTEX)")
    COLLECTING = "collecting", _("Collecting operation")


class ReturnMeans(models.TextChoices):
    AIR = "air", _("Air")
    LAND = "land", _("Land")


class ReturnOperation(models.Model):
    """The forced-return operation a monitoring visit observed."""

    Kind = ReturnOperationKind
    Means = ReturnMeans

    visit = models.OneToOneField(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="return_operation"
    )
    kind = models.CharField(_("operation"), max_length=20, choices=ReturnOperationKind.choices)
    organising_state = models.CharField(_("organising state"), max_length=100)
    destination_state = models.CharField(_("destination state"), max_length=100)
    means = models.CharField(_("means"), max_length=10, choices=ReturnMeans.choices)
    returnees_men = models.PositiveIntegerField(_("returnees: men"), default=0)
    returnees_women = models.PositiveIntegerField(_("returnees: women"), default=0)
    returnees_children = models.PositiveIntegerField(_("returnees: children"), default=0)
    escorts = models.PositiveIntegerField(_("escorts"), default=0)
    phases = models.JSONField(_("phases monitored"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("return operation")
        verbose_name_plural = _("return operations")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ReturnOperationKind.values), name="return_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(means__in=ReturnMeans.values), name="return_means_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.destination_state}"

    @property
    def returnees(self) -> int:
        return self.returnees_men + self.returnees_women + self.returnees_children

    def phase_labels(self) -> list[str]:
        labels = dict(ReturnPhase.choices)
        return [labels[p] for p in ReturnPhase.values if p in self.phases]
