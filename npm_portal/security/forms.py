from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate, get_user_model
from django.utils.translation import gettext_lazy as _

from .twofactor import has_confirmed_device, is_throttled, match_code


class TokenField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Code"))
        kwargs.setdefault("max_length", 16)
        kwargs.setdefault(
            "help_text", _("The 6-digit code from your authenticator app, or a backup code.")
        )
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        return "".join(super().clean(value).split()).lower()


class OTPVerifyForm(forms.Form):
    """A code from any confirmed device of the user: authenticator or a backup code. A code
    that was used once is refused (the authenticator keeps the last time step; backup codes are
    deleted on use)."""

    token = TokenField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_token(self) -> str:
        token = self.cleaned_data["token"]
        throttled = is_throttled(self.user)  # before this attempt counts as another failure
        self.device = match_code(self.user, token)
        if self.device is None:
            if throttled:
                raise forms.ValidationError(
                    _("Too many wrong codes. Wait a few seconds, then try the next code.")
                )
            raise forms.ValidationError(_("This code is not valid. Try the next one."))
        return token


class EnrolForm(forms.Form):
    token = TokenField(help_text=_("The 6-digit code your authenticator app shows now."))

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self) -> str:
        token = self.cleaned_data["token"]
        if not self.device.verify_token(token):
            raise forms.ValidationError(
                _("This code does not match. Check the time on your phone and try again.")
            )
        return token


class ReauthenticateForm(forms.Form):
    """Password, and a code when the user has an authenticator. Failures count towards the
    login lockout (the password goes through `authenticate`)."""

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    token = TokenField(required=False)

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = request.user
        self.needs_token = has_confirmed_device(self.user)
        if not self.needs_token:
            del self.fields["token"]
        else:
            self.fields["token"].required = True

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            user = authenticate(self.request, username=self.user.get_username(), password=password)
            if user is None or user.pk != self.user.pk:
                raise forms.ValidationError(_("The password or the code is not correct."))
        token = cleaned.get("token")
        if self.needs_token and token and match_code(self.user, token) is None:
            raise forms.ValidationError(_("The password or the code is not correct."))
        return cleaned


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        full_name = obj.get_full_name()
        return f"{full_name} ({obj.username})" if full_name else obj.username


class EnrolmentLinkForm(forms.Form):
    """Issue a one-time enrolment link for a user (see `enrolment.link_issue`)."""

    user = UserChoiceField(
        label=_("User"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        help_text=_(
            "A new link replaces any unused one. Their current authenticator, if any, keeps "
            "working until they confirm the new one."
        ),
    )
    send_email = forms.BooleanField(
        label=_("Also send it to the user's e-mail address"), required=False
    )
