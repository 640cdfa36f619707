"""Forms of visits: planning, conducting, cancelling, the team and the population on the day."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Place, TeamRole, Visit, VisitKind

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
