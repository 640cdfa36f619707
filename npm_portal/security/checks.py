"""`manage.py check --deploy` warnings for security settings turned off in production."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_security_settings(app_configs, **kwargs) -> list[Warning]:
    warnings = []
    if not settings.NPM_REQUIRE_2FA:
        warnings.append(
            Warning(
                "Two-factor login is off (NPM_REQUIRE_2FA).",
                hint="Every role must use a second factor in production: set NPM_REQUIRE_2FA=1.",
                id="npm_portal.W101",
            )
        )
    if not settings.NPM_REQUIRE_REAUTH:
        warnings.append(
            Warning(
                "Revealing an identity does not ask for the password again (NPM_REQUIRE_REAUTH).",
                hint="Set NPM_REQUIRE_REAUTH=1.",
                id="npm_portal.W102",
            )
        )
    return warnings
