import datetime as dt

import pytest
from django_otp.oath import TOTP

from npm_portal.security.models import (
    Authenticator,
    BackupCode,
    BackupCodes,
    backup_code_digests,
)

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def code_for(device: Authenticator, *, at: float | None = None) -> str:
    """The code an authenticator app shows now (or at `at`, in epoch seconds)."""
    import time

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


@pytest.fixture
def two_factor_on(settings):
    settings.NPM_REQUIRE_2FA = True
    settings.NPM_REQUIRE_REAUTH = True


@pytest.fixture
def authenticator():
    """Give a user a confirmed authenticator and two backup codes."""

    def _give(user) -> Authenticator:
        device = Authenticator.objects.create(user=user, name="authenticator", confirmed=True)
        backup = BackupCodes.objects.create(user=user, name="backup", confirmed=True)
        for code in ("backup01", "backup02"):
            BackupCode.objects.create(device=backup, digest=backup_code_digests(code)[0])
        return device

    return _give
