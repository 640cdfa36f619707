from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

# The security models (two-factor devices, enrolment links, login failures) live beside the code
# that uses them, in npm_portal.security.
from .security.models import (  # noqa: F401
    Authenticator,
    BackupCode,
    BackupCodes,
    EnrolmentLink,
    LoginFailure,
)


class User(AbstractUser):
    """A login account. Roles are groups (see `core.roles`)."""

    class Gender(models.TextChoices):
        UNSPECIFIED = "", _("Not stated")
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")

    # Visit teams should include a woman where women are held: the team check needs to know.
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username
