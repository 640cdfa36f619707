"""The public portal's search form: place, authority, theme, year and free text."""

from __future__ import annotations

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from core.search import folded_contains
from recommendations.cache import cached
from recommendations.models import Recommendation, report_issued
from recommendations.queries.filters import search_q
from visits.lookups import authority_field, place_field
from visits.models import Authority, Place, Report, ReportStatus, Theme, Visit

# The portal's report search, folded (core.search): case, diacritics and script do not matter.
# The portal's report search: the report's reference and title, its place's names and town.
PORTAL_REPORT_OWN_FIELDS = ("reference", "title")
PORTAL_PLACE_FIELDS = ("name", "name_sr", "municipality")


def issued_reports():
    """Reports the public may see: issued ones, nothing else."""
    return Report.objects.issued()


def public_recommendations():
    """Recommendations the public may see: marked public, of an issued report."""
    return Recommendation.objects.public()


def public_places():
    """Places with an issued report (EXISTS per place: the suggestions filter names first)."""
    issued = Visit.objects.filter(report_issued(), place_id=OuterRef("pk"))
    return Place.objects.filter(Exists(issued))


def public_authorities():
    """Authorities operating a place with an issued report, or addressed by a public
    recommendation. EXISTS per authority, never one join under OR with DISTINCT: at a decade's
    data that join multiplies to tens of millions of rows."""
    operated = Place.objects.filter(authority_id=OuterRef("pk")).filter(
        Exists(Visit.objects.filter(report_issued(), place_id=OuterRef("pk")))
    )
    addressed = Recommendation.addressees.through.objects.filter(
        authority_id=OuterRef("pk"),
        recommendation__public=True,
        recommendation__visit__report__status=ReportStatus.ISSUED,
    )
    return Authority.objects.filter(Q(Exists(operated)) | Q(Exists(addressed)))


def _years() -> list[int]:
    """The years of visits with an issued report, newest first (kept until the next write)."""

    def compute() -> list[int]:
        visits = Visit.objects.filter(report_issued()).order_by("-year")
        return list(visits.values_list("year", flat=True).distinct())

    return cached("portal-years", (), compute)


def _theme_ids() -> list[int]:
    """The themes of public recommendations (kept until the next write): an EXISTS per theme,
    which stops at its first public recommendation, not a read of every public one (27 ms at
    116,000, and the theme list is on every portal page)."""

    def compute() -> list[int]:
        public = public_recommendations().filter(theme_id=OuterRef("pk"))
        return list(Theme.objects.filter(Exists(public)).values_list("pk", flat=True))

    return cached("portal-themes", (), compute)


class PortalSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.none(), required=False, empty_label=_("Any")
    )
    year = forms.TypedChoiceField(
        label=_("Year of the visit"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only what the portal shows is offered and accepted: places with an issued report,
        # authorities operating them or addressed by a public recommendation (typed boxes with
        # suggestions, `portal:lookup`: both tables grow without bound), themes of public ones.
        self.fields["place"] = place_field(
            public_places(),
            url=reverse_lazy("portal:lookup", args=["place"]),
            label=_("Place"),
            required=False,
        )
        self.fields["authority"] = authority_field(
            public_authorities(),
            url=reverse_lazy("portal:lookup", args=["authority"]),
            label=_("Authority (and below)"),
            required=False,
        )
        self.order_fields(["q", "place", "authority", "theme", "year"])
        self.fields["theme"].queryset = Theme.objects.filter(pk__in=_theme_ids())
        self.fields["year"].choices = [("", _("Any")), *((y, y) for y in _years())]

    def filter_reports(self, reports):
        data = self.cleaned_data
        if data.get("place"):
            reports = reports.filter(visit__place=data["place"])
        if data.get("year"):
            reports = reports.filter(visit__year=data["year"])
        if data.get("authority"):
            ids = Authority.objects.subtree_ids(data["authority"])
            # EXISTS per report (the newest first, off the reports' index, stop at the page),
            # not an OR over a join of every public recommendation of the subtree.
            addressed = Recommendation.addressees.through.objects.filter(
                authority_id__in=ids,
                recommendation__visit_id=OuterRef("visit_id"),
                recommendation__public=True,
            )
            reports = reports.filter(Q(visit__place__authority_id__in=ids) | Q(Exists(addressed)))
        if data.get("theme"):
            themed = public_recommendations().filter(theme=data["theme"]).values("visit_id")
            reports = reports.filter(visit_id__in=themed)
        if data.get("q", "").strip():
            text = data["q"].strip()
            # One set of report keys, through the folded trigram indexes (the reports', the
            # places'): the union of two index scans, not the folding of every report's and
            # place's text across the join, nor an OR the planner answers by joining every
            # issued report to its visit before testing it.
            own = Report.objects.filter(folded_contains(PORTAL_REPORT_OWN_FIELDS, text))
            places = Place.objects.filter(folded_contains(PORTAL_PLACE_FIELDS, text))
            at_places = Report.objects.filter(visit__place_id__in=places.values("pk"))
            matching = own.order_by().values("pk").union(at_places.order_by().values("pk"))
            reports = reports.filter(pk__in=matching)
        return reports

    def filter_recommendations(self, recommendations, *, walk: bool = False):
        """`walk`: the text search as one OR (`search_q`), for walking the list's order."""
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
            recommendations = recommendations.filter(search_q(data["q"].strip(), walk=walk))
        return recommendations
