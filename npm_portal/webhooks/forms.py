from django import forms
from django.utils.translation import gettext_lazy as _

from . import transport
from .models import SUBSCRIBABLE_EVENTS


class SubscriptionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    # Checked by the service (https only, public addresses only), message next to the field.
    url = forms.CharField(
        label=_("URL"),
        max_length=500,
        help_text=_("An https:// address on the public internet; events are posted to it."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(e.value, e.label) for e in SUBSCRIBABLE_EVENTS],
        widget=forms.CheckboxSelectMultiple,
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What receives the events, and who runs it."),
    )

    def clean_url(self) -> str:
        # The service checks it again; here so the message stands even when another field is
        # wrong too.
        url = self.cleaned_data["url"].strip()
        transport.check_url(url)
        return url
