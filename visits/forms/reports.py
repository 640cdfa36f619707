"""Forms of report drafting and review; the rules are in `visits.services` (reports,
sections, dispatch)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Authority, Dispatch, Report, ReportLanguage, SectionKind, Theme
from ..services import eligible_authors, suggested_addressees

# The largest value of a positive integer column (order, version) on every database.
MAX_INT = 2**31 - 1


class ReportForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=255,
        required=False,
        help_text=_("Leave empty for “Report on the visit to …”."),
    )
    language = forms.ChoiceField(
        label=_("Language and script"),
        choices=ReportLanguage.choices,
        initial=ReportLanguage.ENGLISH,
    )


class SectionSettingsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=SectionKind.choices, initial=SectionKind.OTHER
    )
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=None, required=False)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=MAX_INT, required=False)
    author = forms.ModelChoiceField(
        label=_("Author"),
        queryset=None,
        required=False,
        empty_label=_("— nobody yet —"),
        help_text=_("NPM staff, or a partner member on this visit's team."),
    )
    confidential = forms.BooleanField(
        label=_("Confidential"),
        required=False,
        help_text=_("Left out of the public version of the issued report."),
    )

    def __init__(self, *args, report: Report, **kwargs):
        from django.contrib.auth import get_user_model

        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(active=True)
        # Any user may be posted: the service says why an ineligible one is refused.
        self.fields["author"].queryset = get_user_model().objects.all()
        eligible = eligible_authors(report.visit).order_by("last_name", "first_name", "username")
        self.fields["author"].choices = [("", self.fields["author"].empty_label)] + [
            (user.pk, str(user)) for user in eligible
        ]


class SectionTextForm(forms.Form):
    body = forms.CharField(
        label=_("Text (Markdown)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18, "class": "font-monospace"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_INT)


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Review comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class DispatchForm(forms.Form):
    authority = forms.TypedChoiceField(label=_("Authority"), coerce=int)
    sent_on = forms.DateField(
        label=_("Sent on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=Dispatch.Channel.choices)
    full_version_shared = forms.BooleanField(
        label=_("Share the full version with this authority's portal users"),
        required=False,
        help_text=_(
            "Without it, the authority's users read the public version only. It can be changed "
            "later on the report page."
        ),
    )

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, **kwargs)
        suggested = suggested_addressees(report)
        sent = set(report.dispatches.values_list("authority_id", flat=True))
        others = Authority.objects.exclude(pk__in=[a.pk for a in suggested]).order_by("name")
        self.fields["authority"].choices = [
            ("", "—"),
            (_("Addressees of this place"), [(a.pk, a.name) for a in suggested]),
            (_("Other authorities"), [(a.pk, a.name) for a in others]),
        ]
        # The nearest addressee the report has not been sent to yet.
        pending = [a for a in suggested if a.pk not in sent]
        if pending:
            self.initial.setdefault("authority", pending[0].pk)
        self.initial.setdefault("sent_on", timezone.localdate())

    def clean_authority(self) -> Authority:
        try:
            return Authority.objects.get(pk=self.cleaned_data["authority"])
        except Authority.DoesNotExist as error:
            raise forms.ValidationError(_("Choose an authority.")) from error
