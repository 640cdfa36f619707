from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuthorityPortalConfig(AppConfig):
    name = "npm_portal.authority_portal"
    label = "authority_portal"
    verbose_name = _("Authority portal")
    default_auto_field = "django.db.models.BigAutoField"
