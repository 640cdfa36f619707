"""Forms of the NPM side: inviting authority users, filtering accounts and the inbox, the
question to an authority."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from visits.models import Authority

from ..models import AuthorityFunction, ReviewState

ACTIVE_CHOICES = [("", _("Any")), ("yes", _("Active")), ("no", _("Deactivated"))]


class AuthorityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, authority: Authority) -> str:
        return authority.name


class AccountInviteForm(forms.Form):
    # The registry holds a few hundred authorities: a select of the active ones stays bounded.
    authority = AuthorityChoiceField(
        label=_("Authority"),
        queryset=Authority.objects.none(),
        help_text=_("The user sees this authority and the bodies below it."),
    )
    function = forms.ChoiceField(
        label=_("Function"),
        choices=[("", "---------"), *AuthorityFunction.choices],
        help_text=_(
            "Focal points and alternates draft answers; the validating authority signs them off."
        ),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=150,
        help_text=_("The invitation goes here; it is also the user's login name."),
    )
    position = forms.CharField(
        label=pgettext_lazy("job title", "Position"),
        max_length=200,
        required=False,
        help_text=_("As the authority gives it, e.g. “Head of the legal department”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = Authority.objects.filter(active=True).order_by("name")


class AccountFilterForm(forms.Form):
    authority = forms.CharField(label=_("Authority"), max_length=100, required=False)
    function = forms.ChoiceField(
        label=_("Function"), choices=[("", _("Any")), *AuthorityFunction.choices], required=False
    )
    active = forms.ChoiceField(label=_("State"), choices=ACTIVE_CHOICES, required=False)


class InboxFilterForm(forms.Form):
    review = forms.ChoiceField(
        label=_("Review"), choices=[("", _("Any")), *ReviewState.choices], required=False
    )
    authority = forms.CharField(label=_("Authority"), max_length=100, required=False)
    report = forms.CharField(label=_("Report reference"), max_length=50, required=False)


class ClarifyForm(forms.Form):
    question = forms.CharField(
        label=_("Question to the authority"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_(
            "The authority's users read it and answer with a new submission. Write nothing "
            "confidential here."
        ),
    )
