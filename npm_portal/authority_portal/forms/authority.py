"""Forms of the authority area: the recommendation filters, an answer, an evidence file, the
validating authority's return comment."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.uploads import ALLOWED_LABEL
from recommendations.forms.compliance import DateInput
from recommendations.models import STATED_STATUSES, Status
from visits.models import Authority

from .. import services
from ..models import Position


class Show(models.TextChoices):
    OPEN = "open", _("Open")
    OVERDUE = "overdue", _("Overdue")
    DUE_SOON = "due_soon", _("Due soon")
    ANSWERED = "answered", _("Answered")
    ALL = "all", _("All")


class AddresseeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, authority: Authority) -> str:
        return authority.name


class RecommendationFilterForm(forms.Form):
    """The filters of "My recommendations" (kept in the query string). The addressee select
    lists the account's subtree only, and only when the node has nodes below it."""

    show = forms.ChoiceField(label=_("Show"), choices=Show.choices, required=False)
    q = forms.CharField(
        label=_("Report reference"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "NPM-2026-002"}),
    )
    addressee = AddresseeChoiceField(
        label=_("Addressee"), queryset=Authority.objects.none(), required=False
    )

    def __init__(self, *args, subtree: set[int], due_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["show"].choices = [
            (
                value,
                _("Due within %(days)s days") % {"days": due_days}
                if value == "due_soon"
                else label,
            )
            for value, label in Show.choices
        ]
        if len(subtree) > 1:
            self.fields["addressee"].queryset = Authority.objects.filter(pk__in=subtree).order_by(
                "name"
            )
        else:
            del self.fields["addressee"]

    def cleaned(self) -> dict:
        """The valid filters (an invalid one is ignored, never a 500)."""
        data = {"show": Show.OPEN, "q": "", "addressee": None}
        if self.is_bound:
            self.is_valid()
            for key in data:
                if key in self.fields and key not in self.errors:
                    value = self.cleaned_data.get(key)
                    if value not in (None, ""):
                        data[key] = value
        return data


POSITION_CHOICES = [("", "---------"), *Position.choices]
STATUS_CHOICES = [("", "---------")] + [(Status(s).value, Status(s).label) for s in STATED_STATUSES]


class AnswerForm(forms.Form):
    """One answer; the rules are `services.answer_errors`, shown next to the fields."""

    position = forms.ChoiceField(label=_("Position"), choices=POSITION_CHOICES, required=False)
    stated_status = forms.ChoiceField(
        label=_("State of implementation"), choices=STATUS_CHOICES, required=False
    )
    measures = forms.CharField(
        label=_("Measures taken or planned"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    promised_by = forms.DateField(
        label=_("Promised completion"), required=False, widget=DateInput()
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if any(name in self.errors for name in ("position", "stated_status", "promised_by")):
            return data
        errors = services.answer_errors(
            position=data.get("position") or "",
            stated_status=data.get("stated_status") or "",
            measures=data.get("measures") or "",
            promised_by=data.get("promised_by"),
        )
        for field, message in errors.items():
            self.add_error(field, message)
        return data


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Evidence file"),
        help_text=ALLOWED_LABEL,
        widget=forms.ClearableFileInput(attrs={"class": "form-control form-control-sm"}),
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What needs to change"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
