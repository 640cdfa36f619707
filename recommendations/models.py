from django.db import models
from django.utils.translation import gettext_lazy as _


class Theme(models.Model):
    """The thematic vocabulary used for findings, report sections and recommendations."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=150, unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    # Themes of forced-return monitoring are offered only on forced-return visits.
    forced_return = models.BooleanField(_("forced-return monitoring"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name
