"""The public portal's search form: place, authority, theme, year and free text."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from recommendations.models import Recommendation, report_issued
from visits.models import Authority, Place, Report, Theme, Visit


def issued_reports():
    """Reports the public may see: issued ones, nothing else."""
    return Report.objects.issued()


def public_recommendations():
    """Recommendations the public may see: marked public, of an issued report."""
    return Recommendation.objects.public()


class PortalSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    place = forms.ModelChoiceField(
        label=_("Place"), queryset=Place.objects.none(), required=False, empty_label=_("Any")
    )
    authority = forms.ModelChoiceField(
        label=_("Authority (and below)"),
        queryset=Authority.objects.none(),
        required=False,
        empty_label=_("Any"),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.none(), required=False, empty_label=_("Any")
    )
    year = forms.TypedChoiceField(
        label=_("Year of the visit"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only what the portal shows is offered: places with an issued report, authorities
        # operating them or addressed by a public recommendation, themes of public ones.
        visits = Visit.objects.filter(report_issued())
        public = public_recommendations()
        self.fields["place"].queryset = Place.objects.filter(visits__in=visits).distinct()
        self.fields["authority"].queryset = (
            Authority.objects.filter(Q(places__visits__in=visits) | Q(recommendations__in=public))
            .distinct()
            .order_by("name")
        )
        self.fields["theme"].queryset = Theme.objects.filter(recommendations__in=public).distinct()
        years = visits.order_by("-year").values_list("year", flat=True).distinct()
        self.fields["year"].choices = [("", _("Any")), *((y, y) for y in years)]

    def filter_reports(self, reports):
        data = self.cleaned_data
        if data.get("place"):
            reports = reports.filter(visit__place=data["place"])
        if data.get("year"):
            reports = reports.filter(visit__year=data["year"])
        if data.get("authority"):
            ids = Authority.objects.subtree_ids(data["authority"])
            addressed = public_recommendations().filter(addressees__in=ids).values("visit_id")
            reports = reports.filter(
                Q(visit__place__authority_id__in=ids) | Q(visit_id__in=addressed)
            )
        if data.get("theme"):
            themed = public_recommendations().filter(theme=data["theme"]).values("visit_id")
            reports = reports.filter(visit_id__in=themed)
        if data.get("q", "").strip():
            text = data["q"].strip()
            reports = reports.filter(
                Q(reference__icontains=text)
                | Q(title__icontains=text)
                | Q(visit__place__name__icontains=text)
                | Q(visit__place__municipality__icontains=text)
            )
        return reports

    def filter_recommendations(self, recommendations):
        data = self.cleaned_data
        if data.get("place"):
            recommendations = recommendations.filter(visit__place=data["place"])
        if data.get("year"):
            recommendations = recommendations.filter(visit__year=data["year"])
        if data.get("authority"):
            through = Recommendation.addressees.through
            ids = Authority.objects.subtree_ids(data["authority"])
            recommendations = recommendations.filter(
                pk__in=through.objects.filter(authority_id__in=ids).values("recommendation_id")
            )
        if data.get("theme"):
            recommendations = recommendations.filter(theme=data["theme"])
        if data.get("q", "").strip():
            text = data["q"].strip()
            recommendations = recommendations.filter(
                Q(text__icontains=text)
                | Q(visit__place__name__icontains=text)
                | Q(visit__report__reference__icontains=text)
            )
        return recommendations
