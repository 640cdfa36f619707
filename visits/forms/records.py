"""Forms of a visit's records: findings, interviews, attachments, the return operation and
follow-up checks."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.uploads import validate_attachment

from ..models import Finding, Interview, ReturnOperation, ReturnPhase, Visit


class FindingForm(forms.ModelForm):
    class Meta:
        model = Finding
        fields = [
            "theme",
            "kind",
            "text",
            "phase",
            "coercive_measures",
            "medical_issues",
            "attachments",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "coercive_measures": forms.Textarea(attrs={"rows": 2}),
            "medical_issues": forms.Textarea(attrs={"rows": 2}),
            "attachments": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, visit: Visit, attachments, **kwargs):
        super().__init__(*args, **kwargs)
        themes = self.fields["theme"].queryset.filter(active=True)
        if visit.is_forced_return:
            self.fields["phase"].required = True
        else:
            themes = themes.filter(forced_return=False)
            for name in ("phase", "coercive_measures", "medical_issues"):
                del self.fields[name]
        self.fields["theme"].queryset = themes
        self.fields["attachments"].queryset = attachments
        if not attachments:
            del self.fields["attachments"]


def reason_field(label=None) -> forms.CharField:
    # simple-history's change-reason column holds 100 characters.
    return forms.CharField(
        label=label or _("Reason for the change"),
        max_length=100,
        help_text=_("Kept in the history with the change."),
    )


class ReasonForm(forms.Form):
    """A deletion or reopening: the required reason only."""

    reason = reason_field(_("Reason"))


class FindingEditForm(FindingForm):
    reason = reason_field()


# How dates of birth are typed: ISO, Serbian (with or without the final dot) and day/month/year.
BIRTH_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%Y.", "%d. %m. %Y.", "%d/%m/%Y")


def clean_date_of_birth(text: str) -> str:
    """The date of birth stored as ISO ("1990-02-28"), or a year alone ("1990"); impossible dates
    (31/02/1990) and dates in the future are refused."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    today = timezone.localdate()
    if text.isdigit() and len(text) == 4:
        year = int(text)
        if not 1900 <= year <= today.year:
            raise forms.ValidationError(_("Check the year of birth."))
        return text
    for pattern in BIRTH_DATE_FORMATS:
        try:
            born = dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
        if born > today:
            raise forms.ValidationError(_("A date of birth cannot be in the future."))
        if born.year < 1900:
            raise forms.ValidationError(_("Check the year of birth."))
        return born.isoformat()
    raise forms.ValidationError(
        _("Enter a real date, such as 1990-02-28 or 28.02.1990, or the year alone.")
    )


class InterviewForm(forms.ModelForm):
    full_name = forms.CharField(label=_("Name"), required=False, max_length=200)
    date_of_birth = forms.CharField(
        label=_("Date of birth"),
        required=False,
        max_length=50,
        help_text=_("A date (1990-02-28 or 28.02.1990) or, when only that is known, the year."),
    )
    location = forms.CharField(label=_("Cell or room"), required=False, max_length=100)
    other_identifiers = forms.CharField(
        label=_("Other identifiers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    IDENTITY_FIELDS = ("full_name", "date_of_birth", "location", "other_identifiers")

    class Meta:
        model = Interview
        fields = ["format", "interviewee", "notes", "allegation", "consent", "reprisal_risk"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def clean_date_of_birth(self) -> str:
        return clean_date_of_birth(self.cleaned_data.get("date_of_birth", ""))

    def identity(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in self.IDENTITY_FIELDS}


class InterviewEditForm(forms.ModelForm):
    """Correcting an interview's record; the identity is changed by nobody here (it is shown
    only on deliberate reveal)."""

    reason = reason_field()

    class Meta:
        model = Interview
        fields = ["format", "interviewee", "notes", "allegation", "consent", "reprisal_risk"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File"))
    confidential = forms.BooleanField(
        label=_("Confidential"),
        required=False,
        help_text=_("Hidden from partner members and compliance officers."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.content_type = validate_attachment(upload)
        return upload


class ReturnOperationForm(forms.ModelForm):
    phases = forms.MultipleChoiceField(
        label=_("Phases monitored"),
        choices=ReturnPhase.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ReturnOperation
        fields = [
            "kind",
            "organising_state",
            "destination_state",
            "means",
            "returnees_men",
            "returnees_women",
            "returnees_children",
            "escorts",
            "phases",
        ]

    def clean_phases(self) -> list[str]:
        chosen = set(self.cleaned_data["phases"])
        return [p for p in ReturnPhase.values if p in chosen]


class FollowUpCheckForm(forms.Form):
    note = forms.CharField(
        label=_("What the check found"), widget=forms.Textarea(attrs={"rows": 3})
    )
