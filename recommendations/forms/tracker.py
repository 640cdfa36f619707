"""Forms of the tracker and of recommendation authoring."""

from __future__ import annotations

import json

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from visits.models import Authority, Theme, Visit

from ..models import Priority, Recommendation, report_issued
from ..queries.repeats import earlier_than

# The largest id a database column holds: a larger number is an unknown id, not a 500.
MAX_ID = 2**63 - 1


def as_id(value) -> int | None:
    """A posted id as an int, or None when it is not a positive number a column can hold."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Django checks the ids with `pk__in`, which overflows on a huge number: refuse those first
    as an invalid choice."""

    def _check_values(self, value):
        for pk in value:
            if str(pk).strip().lstrip("-").isdigit() and as_id(pk) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class AuthorityChoiceField(IdsChoiceField):
    def label_from_instance(self, obj: Authority) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


def themes_for(visit: Visit, current: Theme | None = None):
    """Active themes; forced-return themes only on forced-return visits; the current theme kept."""
    themes = Q(active=True)
    if not visit.is_forced_return:
        themes &= Q(forced_return=False)
    if current is not None:
        themes |= Q(pk=current.pk)
    return Theme.objects.filter(themes).order_by("order", "name")


def offered_addressees(visit: Visit, instance: Recommendation | None, allowed) -> list[Authority]:
    """The addressees offered as checkboxes, among `allowed`: the report's dispatch addressees
    first, then the place's operating authority and the bodies above it (its ministry), then
    the recommendation's current addressees."""
    offered: list[Authority] = []
    report = getattr(visit, "report", None)  # None: no report yet
    if report is not None:
        offered += [d.authority for d in report.dispatches.select_related("authority")]
    authority = visit.place.authority
    if authority is not None:
        offered += [authority, *authority.ancestors()]
    if instance is not None:
        offered += list(instance.addressees.all())
    allowed_ids = set(allowed.filter(pk__in=[a.pk for a in offered]).values_list("pk", flat=True))
    seen: set[int] = set()
    result = []
    for a in offered:
        if a.pk in allowed_ids and a.pk not in seen:
            seen.add(a.pk)
            result.append(a)
    return result


class RecommendationForm(forms.Form):
    """Create or edit a recommendation. After the report is issued `frozen=True` disables text,
    addressees and priority (the service refuses them too)."""

    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One recommendation: what the authority should do."),
    )
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.none(), required=False)
    # Checkboxes (no Ctrl-click): the authorities the report went to, then the place's
    # institution and the bodies above it up to the ministry; any other active authority through
    # `other_addressee`. Both are checked against the same queryset of active authorities.
    addressees = AuthorityChoiceField(
        label=_("Addressees"),
        queryset=Authority.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The institution and the responsible ministry: tick each one."),
    )
    other_addressee = forms.ModelChoiceField(
        label=_("Another addressee"),
        queryset=Authority.objects.none(),
        required=False,
        help_text=_("Only for an authority not listed above."),
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    public = forms.BooleanField(
        label=_("Public"),
        required=False,
        help_text=_("Shown on the public portal once the report is issued."),
    )
    repeats = IdsChoiceField(
        label=_("Repeats earlier recommendations"),
        queryset=Recommendation.objects.none(),
        required=False,
        widget=forms.MultipleHiddenInput,
    )

    def __init__(self, *args, visit: Visit, instance: Recommendation | None = None, **kwargs):
        self.visit = visit
        self.instance = instance
        self.frozen = False
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes_for(visit, instance.theme if instance else None)
        authorities = Q(active=True)
        if instance is not None:
            authorities |= Q(pk__in=instance.addressees.values("pk"))
        allowed = Authority.objects.filter(authorities).order_by("name")
        self.fields["addressees"].queryset = allowed
        self.fields["other_addressee"].queryset = allowed
        self.fields["addressees"].widget.choices = [
            (a.pk, self.fields["addressees"].label_from_instance(a))
            for a in offered_addressees(visit, instance, allowed)
        ]
        earlier = Recommendation.objects.filter(earlier_than(visit))
        if instance is not None:
            # Repeats of an existing recommendation are linked on its page, not with this form.
            del self.fields["repeats"]
        else:
            self.fields["repeats"].queryset = earlier

    def ask_for_suggestions(self, url: str, values: dict, include: str) -> None:
        """Reload the repeat suggestions (htmx) when the text or the theme changes."""
        for name, trigger in (("text", "change, keyup changed delay:800ms"), ("theme", "change")):
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": url,
                    "hx-trigger": trigger,
                    "hx-target": "#repeat-suggestions",
                    "hx-include": include,
                    "hx-vals": json.dumps(values),
                    "hx-sync": "this:replace",
                }
            )

    def freeze(self) -> None:
        """The report is issued: only theme and the public flag may change."""
        self.frozen = True
        for name in ("text", "addressees", "priority"):
            self.fields[name].disabled = True
        del self.fields["other_addressee"]

    def clean(self):
        cleaned = super().clean()
        if "addressees" in self.errors or "other_addressee" in self.errors:
            return cleaned
        addressees = list(cleaned.get("addressees") or [])
        other = cleaned.pop("other_addressee", None)
        if other is not None and other not in addressees:
            addressees.append(other)
        if not addressees:
            self.add_error(
                "addressees", _("Choose at least one addressee: the institution or the ministry.")
            )
        cleaned["addressees"] = addressees
        return cleaned

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write the recommendation's text."))
        return text


class VisitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Visit) -> str:
        return f"{obj.reference} · {obj.place.name}"


class ChooseVisitForm(forms.Form):
    """Which visit a new recommendation belongs to: conducted ones whose report is not issued."""

    visit = VisitChoiceField(label=_("Visit"), queryset=Visit.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visit"].queryset = (
            Visit.objects.filter(status__in=[Visit.Status.CONDUCTED, Visit.Status.REPORTING])
            .exclude(report_issued())
            .select_related("place")
            .order_by("-year", "-number")
        )


class BulkAction:
    THEME = "theme"
    PUBLIC = "public"
    NOT_PUBLIC = "not_public"

    choices = [
        (THEME, _("Assign theme")),
        (PUBLIC, _("Mark public")),
        (NOT_PUBLIC, _("Mark not public")),
    ]


class BulkForm(forms.Form):
    ids = IdsChoiceField(
        queryset=Recommendation.objects.all(),
        error_messages={"required": _("Select at least one recommendation.")},
    )
    action = forms.ChoiceField(label=_("Action"), choices=BulkAction.choices)
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.filter(active=True), required=False
    )
    # Publishing cannot be taken back from whoever has already seen the portal: it is applied
    # only from the confirmation page, which posts this.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("action") == BulkAction.THEME and not data.get("theme"):
            self.add_error("theme", _("Choose the theme to assign."))
        return data

    @property
    def needs_confirmation(self) -> bool:
        return self.cleaned_data["action"] == BulkAction.PUBLIC and not self.cleaned_data.get(
            "confirmed"
        )

    def publication_summary(self) -> dict:
        """What "Mark public" would do: how many become public, and of those how many the
        portal shows at once (their report is issued) or only once their report is issued."""
        selected = self.cleaned_data["ids"]
        becoming = selected.filter(public=False)
        count = becoming.count()
        at_once = becoming.issued().count()
        return {
            "selected": len(selected),
            "becoming": count,
            "at_once": at_once,
            "later": count - at_once,
            "already": len(selected) - count,
            "references": [
                rec.reference
                for rec in becoming.select_related("visit__report").order_by("visit_id", "number")
            ],
        }
