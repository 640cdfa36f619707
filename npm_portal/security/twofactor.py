"""Two-factor login: TOTP authenticators and single-use backup codes (the project's own
django-otp devices in `security.models`: the TOTP key encrypted, backup codes hashed), and the
re-authentication stamp protected actions check."""

from __future__ import annotations

import base64
import io
import time
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django_otp import user_has_device

from .models import (
    Authenticator,
    BackupCode,
    BackupCodes,
    backup_code_digests,
    random_backup_code,
)

# The re-authentication contract, shared with apps that cannot import this module (visits):
# `session[REAUTH_SESSION_KEY]` holds the epoch seconds of the last password + code check.
REAUTH_SESSION_KEY = "npm_reauth_at"
BACKUP_DEVICE_NAME = "backup"
AUTHENTICATOR_NAME = "authenticator"


def match_code(user, code: str):
    """The confirmed device that accepts `code`, or None. Six digits go to the authenticator, all
    else to the backup codes, so a backup code does not count as a failed authenticator attempt
    (django-otp throttles each device after failures). The device rows are locked while the code
    is checked, so one code cannot be accepted twice by two requests at once."""
    model = Authenticator if code.isdigit() and len(code) == 6 else BackupCodes
    with transaction.atomic():
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            if device.verify_token(code):
                return device
    return None


def is_throttled(user) -> bool:
    """django-otp refuses every code for a while after wrong ones (doubling each time)."""
    return any(
        not device.verify_is_allowed()[0]
        for device in Authenticator.objects.devices_for_user(user, confirmed=True)
    )


def has_confirmed_device(user) -> bool:
    return user_has_device(user, confirmed=True)


def pending_authenticator(user) -> Authenticator:
    """The not yet confirmed authenticator of an enrolment in progress (created on first use)."""
    device = Authenticator.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = Authenticator.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def qr_code_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI for an <img> (the CSP allows data: images, not inline SVG
    styles)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def secret_for_display(device: Authenticator) -> str:
    """The key in base32 (what authenticator apps accept when typed), in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def authenticator_confirm(*, user, device: Authenticator) -> None:
    """The enrolled authenticator replaces any earlier one (a lost phone's stops working only
    now, not when an enrolment link is issued)."""
    Authenticator.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])


@transaction.atomic
def backup_codes_create(*, user) -> list[str]:
    """New single-use backup codes; the old ones stop working. Shown once: only their keyed
    hashes are stored."""
    device, _created = BackupCodes.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.codes.all().delete()
    codes = [random_backup_code() for _ in range(settings.NPM_BACKUP_CODES)]
    BackupCode.objects.bulk_create(
        BackupCode(device=device, digest=backup_code_digests(code)[0]) for code in codes
    )
    return codes


def backup_codes_left(user) -> int:
    return BackupCode.objects.filter(device__user=user, device__confirmed=True).count()


def is_backup_code_device(device) -> bool:
    return isinstance(device, BackupCodes)


def reauthenticated_recently(request: HttpRequest) -> bool:
    at = request.session.get(REAUTH_SESSION_KEY)
    return at is not None and 0 <= time.time() - at <= settings.NPM_REAUTH_SECONDS


def reauth_redirect(request: HttpRequest) -> HttpResponseRedirect | None:
    """None when the user confirmed password (and code) recently; otherwise the redirect to the
    re-authentication page, which comes back here. Visits has the same check in `access.py`."""
    if not settings.NPM_REQUIRE_REAUTH or reauthenticated_recently(request):
        return None
    return HttpResponseRedirect(
        reverse("reauthenticate") + "?" + urlencode({"next": request.get_full_path()})
    )


def reveal_guard(request: HttpRequest) -> HttpResponseRedirect | None:
    """`NPM_REVEAL_GUARD` for visits' interview page: a fresh password (and code) before an
    identity is revealed. Users who may not reveal at all are left to visits, which refuses and
    logs the attempt."""
    from visits.access import may_reveal_identity
    from visits.models import Visit

    visit = Visit.objects.filter(pk=request.resolver_match.kwargs.get("pk")).first()
    if visit is None or not may_reveal_identity(request.user, visit):
        return None
    return reauth_redirect(request)
