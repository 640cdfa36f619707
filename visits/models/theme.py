"""The thematic vocabulary shared by findings, report sections and recommendations."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.translit import to_cyrillic


class Theme(models.Model):
    """The thematic vocabulary used for findings, report sections and recommendations."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=150, unique=True)
    # The vocabulary is data, so its translation is too; Cyrillic is transliterated from it.
    name_sr = models.CharField(_("name in Serbian"), max_length=150, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    # Themes of forced-return monitoring are offered only on forced-return visits.
    forced_return = models.BooleanField(_("forced-return monitoring"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the current language: Serbian Latin or Cyrillic when set, else English."""
        language = (get_language() or "").lower()
        if not language.startswith("sr") or not self.name_sr:
            return self.name
        return self.name_sr if language == "sr-latn" else to_cyrillic(self.name_sr)
