from django.conf import settings
from django.core.checks import Error, Warning, register
from django.core.exceptions import ImproperlyConfigured


@register()
def field_encryption_key_check(app_configs, **kwargs):
    from core.crypto import fernet

    messages = []
    try:
        fernet()
    except ImproperlyConfigured as error:
        messages.append(
            Error(
                str(error),
                hint='Generate a key with: python -c "from cryptography.fernet import Fernet; '
                'print(Fernet.generate_key().decode())"',
                id="visits.E001",
            )
        )
    if getattr(settings, "FIELD_ENCRYPTION_KEY_DERIVED", False) and not settings.DEBUG:
        messages.append(
            Warning(
                "FIELD_ENCRYPTION_KEY is not set: interviewee identities are encrypted with a key "
                "derived from SECRET_KEY.",
                hint="Set FIELD_ENCRYPTION_KEY to one or more Fernet keys (comma-separated) and "
                "run `manage.py rotate_field_encryption`.",
                id="visits.W001",
            )
        )
    return messages
