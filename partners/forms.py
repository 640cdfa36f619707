from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.roles import NPM_GROUPS, PARTNER_GROUP

from .models import (
    Agreement,
    Application,
    Event,
    EventParticipant,
    Member,
    Network,
    NetworkChair,
    NetworkMeeting,
    NetworkMembership,
    Organisation,
    Project,
    ProjectResult,
    PublicCall,
    WorkingGroup,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ParentSetForm(forms.ModelForm):
    """A form for a row whose parent (call, network, event, project) comes from the URL.

    The parent is not a form field, so Django would skip the unique constraints that include it;
    check them anyway so a duplicate is an error on the form, not a 500.
    """

    parent_field = ""

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        exclusions.discard(self.parent_field)
        return exclusions


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "name_sr",
            "short_name",
            "kind",
            "country",
            "focus_areas",
            "contact_person",
            "email",
            "phone",
            "address",
            "website",
            "active",
        ]
        widgets = {"focus_areas": _textarea()}

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        # Compared in Python: SQLite's case-insensitive match ignores non-ASCII letters.
        others = Organisation.objects.exclude(pk=self.instance.pk).values_list("name", flat=True)
        if any(other.casefold() == name.casefold() for other in others.iterator()):
            raise ValidationError(_("An organisation with this name already exists."))
        return name


class PublicCallForm(forms.ModelForm):
    class Meta:
        model = PublicCall
        fields = ["title", "gazette_reference", "published_on", "application_deadline", "text"]
        widgets = {
            "published_on": DateInput(),
            "application_deadline": DateInput(),
            "text": _textarea(8),
        }


