"""Bulk downloads of the whole public set: recommendations and reports as CSV and JSON.

Streamed: the rows come from `.iterator(chunk_size=...)` (addressees prefetched per chunk) and go
out as they are written, so memory stays flat whatever the size. Each record is the JSON list's
record, the CSV has one column per data-dictionary field (nested fields "place.category", lists
joined with "; "), text cells neutralised against spreadsheet formulas, UTF-8 with a byte-order
mark so Excel reads Cyrillic and č, ć, ž. A fingerprint of the set (a few aggregate queries)
gives the ETag, so a client that has the current file gets a 304 (If-None-Match)."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Iterator

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Max
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request

from npm_portal.portal.forms import issued_reports, public_recommendations
from recommendations.exports import neutralise
from visits.models import Authority, Theme

from . import dictionary
from .http import OpenDataView
from .querysets import open_recommendations, open_reports
from .serializers import OpenDataRecommendationSerializer, OpenDataReportSerializer
from .throttling import OpenDataBulkThrottle
from .views import OPEN

CHUNK_SIZE = 1000
BULK_MAX_AGE = 3600
LIST_SEPARATOR = "; "


class CsvRenderer(BaseRenderer):
    """Lets a client ask for `Accept: text/csv`; the file is streamed by the view. An error on
    the way (a 429) is still the JSON error body."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return json.dumps(data, cls=DjangoJSONEncoder).encode()


def cell_value(record: dict, name: str):
    value = record
    for part in name.split("."):
        if value is None:
            return None
        value = value.get(part)
    return value


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(str(item) for item in value)
    return neutralise(str(value))


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(records: Iterable[dict], columns: list[str]) -> Iterator[bytes]:
    writer = csv.writer(_Echo())
    yield ("\ufeff" + writer.writerow(columns)).encode("utf-8")
    batch: list[str] = []
    for record in records:
        batch.append(writer.writerow([csv_cell(cell_value(record, c)) for c in columns]))
        if len(batch) >= 200:
            yield "".join(batch).encode("utf-8")
            batch = []
    if batch:
        yield "".join(batch).encode("utf-8")


def json_stream(records: Iterable[dict]) -> Iterator[bytes]:
    """One JSON array, written record by record."""
    yield b"["
    separator = "\n"
    batch: list[str] = []
    for record in records:
        batch.append(separator + json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False))
        separator = ",\n"
        if len(batch) >= 200:
            yield "".join(batch).encode("utf-8")
            batch = []
    batch.append("\n]\n")
    yield "".join(batch).encode("utf-8")


def _fingerprint_recommendations() -> tuple:
    figures = public_recommendations().aggregate(
        n=Count("pk"),
        changed=Max("updated_at"),
        report=Max("visit__report__updated_at"),
        place=Max("visit__place__updated_at"),
    )
    authorities = Authority.objects.aggregate(changed=Max("updated_at"))["changed"]
    themes = list(Theme.objects.order_by("pk").values_list("code", "name", "name_sr"))
    return figures, [figures["changed"], figures["report"], figures["place"], authorities], themes


def _fingerprint_reports() -> tuple:
    figures = issued_reports().aggregate(
        n=Count("pk"),
        changed=Max("updated_at"),
        place=Max("visit__place__updated_at"),
        visit=Max("visit__updated_at"),
    )
    # A public PDF stored after issue changes no `updated_at`: count the stored ones.
    figures["pdfs"] = issued_reports().exclude(public_pdf="").count()
    return figures, [figures["changed"], figures["place"], figures["visit"]], None


DATASETS = {
    "recommendations": (
        open_recommendations,
        OpenDataRecommendationSerializer,
        _fingerprint_recommendations,
    ),
    "reports": (open_reports, OpenDataReportSerializer, _fingerprint_reports),
}


class BulkView(OpenDataView):
    throttle_classes = [OpenDataBulkThrottle]
    max_age = BULK_MAX_AGE
    dataset = ""
    kind = ""  # "csv" or "json"

    def get(self, request: Request):
        queryset_of, serializer_class, fingerprint = DATASETS[self.dataset]
        figures, moments, extra = fingerprint()
        language = translation.get_language()
        etag = quote_etag(
            hashlib.sha256(
                repr((self.kind, figures, extra, language, request.get_host())).encode()
            ).hexdigest()[:32]
        )
        changed = [moment for moment in moments if moment is not None]
        last_modified = int(max(changed).timestamp()) if changed else None
        # Only the ETag decides a 304: it counts the set, so a record leaving it changes the
        # tag, where a newest-change date may not move (Last-Modified is information).
        not_modified = get_conditional_response(request._request, etag=etag)
        if not_modified is not None:
            return self._headers(not_modified, etag, last_modified)
        if request.method == "HEAD":
            response = HttpResponse(content_type=self.content_type)
        else:
            serializer = serializer_class(context={"request": request})
            records = self._records(queryset_of().order_by("-pk"), serializer, language)
            if self.kind == "csv":
                body = csv_stream(records, dictionary.field_names(self.dataset))
            else:
                body = json_stream(records)
            response = StreamingHttpResponse(body, content_type=self.content_type)
        return self._headers(response, etag, last_modified)

    @property
    def content_type(self) -> str:
        return "text/csv; charset=utf-8" if self.kind == "csv" else "application/json"

    @staticmethod
    def _records(queryset, serializer, language) -> Iterator[dict]:
        # The body is written after the view has returned: keep the request's language.
        with translation.override(language):
            for obj in queryset.iterator(chunk_size=CHUNK_SIZE):
                yield serializer.to_representation(obj)

    def _headers(self, response, etag: str, last_modified: int | None):
        filename = f"{self.dataset}-{timezone.localdate():%Y-%m-%d}.{self.kind}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["ETag"] = etag
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified)
        return response


def _csv_schema(operation_id: str, summary: str):
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR,
                description="UTF-8 CSV with a byte-order mark, one column per dictionary field.",
            ),
            304: OpenApiResponse(description="Not modified: the If-None-Match ETag is current."),
        },
        **OPEN,
    )


def _json_schema(operation_id: str, summary: str, serializer_class):
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        responses={
            200: serializer_class(many=True),
            304: OpenApiResponse(description="Not modified: the If-None-Match ETag is current."),
        },
        **OPEN,
    )


class RecommendationsCsv(BulkView):
    dataset, kind = "recommendations", "csv"
    renderer_classes = [JSONRenderer, CsvRenderer]

    @_csv_schema("open_recommendations_csv", "Every public recommendation, as CSV")
    def get(self, request: Request):
        return super().get(request)


class RecommendationsJson(BulkView):
    dataset, kind = "recommendations", "json"

    @_json_schema(
        "open_recommendations_json",
        "Every public recommendation, as one JSON array",
        OpenDataRecommendationSerializer,
    )
    def get(self, request: Request):
        return super().get(request)


class ReportsCsv(BulkView):
    dataset, kind = "reports", "csv"
    renderer_classes = [JSONRenderer, CsvRenderer]

    @_csv_schema("open_reports_csv", "Every issued report, as CSV")
    def get(self, request: Request):
        return super().get(request)


class ReportsJson(BulkView):
    dataset, kind = "reports", "json"

    @_json_schema(
        "open_reports_json", "Every issued report, as one JSON array", OpenDataReportSerializer
    )
    def get(self, request: Request):
        return super().get(request)
