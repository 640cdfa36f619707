"""/reports/: a report's metadata, its dispatches and the checksums of its frozen PDFs; the
frozen full PDF (`pdf/`) and the public version (`public-pdf/`) for those who may have them on
the pages, sent from storage and logged as downloads like the pages' links."""

from __future__ import annotations

import django_filters
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer

from core.http import private_file_response
from visits.access import can_download_full, can_view_reports, deny_unless
from visits.models import Dispatch, Report, Visit

from .common import PdfRenderer, ReadOnlyResource


class DispatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = Dispatch
        fields = ["authority", "sent_on", "reference", "channel"]


class ReportSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:report-detail")
    dispatches = DispatchSerializer(many=True, read_only=True)
    pdf = serializers.SerializerMethodField(
        help_text=_("The frozen full PDF, for those who may download it; else null.")
    )
    public_pdf = serializers.SerializerMethodField(
        help_text=_("The public version of the issued report; else null.")
    )

    class Meta:
        model = Report
        fields = [
            "id",
            "url",
            "visit",
            "reference",
            "title",
            "language",
            "status",
            "approved_at",
            "issued_on",
            "issued_at",
            "pdf_sha256",
            "pdf_pages",
            "public_pdf_sha256",
            "dispatches",
            "pdf",
            "public_pdf",
        ]

    def _link(self, name: str, report: Report) -> str:
        return self.context["request"].build_absolute_uri(reverse(name, args=[report.pk]))

    def get_pdf(self, report: Report) -> str | None:
        user = self.context["request"].user
        if report.is_issued and report.pdf_ready and can_download_full(user):
            return self._link("api:report-pdf", report)
        return None

    def get_public_pdf(self, report: Report) -> str | None:
        if report.is_issued and report.public_pdf:
            return self._link("api:report-public-pdf", report)
        return None


class ReportFilter(django_filters.FilterSet):
    visit = django_filters.ModelChoiceFilter(label=_("Visit"), queryset=Visit.objects.all())
    issued_from = django_filters.DateFilter(
        label=_("Issued on or after"), field_name="issued_on", lookup_expr="gte"
    )
    issued_to = django_filters.DateFilter(
        label=_("Issued on or before"), field_name="issued_on", lookup_expr="lte"
    )

    class Meta:
        model = Report
        fields = ["status", "language", "visit", "issued_from", "issued_to"]


PDF_RESPONSES = {
    (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description=_("The PDF.")),
}


class ReportViewSet(ReadOnlyResource):
    """Reports of the visits the caller may see."""

    serializer_class = ReportSerializer
    filterset_class = ReportFilter

    def require_access(self, request) -> None:
        deny_unless(can_view_reports(request.user))

    def get_queryset(self):
        return (
            Report.objects.filter(visit__in=Visit.objects.visible_to(self.request.user))
            .select_related("visit")
            .prefetch_related("dispatches")
        )

    def _send(self, report: Report, field, *, filename: str, sha256: str):
        # Logged as a download of the report, as the page's link is.
        return private_file_response(
            self.request._request,
            field,
            logged_as=report,
            visit=report.visit,
            filename=filename,
            content_type="application/pdf",
            sha256=sha256,
        )

    @extend_schema(operation_id="reports_pdf", responses=PDF_RESPONSES, filters=False)
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, PdfRenderer])
    def pdf(self, request, pk=None):
        """The frozen full PDF of an issued report (404 for drafts; 403 for partner members)."""
        report = self.get_object()
        deny_unless(can_download_full(request.user))
        if not (report.is_issued and report.pdf_ready):
            raise Http404
        return self._send(
            report, report.pdf, filename=f"{report.reference}.pdf", sha256=report.pdf_sha256
        )

    @extend_schema(operation_id="reports_public_pdf", responses=PDF_RESPONSES, filters=False)
    @action(
        detail=True,
        methods=["get"],
        url_path="public-pdf",
        url_name="public-pdf",
        renderer_classes=[JSONRenderer, PdfRenderer],
    )
    def public_pdf(self, request, pk=None):
        """The public version of an issued report: no confidential sections, no annexes."""
        report = self.get_object()
        if not (report.is_issued and report.public_pdf):
            raise Http404
        return self._send(
            report,
            report.public_pdf,
            filename=f"{report.reference}-public.pdf",
            sha256=report.public_pdf_sha256,
        )


def register(router) -> None:
    router.register("reports", ReportViewSet, basename="report")
