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


class OfferedChoiceField(forms.ModelChoiceField):
    """Offers only `offered`, accepts any of `queryset`: a choice that became ineligible since
    the page was drawn reaches the service, which says why it is refused."""

    def offer(self, offered) -> None:
        self.offered = offered
        self.widget.choices = self.choices

    def _get_choices(self):
        choices = super()._get_choices()
        if getattr(self, "offered", None) is not None:
            choices.queryset = self.offered
        return choices

    choices = property(_get_choices, forms.ChoiceField.choices.fset)


class TeamMemberForm(forms.Form):
    user = OfferedChoiceField(
        label=_("NPM staff"), queryset=None, required=False, empty_label=_("—")
    )
    member = OfferedChoiceField(
        label=_("or partner member"), queryset=None, required=False, empty_label=_("—")
    )
    role = forms.ChoiceField(label=_("Role"), choices=TeamRole.choices, initial=TeamRole.MEMBER)

    def __init__(self, *args, visit: Visit, **kwargs):
        from partners.models import Member

        from ..services.team import npm_team_users, team_candidates

        super().__init__(*args, **kwargs)
        # Only whom the team may take: eligible on the day of the visit and not on it yet.
        users, members = team_candidates(visit=visit)
        self.fields["user"].queryset = npm_team_users()
        self.fields["member"].queryset = Member.objects.active().select_related("organisation")
        self.fields["user"].offer(users)
        self.fields["member"].offer(members)
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
            if present and data.get("capacity_on_day") == 0:
                self.add_error(
                    "capacity_on_day",
                    _("A capacity of 0 with people present: leave it empty if it is not known."),
                )
        return data

    def save(self, commit: bool = True) -> Visit:
        # Saving the same figures again is no change: no new row in the visit's history.
        if not self.has_changed():
            return self.instance
        return super().save(commit=commit)
