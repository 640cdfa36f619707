from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Delivery


class PreferenceForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("E-mail me about my notifications"),
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Notifications always appear in the app. E-mails carry references and a link, never "
            "the text of a section or a review comment."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language of my notifications"),
        choices=settings.LANGUAGES,
        help_text=_("Notifications in the app and their e-mails are written in this language."),
    )