class ApplicationForm(ParentSetForm):
    parent_field = "call"

    class Meta:
        model = Application
        fields = ["organisation", "received_on", "notes"]
        widgets = {"received_on": DateInput(), "notes": _textarea(2)}

    def __init__(self, *args, call: PublicCall, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.call = call
        self.fields["organisation"].queryset = Organisation.objects.filter(active=True)


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("Decision number"), max_length=100)
    decided_on = forms.DateField(label=_("Decision date"), widget=DateInput())
    selected = forms.ModelMultipleChoiceField(
        label=_("Selected organisations"),
        queryset=Application.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every other application to this call is marked as not selected."),
    )

    def __init__(self, *args, call: PublicCall, **kwargs):
        super().__init__(*args, **kwargs)
        applications = call.applications.select_related("organisation")
        self.fields["selected"].queryset = applications
        self.fields["selected"].label_from_instance = self._label
        if not self.is_bound:
            self.initial.setdefault("number", call.decision_number)
            self.initial.setdefault("decided_on", call.decision_date)
            self.initial.setdefault(
                "selected", [a.pk for a in applications if a.outcome == a.Outcome.SELECTED]
            )

    @staticmethod
    def _label(application: Application) -> str:
        if application.on_time:
            return application.organisation.name
        return _("%(name)s (received after the deadline: cannot be selected)") % {
            "name": application.organisation.name
        }


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = [
            "organisation",
            "call",
            "reference_number",
            "signed_on",
            "valid_from",
            "valid_until",
            *Agreement.SCOPE_FIELDS,
            "document",
            "termination_date",
            "termination_reason",
            "notes",
        ]
        widgets = {
            "signed_on": DateInput(),
            "valid_from": DateInput(),
            "valid_until": DateInput(),
            "termination_date": DateInput(),
            "termination_reason": _textarea(2),
            "notes": _textarea(2),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png"


def linkable_users(member: Member | None = None):
    """Logins a member profile may be linked to: active, in the partner group, in no NPM role,
    not an administrator, and not linked to another member."""
    linked = Member.objects.exclude(user=None)
    if member is not None and member.pk:
        linked = linked.exclude(pk=member.pk)
    return (
        get_user_model()
        .objects.filter(is_active=True, is_superuser=False, groups__name=PARTNER_GROUP)
        .exclude(groups__name__in=NPM_GROUPS)
        .exclude(pk__in=linked.values("user"))
        .order_by("username")
    )


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = [
            "organisation",
            "first_name",
            "last_name",
            "gender",
            "expertise",
            "expertise_note",
            "email",
            "phone",
            "active",
            "user",
            "pledge_signed_on",
            "pledge_document",
            "notes",
        ]
        widgets = {"pledge_signed_on": DateInput(), "notes": _textarea(2)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        field.queryset = linkable_users(self.instance)
        field.label_from_instance = lambda u: f"{u.username} ({u})"
        field.help_text = _(
            "Only active logins with the “Partner member” role that no other member uses. "
            "Give the person that role first (NPM staff accounts cannot be linked)."
        )
        field.error_messages["invalid_choice"] = _(
            "This login cannot be linked: choose an active login with the “Partner member” role "
            "and no NPM role, not linked to another member."
        )
        self.fields["pledge_document"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png"


class NetworkForm(forms.ModelForm):
    class Meta:
        model = Network
        fields = ["name", "short_name", "established_on", "description"]
        widgets = {"established_on": DateInput(), "description": _textarea(4)}


class NetworkMembershipForm(ParentSetForm):
    parent_field = "network"

    class Meta:
        model = NetworkMembership
        fields = ["organisation", "status", "joined_on", "left_on"]
        widgets = {"joined_on": DateInput(), "left_on": DateInput()}

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network

    def clean(self):
        cleaned = super().clean()
        joined, left = cleaned.get("joined_on"), cleaned.get("left_on")
        if joined and left and left < joined:
            self.add_error("left_on", _("Cannot leave before joining."))
        return cleaned


class NetworkChairForm(ParentSetForm):
    parent_field = "network"

    class Meta:
        model = NetworkChair
        fields = ["year", "organisation", "chairperson"]

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
        self.fields["organisation"].queryset = Organisation.objects.filter(
            network_memberships__network=network
        )

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not 1990 <= year <= 2100:
            raise ValidationError(_("Give a year such as 2024."))
        return year


class NetworkMeetingForm(ParentSetForm):
    parent_field = "network"

    class Meta:
        model = NetworkMeeting
        fields = ["title", "working_group", "starts_on", "ends_on", "location", "host", "notes"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "notes": _textarea(3)}

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
        self.fields["working_group"].queryset = network.working_groups.all()


class WorkingGroupForm(ParentSetForm):
    parent_field = "network"

    class Meta:
        model = WorkingGroup
        fields = ["name", "description"]
        widgets = {"description": _textarea(3)}

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "starts_on",
            "ends_on",
            "location",
            "organiser",
            "organisations",
            "description",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": _textarea(4),
            "organisations": forms.SelectMultiple(attrs={"size": 6}),
        }


class EventParticipantForm(ParentSetForm):
    parent_field = "event"

    class Meta:
        model = EventParticipant
        fields = ["user", "member", "name", "affiliation", "role"]

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.event = event
        self.fields["user"].queryset = get_user_model().objects.filter(is_active=True)
        self.fields["member"].queryset = Member.objects.select_related("organisation")


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "organisation",
            "partner_organisations",
            "title",
            "donor",
            "budget",
            "currency",
            "starts_on",
            "ends_on",
            "objectives",
            "target_groups",
            "description",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "objectives": _textarea(4),
            "target_groups": _textarea(3),
            "description": _textarea(4),
            "partner_organisations": forms.SelectMultiple(attrs={"size": 6}),
        }

    def clean_budget(self):
        budget = self.cleaned_data.get("budget")
        if budget is not None and budget < 0:
            raise ValidationError(_("The budget cannot be negative."))
        return budget


class ProjectResultForm(ParentSetForm):
    parent_field = "project"

    class Meta:
        model = ProjectResult
        fields = ["order", "description", "indicator", "target_value", "achieved_value"]
        widgets = {"description": _textarea(3)}

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        for name in ("target_value", "achieved_value"):
            self.fields[name].min_value = 0
            self.fields[name].widget.attrs["min"] = 0

    def clean(self):
        cleaned = super().clean()
        for name in ("target_value", "achieved_value"):
            value = cleaned.get(name)
            if value is not None and value < 0:
                self.add_error(name, _("Cannot be negative."))
        return cleaned
