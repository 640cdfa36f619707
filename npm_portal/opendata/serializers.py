"""The open-data records: every field listed here by name (never a ModelSerializer, so a new model
field never reaches the public by itself), and the same record in the JSON pages and both bulk
files. The data dictionary (`dictionary.py`) describes exactly these fields."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from recommendations.models import Reason, Recommendation, Status
from visits.models import PlaceCategory, Report, ReportLanguage, VisitKind

from . import vocabulary


def _absolute(context: dict, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


def _local_date(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value is not None else None


class OpenDataPlaceSerializer(serializers.Serializer):
    name = serializers.CharField()
    category = serializers.ChoiceField(choices=PlaceCategory.choices)
    municipality = serializers.CharField()
    district = serializers.CharField()


class OpenDataThemeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="label")


class OpenDataReportRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, report: Report) -> str:
        return _absolute(self.context, reverse("opendata:report-detail", args=[report.pk]))


class OpenDataReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    reference = serializers.CharField()
    title = serializers.CharField()
    language = serializers.ChoiceField(choices=ReportLanguage.choices)
    issued_on = serializers.DateField(allow_null=True)
    visit_year = serializers.IntegerField(source="visit.year")
    visit_kind = serializers.ChoiceField(source="visit.kind", choices=VisitKind.choices)
    visit_start = serializers.SerializerMethodField()
    visit_end = serializers.SerializerMethodField()
    place = OpenDataPlaceSerializer(source="visit.place")
    public_pdf_url = serializers.SerializerMethodField()
    public_pdf_sha256 = serializers.SerializerMethodField()
    recommendations_url = serializers.SerializerMethodField()

    def get_url(self, report: Report) -> str:
        return _absolute(self.context, reverse("opendata:report-detail", args=[report.pk]))

    def get_visit_start(self, report: Report) -> dt.date | None:
        visit = report.visit
        return _local_date(visit.actual_start or visit.planned_start)

    def get_visit_end(self, report: Report) -> dt.date | None:
        visit = report.visit
        return _local_date(visit.actual_end or visit.planned_end)

    def get_public_pdf_url(self, report: Report) -> str | None:
        # The portal's own link, once the public version is stored (never the full PDF).
        if not (report.public_pdf and report.public_pdf_sha256):
            return None
        return _absolute(self.context, reverse("portal:report_pdf", args=[report.pk]))

    def get_public_pdf_sha256(self, report: Report) -> str | None:
        return report.public_pdf_sha256 if report.public_pdf else None

    def get_recommendations_url(self, report: Report) -> str:
        path = reverse("opendata:recommendation-list") + f"?report={report.pk}"
        return _absolute(self.context, path)


class OpenDataRecommendationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    portal_url = serializers.SerializerMethodField()
    reference = serializers.CharField()
    number = serializers.IntegerField()
    text = serializers.CharField()
    report = OpenDataReportRefSerializer(source="visit.report")
    issued_on = serializers.DateField(source="visit.report.issued_on", allow_null=True)
    visit_year = serializers.IntegerField(source="visit.year")
    visit_kind = serializers.ChoiceField(source="visit.kind", choices=VisitKind.choices)
    place = OpenDataPlaceSerializer(source="visit.place")
    theme = OpenDataThemeSerializer(allow_null=True)
    addressees = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Status.choices)
    reason = serializers.SerializerMethodField()
    status_since = serializers.DateField(source="status_changed_on", allow_null=True)
    verified_on_site = serializers.BooleanField()
    dispatched_on = serializers.DateField(allow_null=True)
    due_date = serializers.DateField(allow_null=True)
    responded_on = serializers.DateField(allow_null=True)
    uhri_themes = serializers.SerializerMethodField()
    sdg_targets = serializers.SerializerMethodField()
    nrtd_status = serializers.SerializerMethodField()

    def get_url(self, rec: Recommendation) -> str:
        return _absolute(self.context, reverse("opendata:recommendation-detail", args=[rec.pk]))

    def get_portal_url(self, rec: Recommendation) -> str:
        return _absolute(self.context, reverse("portal:recommendation_detail", args=[rec.pk]))

    def get_addressees(self, rec: Recommendation) -> list[str]:
        return [authority.name for authority in rec.addressees.all()]

    def get_uhri_themes(self, rec: Recommendation) -> list[str]:
        return vocabulary.uhri_themes(rec.theme.code if rec.theme else None)

    def get_sdg_targets(self, rec: Recommendation) -> list[str]:
        return vocabulary.sdg_targets(rec.theme.code if rec.theme else None)

    @extend_schema_field(
        serializers.ChoiceField(choices=[(s, s) for s in vocabulary.NRTD_STATUSES])
    )
    def get_nrtd_status(self, rec: Recommendation) -> str:
        return vocabulary.nrtd_status(rec.status)

    @extend_schema_field(serializers.ChoiceField(choices=Reason.choices, allow_null=True))
    def get_reason(self, rec: Recommendation) -> str | None:
        return rec.reason or None
