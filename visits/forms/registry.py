"""Forms of the registry: authorities and places."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Authority, Place


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
            "district_sr",
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
