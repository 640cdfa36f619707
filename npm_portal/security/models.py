"""The security models: the two-factor devices (authenticator app, backup codes), one-time
enrolment links and the login failures the account- and address-wide lockouts count.

The devices are django-otp devices (`Device` with its throttling and timestamp mixins, like
django-otp's own TOTPDevice and StaticDevice), but nothing secret is stored in clear: the TOTP key
is encrypted with FIELD_ENCRYPTION_KEY, a backup code is kept only as a keyed hash, an enrolment
link only as the SHA-256 of its token, and the username of a failed login as a keyed hash.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from base64 import b32encode
from binascii import unhexlify
from os import urandom
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP
from django_otp.util import hex_validator, random_hex

from core.crypto import EncryptedTextField

BACKUP_CODE_SALT = "npm_portal.security.backup-code"


def default_key() -> str:
    """20 random bytes, hex-encoded (what django-otp's TOTPDevice uses)."""
    return random_hex(20)


def key_validator(value) -> None:
    hex_validator()(value)


class Authenticator(TimestampMixin, ThrottlingMixin, Device):
    """A TOTP authenticator app. Verification is django-otp's `TOTP`; a code is accepted once
    (`last_t` keeps the last time step used), and wrong codes are throttled (doubling delays)."""

    key = EncryptedTextField(default=default_key, validators=[key_validator], editable=False)
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    @property
    def bin_key(self) -> bytes:
        return unhexlify(self.key.encode())

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)

    def verify_token(self, token) -> bool:
        if not self.verify_is_allowed()[0]:
            return False
        try:
            token = int(token)
        except (TypeError, ValueError):
            verified = False
        else:
            totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
            totp.time = time.time()
            verified = totp.verify(token, self.tolerance, self.last_t + 1)
            if verified:
                self.last_t = totp.t()
                if getattr(settings, "OTP_TOTP_SYNC", True):
                    self.drift = totp.drift
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save()
        if not verified:
            self.throttle_increment(commit=True)
        return verified

    @property
    def config_url(self) -> str:
        """The otpauth:// URL the QR code holds."""
        issuer = str(getattr(settings, "OTP_TOTP_ISSUER", "") or "").replace(":", "")
        label = self.user.get_username()
        params = urlencode(
            {
                "secret": b32encode(self.bin_key),
                "algorithm": "SHA1",
                "digits": self.digits,
                "period": self.step,
            }
        )
        if issuer:
            label = f"{issuer}:{label}"
            params += f"&issuer={quote(issuer)}"
        return f"otpauth://totp/{quote(label)}?{params}"


def backup_code_digests(code: str) -> list[str]:
    """The keyed hashes of a backup code under SECRET_KEY and each of SECRET_KEY_FALLBACKS (the
    first is the one stored). Without the key, a database dump does not give the codes away."""
    normalised = "".join(code.split()).lower()
    secrets = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return [
        salted_hmac(BACKUP_CODE_SALT, normalised, secret=secret, algorithm="sha256").hexdigest()
        for secret in secrets
    ]


def random_backup_code() -> str:
    """Eight characters of base32 (40 bits), lowercase, as django-otp's static tokens."""
    return b32encode(urandom(5)).decode().lower()


class BackupCodes(TimestampMixin, ThrottlingMixin, Device):
    """The user's single-use backup codes (one device per user, holding the codes)."""

    class Meta(Device.Meta):
        verbose_name = _("backup codes")
        verbose_name_plural = _("backup codes")

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    def verify_token(self, token) -> bool:
        if not self.verify_is_allowed()[0]:
            return False
        digests = backup_code_digests(str(token))
        match = None
        for code in self.codes.all():
            # Every stored code is compared, each in constant time.
            if any(hmac.compare_digest(code.digest, digest) for digest in digests):
                match = code
        # The conditional delete makes the code single-use even for two requests at once.
        if match is not None and BackupCode.objects.filter(pk=match.pk).delete()[0]:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
            return True
        self.throttle_increment(commit=True)
        return False


class BackupCode(models.Model):
    """One backup code, as its keyed hash (HMAC-SHA256 with a key derived from SECRET_KEY)."""

    device = models.ForeignKey(BackupCodes, related_name="codes", on_delete=models.CASCADE)
    digest = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("backup code")
        verbose_name_plural = _("backup codes")
        default_permissions = ()

    def __str__(self) -> str:
        return str(_("backup code"))


class EnrolmentLinkQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())


class EnrolmentLink(models.Model):
    """A one-time link to set up an authenticator: for one user, valid NPM_ENROLMENT_LINK_HOURS,
    issued by the NPM head or an administrator. Only the SHA-256 of its token is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolment_links",
        verbose_name=_("user"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    created_at = models.DateTimeField(_("issued"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    emailed = models.BooleanField(_("sent by e-mail"), default=False)

    objects = EnrolmentLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment link")
        verbose_name_plural = _("enrolment links")
        ordering = ["-created_at", "-pk"]
        default_permissions = ("add", "view")

    def __str__(self) -> str:
        return str(_("Enrolment link for %(user)s") % {"user": self.user})

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def state(self) -> str:
        if self.used_at is not None:
            return "used"
        return "valid" if self.expires_at > timezone.now() else "expired"


class LoginFailure(models.Model):
    """A failed password check, for the account- and address-wide lockouts (django-axes keeps its
    own records per username and address). Rows older than the cool-off are deleted."""

    # Keyed hash of the username as typed (people type passwords into the username field).
    account = models.CharField(max_length=64)
    # The client address; an IPv6 address counts as its /64 network.
    address = models.CharField(max_length=64, blank=True)
    # The known-browser cookie the attempt came with, if any (its own hash).
    browser = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        default_permissions = ()
        indexes = [
            models.Index(fields=["account", "at"], name="npm_loginfail_account"),
            models.Index(fields=["address", "at"], name="npm_loginfail_address"),
            models.Index(fields=["browser", "at"], name="npm_loginfail_browser"),
            models.Index(fields=["at"], name="npm_loginfail_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.address}"
