"""The bulk files: streamed, parse as CSV (UTF-8 with a BOM) and JSON, hold exactly the JSON
list's records, neutralise formulas, name a file, and answer 304 to a client that has them."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import pytest
from django.urls import reverse

from npm_portal.opendata import dictionary
from npm_portal.opendata.bulk import cell_value, csv_cell
from tests.opendata.conftest import CYRILLIC_TEXT, FORMULA_TEXT, all_pages, body

pytestmark = pytest.mark.django_db

DATASETS = [
    ("recommendations", "opendata:recommendation-list"),
    ("reports", "opendata:report-list"),
]


def _csv_rows(response) -> list[dict]:
    raw = body(response)
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.mark.parametrize(("dataset", "list_name"), DATASETS)
def test_the_json_file_is_the_json_list(anonymous_client, world, dataset, list_name):
    response = anonymous_client.get(reverse(f"opendata:{dataset}_json"))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith(f'attachment; filename="{dataset}-')
    assert response["Content-Disposition"].endswith('.json"')
    records = json.loads(body(response))
    assert records == all_pages(anonymous_client, list_name)
    assert records  # not vacuous


@pytest.mark.parametrize(("dataset", "list_name"), DATASETS)
def test_the_csv_file_is_the_json_list(anonymous_client, world, dataset, list_name):
    response = anonymous_client.get(reverse(f"opendata:{dataset}_csv"))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith('.csv"')
    rows = _csv_rows(response)
    columns = dictionary.field_names(dataset)
    assert list(rows[0]) == columns
    expected = [
        {c: csv_cell(cell_value(record, c)) for c in columns}
        for record in all_pages(anonymous_client, list_name)
    ]
    assert rows == expected


def test_csv_cells_read_as_text_not_formulas(anonymous_client, world):
    rows = _csv_rows(anonymous_client.get(reverse("opendata:recommendations_csv")))
    by_id = {int(row["id"]): row for row in rows}
    assert by_id[world["formula"].pk]["text"] == "'" + FORMULA_TEXT
    assert by_id[world["cyrillic"].pk]["text"] == CYRILLIC_TEXT
    # Lists joined; a missing theme is empty cells; booleans language-neutral.
    public = by_id[world["public"].pk]
    assert public["addressees"] == "Kruševac Police Department; Ministry of Interior"
    assert public["verified_on_site"] == "false"
    themeless = by_id[world["themeless"].pk]
    assert themeless["theme.code"] == themeless["theme.name"] == themeless["uhri_themes"] == ""
    # The JSON file keeps the text as it is.
    records = json.loads(body(anonymous_client.get(reverse("opendata:recommendations_json"))))
    assert {r["id"]: r["text"] for r in records}[world["formula"].pk] == FORMULA_TEXT


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_every_formula_prefix_is_neutralised(value):
    assert csv_cell(value) == "'" + value
    assert csv_cell([value]) == "'" + value


def test_a_client_with_the_current_file_gets_304(anonymous_client, world):
    url = reverse("opendata:recommendations_csv")
    first = anonymous_client.get(url)
    etag = first["ETag"]
    assert first["Last-Modified"]
    again = anonymous_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    # A change to the public set changes the tag.
    world["public"].text = "Renovate the rooms, now"
    world["public"].save()
    changed = anonymous_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    # A recommendation leaving the public set changes it too.
    world["formula"].public = False
    world["formula"].save()
    assert anonymous_client.get(url)["ETag"] != changed["ETag"]


def test_head_answers_the_headers_without_a_body(anonymous_client, world):
    response = anonymous_client.head(reverse("opendata:reports_csv"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.csv"')
    assert response.content == b""


def test_the_csv_operation_is_declared_as_text_csv():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for dataset in ("recommendations", "reports"):
        csv_op = schema["paths"][f"/api/v1/open/{dataset}.csv"]["get"]
        assert list(csv_op["responses"]["200"]["content"]) == ["text/csv"]
        assert csv_op.get("security") in (None, [])
        json_op = schema["paths"][f"/api/v1/open/{dataset}.json"]["get"]
        assert json_op["responses"]["200"]["content"]["application/json"]["schema"]["type"] == (
            "array"
        )
        assert "429" in csv_op["responses"]


def test_storing_the_public_pdf_after_issue_changes_the_reports_tag(anonymous_client, world):
    from django.core.files.base import ContentFile

    url = reverse("opendata:reports_json")
    etag = anonymous_client.get(url)["ETag"]
    report = world["nis_report"]
    # As the render task does: the file and its hash only, no `updated_at`.
    report.public_pdf.save("public.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    report.public_pdf_sha256 = hashlib.sha256(b"%PDF-1.4\n%%EOF\n").hexdigest()
    report.save(update_fields=["public_pdf", "public_pdf_sha256"])
    assert anonymous_client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200
