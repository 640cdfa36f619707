"""Forms of the compliance pages: response letters, assessments, follow-up checks."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.uploads import ALLOWED_LABEL, validate_attachment
from visits.models import TOOK_PLACE_STATUSES, Authority, Visit

from ..models import (
    STATED_STATUSES,
    AuthorityResponse,
    Basis,
    Progress,
    Reason,
    Recommendation,
    Status,
    report_issued,
)
from ..services import ASSESSED_STATUSES
from .tracker import as_id


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _status_choices(statuses) -> list[tuple[str, str]]:
    return [("", "---------")] + [(Status(s).value, Status(s).label) for s in statuses]


REASON_CHOICES = [("", _("— no reason —")), *Reason.choices]


class VisitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, visit: Visit) -> str:
        return f"{visit.report.reference} · {visit.place.name} ({visit.reference})"


class ResponseStartForm(forms.Form):
    """Step 1 of entering a letter: which report and which authority it answers."""

    visit = VisitChoiceField(
        label=_("Report"),
        queryset=Visit.objects.none(),
        help_text=_("Only issued reports can be answered."),
    )
    authority = forms.ModelChoiceField(label=_("Authority"), queryset=Authority.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visit"].queryset = (
            Visit.objects.filter(report_issued())
            .select_related("place", "report")
            .order_by("-report__issued_on", "-pk")
        )
        # Once a report is chosen, offer only the authorities its recommendations address.
        addressed = Recommendation.objects.issued()
        visit_pk = as_id(self.data.get("visit") if self.is_bound else self.initial.get("visit"))
        if visit_pk is not None:
            addressed = addressed.filter(visit_id=visit_pk)
        self.fields["authority"].queryset = Authority.objects.filter(
            pk__in=addressed.values("addressees")
        ).order_by("name")


class ResponseLetterForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)
    document = forms.FileField(
        label=_("Letter (scan)"),
        required=False,
        help_text=_("Accepted: %(types)s.") % {"types": ALLOWED_LABEL},
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future."))
        return value

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload:
            validate_attachment(upload)
        return upload


class ResponseRowForm(forms.Form):
    """One recommendation in the letter: included or not, and what the authority states."""

    include = forms.BooleanField(
        label=_("Answered in this letter"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    stated_status = forms.ChoiceField(
        label=_("Stated status"),
        choices=_status_choices(STATED_STATUSES),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )
    promised_by = forms.DateField(
        label=_("Promised completion"),
        required=False,
        widget=DateInput(attrs={"class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, recommendation: Recommendation, **kwargs):
        kwargs.setdefault("prefix", f"rec-{recommendation.pk}")
        super().__init__(*args, **kwargs)
        self.recommendation = recommendation
        # The table's header names the columns; screen readers get the row too.
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = f"{field.label} ({recommendation.reference})"

    def clean(self):
        data = super().clean()
        if data.get("include") and not data.get("stated_status"):
            self.add_error("stated_status", _("Choose what the authority states."))
        return data


class AssessmentForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=_status_choices(ASSESSED_STATUSES))
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=REASON_CHOICES,
        required=False,
        help_text=_("Required when partially or not implemented."),
    )
    basis = forms.ChoiceField(label=_("Basis"), choices=Basis.choices)
    response = forms.ModelChoiceField(
        label=_("Authority response"),
        queryset=AuthorityResponse.objects.none(),
        required=False,
        help_text=_("When the basis is the authority's response."),
    )
    follow_up_visit = forms.ModelChoiceField(
        label=_("Follow-up visit"),
        queryset=Visit.objects.none(),
        required=False,
        help_text=_("When the basis is a follow-up visit (it counts as verified on site)."),
    )
    verified_on_site = forms.BooleanField(label=_("Verified on site"), required=False)
    progress = forms.ChoiceField(
        label=_("Progress"),
        choices=[("", _("— not judged —")), *Progress.choices],
        required=False,
        help_text=_(
            "Optional, at follow-up: how far the authority has come since the report, beside "
            "the status (no meaningful, insufficient, reasonable or good progress)."
        ),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput())

    def __init__(self, *args, recommendation: Recommendation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["response"].queryset = (
            AuthorityResponse.objects.filter(items__recommendation=recommendation)
            .select_related("authority")
            .distinct()
        )
        self.fields["follow_up_visit"].queryset = (
            Visit.objects.filter(
                place_id=recommendation.visit.place_id, status__in=TOOK_PLACE_STATUSES
            )
            .exclude(pk=recommendation.visit_id)
            .select_related("place")
        )
        if not self.is_bound:
            self.initial.setdefault("assessed_on", timezone.localdate())
            latest = self.fields["response"].queryset.first()
            if latest is not None:
                self.initial.setdefault("basis", Basis.RESPONSE)
                self.initial.setdefault("response", latest.pk)


class FollowUpCheckForm(forms.Form):
    observation = forms.CharField(label=_("Seen on site"), widget=forms.Textarea(attrs={"rows": 2}))
    status = forms.ChoiceField(label=_("Status"), choices=_status_choices(ASSESSED_STATUSES))
    reason = forms.ChoiceField(label=_("Reason"), choices=REASON_CHOICES, required=False)
    progress = forms.ChoiceField(
        label=_("Progress"),
        choices=[("", _("— not judged —")), *Progress.choices],
        required=False,
    )
