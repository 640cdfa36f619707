"""Forms of the registry: authorities and places."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Authority, District, Place
from ..models.registry import district_key


class AuthorityForm(forms.ModelForm):
    class Meta:
        model = Authority
        fields = [
            "name",
            "name_sr",
            "short_name",
            "kind",
            "parent",
            "address",
            "email",
            "phone",
            "active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Authority.objects.order_by("name")
        if self.instance.pk:
            # Offer only bodies that would not create a loop.
            parents = parents.exclude(pk__in=Authority.objects.subtree_ids(self.instance))
        self.fields["parent"].queryset = parents


class PlaceForm(forms.ModelForm):
    # Chosen from the list admins keep (about thirty); the place keeps its names as text.
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.all(),
        to_field_name="name",
        empty_label=_("Choose a district"),
        help_text=_("Missing from the list? An administrator adds it."),
    )

    class Meta:
        model = Place
        fields = [
            "name",
            "name_sr",
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
        if self.instance.pk and self.instance.district and not self.is_bound:
            # A district stored before the list (or spelt differently): its entry in the list.
            match = District.objects.filter(folded_name=district_key(self.instance.district))
            self.initial["district"] = match.values_list("name", flat=True).first()

    def clean(self):
        data = super().clean()
        district = data.get("district")
        if isinstance(district, District):
            self.instance.district_sr = district.name_sr
            data["district"] = district.name
        return data

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        # Compared in Python: SQLite's case-insensitive match ignores non-ASCII letters (Š/š).
        others = Place.objects.exclude(pk=self.instance.pk).values_list("name", flat=True)
        if any(other.casefold() == name.casefold() for other in others.iterator()):
            raise forms.ValidationError(_("A place with this name is already registered."))
        return name
