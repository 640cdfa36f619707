from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NpmPortalConfig(AppConfig):
    name = "npm_portal"
    verbose_name = _("NPM Portal")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .security import checks  # noqa: F401 - registers the deploy checks
        from .security.admin_guard import hide_encrypted_fields
        from .security.history import forbid_history_reverts
        from .security.middleware import stamp_login

        # Session bookkeeping only: the login time the absolute session lifetime counts from.
        user_logged_in.connect(stamp_login, dispatch_uid="npm_stamp_login")
        # History in the admin is read-only, in every app.
        forbid_history_reverts()
        # …and shows no confidential (encrypted) field anywhere.
        hide_encrypted_fields()
