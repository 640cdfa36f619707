from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import (
    Authority,
    Finding,
    Interview,
    Place,
    ReturnOperation,
    ReturnPhase,
    TeamRole,
    Visit,
    VisitKind,
)
from .uploads import validate_attachment


class AuthorityForm(forms.ModelForm):
    class Meta:
        model = Authority
        fields = ["name", "short_name", "kind", "parent", "address", "email", "phone", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Authority.objects.order_by("name")
        if self.instance.pk:
            # Offer only bodies that would not create a loop.
            parents = parents.exclude(pk__in=Authority.objects.subtree_ids(self.instance))
        self.fields["parent"].queryset = parents


class PlaceForm(forms.ModelForm):
    class Meta:
        model = Place
        fields = [
            "name",
            "category",
            "authority",
            "address",
            "municipality",
            "district",
            "capacity",
            "holds_women",
            "holds_minors",
            "notes",
            "active",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = Authority.objects.filter(active=True).order_by("name")
        if self.instance.pk and self.instance.authority_id:
            # Keep the current authority selectable even if it was deactivated since.
            self.fields["authority"].queryset = (
                Authority.objects.filter(pk=self.instance.authority_id)
                | self.fields["authority"].queryset
            )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        # Compared in Python: SQLite's case-insensitive match ignores non-ASCII letters (Š/š).
        others = Place.objects.exclude(pk=self.instance.pk).values_list("name", flat=True)
        if any(other.casefold() == name.casefold() for other in others.iterator()):
            raise forms.ValidationError(_("A place with this name is already registered."))
        return name


# --- Visits -------------------------------------------------------------------------------------

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def datetime_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


class VisitForm(forms.ModelForm):
    class Meta:
        model = Visit
        fields = [
            "place",
            "kind",
            "announced",
            "joint_with",
            "planned_start",
            "planned_end",
            "purpose",
        ]
        widgets = {
            "planned_start": datetime_widget(),
            "planned_end": datetime_widget(),
            "purpose": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "planned_start": _(
                "Local time. A visit covering any time from 22:00 to 06:00 is a night visit."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.active().select_related("authority")

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end <= start:
            self.add_error("planned_end", _("The end must be after the start."))
        if data.get("kind") == VisitKind.JOINT and not (data.get("joint_with") or "").strip():
            self.add_error("joint_with", _("Say which NPM or body the visit is joint with."))
        return data


class ConductForm(forms.Form):
    actual_start = forms.DateTimeField(label=_("Actual start"), widget=datetime_widget())
    actual_end = forms.DateTimeField(label=_("Actual end"), widget=datetime_widget())

    def clean(self):
        data = super().clean()
        start, end = data.get("actual_start"), data.get("actual_end")
        if start and end and end <= start:
            self.add_error("actual_end", _("The end must be after the start."))
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class TeamMemberForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("NPM staff"), queryset=None, required=False, empty_label=_("—")
    )
    member = forms.ModelChoiceField(
        label=_("or partner member"), queryset=None, required=False, empty_label=_("—")
    )
    role = forms.ChoiceField(label=_("Role"), choices=TeamRole.choices, initial=TeamRole.MEMBER)

    def __init__(self, *args, **kwargs):
        from django.contrib.auth import get_user_model

        from partners.models import Member

        super().__init__(*args, **kwargs)
        # NPM staff: whoever may change visits, i.e. staff and head (partners may not).
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(
                is_active=True,
                groups__permissions__codename="change_visit",
                groups__permissions__content_type__app_label="visits",
            )
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.fields["member"].queryset = Member.objects.active().select_related("organisation")
        self.fields["member"].label_from_instance = lambda m: (
            f"{m.full_name} ({m.organisation.label}, {m.get_expertise_display()})"
        )

    def clean(self):
        data = super().clean()
        if bool(data.get("user")) == bool(data.get("member")):
            raise forms.ValidationError(_("Choose either an NPM staff member or a partner member."))
        return data


class PopulationForm(forms.ModelForm):
    class Meta:
        model = Visit
        fields = ["capacity_on_day", "present", "women", "minors", "foreigners"]

    def clean(self):
        data = super().clean()
        present = data.get("present")
        if present is not None:
            for name in ("women", "minors", "foreigners"):
                value = data.get(name)
                if value is not None and value > present:
                    self.add_error(name, _("Cannot be more than the number present."))
        return data


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


class InterviewForm(forms.ModelForm):
    full_name = forms.CharField(label=_("Name"), required=False, max_length=200)
    date_of_birth = forms.CharField(label=_("Date of birth"), required=False, max_length=50)
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

    def identity(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in self.IDENTITY_FIELDS}


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


def apply_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the form's fields (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
