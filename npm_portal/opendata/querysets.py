"""What open data may show: exactly what the portal shows, from the portal's own querysets."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch

from npm_portal.portal.forms import issued_reports, public_recommendations
from recommendations.models import Recommendation, report_issued
from visits.models import Authority, Place, Visit


def open_reports():
    return issued_reports().select_related("visit__place")


def open_recommendations():
    return (
        public_recommendations()
        .select_related("visit__place", "visit__report", "theme")
        .prefetch_related(
            Prefetch("addressees", queryset=Authority.objects.only("id", "name").order_by("name"))
        )
    )


def open_places():
    """Places with an issued report (a semi-join: no DISTINCT over a join)."""
    return Place.objects.filter(pk__in=Visit.objects.filter(report_issued()).values("place_id"))


def open_authorities():
    """Authorities the portal names: operating a place with an issued report, or addressed by a
    public recommendation. Two EXISTS probes per row, never a join over every recommendation."""
    through = Recommendation.addressees.through
    operates = Place.objects.filter(
        authority_id=OuterRef("pk"),
        pk__in=Visit.objects.filter(report_issued()).values("place_id"),
    )
    addressed = through.objects.filter(
        authority_id=OuterRef("pk"),
        recommendation_id__in=public_recommendations().values("pk"),
    )
    return Authority.objects.filter(Exists(operates) | Exists(addressed))
