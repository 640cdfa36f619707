from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import DEFAULT_LIFETIME, MAX_LIFETIME

LIFETIME_DAYS = (7, 30, 90, 180, 365)


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the script or tool that uses it."),
    )
    scopes = forms.ChoiceField(
        label=_("Scopes"),
        choices=[
            ("read", _("Read: fetch the records you may see")),
            ("read+write", _("Read and write: also add and change what you may change")),
        ],
        initial="read",
        widget=forms.RadioSelect,
    )
    lifetime = forms.TypedChoiceField(
        label=_("Expires after"),
        coerce=int,
        choices=[(days, _("%(days)d days") % {"days": days}) for days in LIFETIME_DAYS],
        initial=DEFAULT_LIFETIME.days,
        help_text=_("At most %(days)d days. Make a new token when it expires.")
        % {"days": MAX_LIFETIME.days},
    )

    def clean_scopes(self) -> list[str]:
        return self.cleaned_data["scopes"].split("+")

    def expires_at(self) -> dt.datetime:
        return timezone.now() + dt.timedelta(days=self.cleaned_data["lifetime"])
