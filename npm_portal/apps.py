from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NpmPortalConfig(AppConfig):
    name = "npm_portal"
    verbose_name = _("NPM Portal")
