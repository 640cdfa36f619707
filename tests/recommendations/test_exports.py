import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from recommendations.exports import neutralise
from recommendations.models import Assessment, Recommendation
from tests.factories import AuthorityFactory, PlaceFactory
from tests.factories.recommendations import (
    AssessmentFactory,
    AuthorityResponseFactory,
    ResponseItemFactory,
)
from tests.recommendations.authoring_helpers import issue, rec, theme, visit_in
from visits import services as visit_services
from visits.models import AccessLog, Authority, Place

pytestmark = pytest.mark.django_db

CSV = reverse("recommendations:export_csv")
XLSX = reverse("recommendations:export_xlsx")
HEADER = [
    "Reference",
    "Visit",
    "Place",
    "Place category",
    "District",
    "Year",
    "Theme",
    "Priority",
    "Addressees",
    "Status",
    "Reason",
    "Due date",
    "Dispatched on",
    "First response on",
    "Overdue",
    "Verified on site",
    "Public",
    "Times raised",
    # The columns the import reads too (recommendations.imports.columns): an export imports as
    # it is.
    "Visit start",
    "Visit end",
    "Visit type",
    "Report reference",
    "Report issued on",
    "Number",
    "Response reference",
    "Stated status",
    "Operating authority",
    "Status since",
    "Text",
]
SECRET = "Zqxexportsecret4410Marker"


@pytest.fixture
def data(staff):
    ministry = AuthorityFactory(name="Ministry of Interior", kind=Authority.Kind.MINISTRY)
    station = AuthorityFactory(
        name="Police Department Kruševac", kind=Authority.Kind.INSTITUTION, parent=ministry
    )
    place = PlaceFactory(
        name="Police Station Kruševac",
        category=Place.Category.POLICE,
        authority=station,
        district="Rasinski",
    )
    old_visit = visit_in(2014, place)
    visit = visit_in(2025, place, purpose=f"Purpose {SECRET}")
    issue(visit)
    # Confidential material on the same visit: an interview with an identity, notes everywhere.
    visit_services.interview_create(
        visit=visit,
        interviewee="detainee",
        notes=f"Notes {SECRET}",
        allegation=True,
        identity={"full_name": f"Name {SECRET}", "date_of_birth": "1990-01-01"},
        by=staff,
    )
    old = rec(old_visit, number=1, text="Install call bells.", addressees=[station])
    urgent = rec(
        visit,
        number=1,
        text="Renovate the detention rooms.",
        theme=theme("material-conditions"),
        priority=Recommendation.Priority.URGENT,
        addressees=[station, ministry],
        dispatched_on=dt.date(2025, 6, 2),
        due_date=dt.date(2025, 6, 17),
        status=Recommendation.Status.NOT_IMPLEMENTED,
        reason=Recommendation.Reason.LACK_OF_FUNDS,
        public=True,
    )
    urgent.repeats.add(old)
    formula = rec(
        visit,
        number=2,
        text='=HYPERLINK("http://evil.example","click")',
        theme=theme("registers"),
        addressees=[station],
        dispatched_on=dt.date(2025, 6, 2),
        due_date=dt.date(2025, 8, 1),
        responded_on=dt.date(2025, 7, 1),
        verified_on_site=True,
    )
    response = AuthorityResponseFactory(visit=visit, authority=station, note=f"Note {SECRET}")
    AssessmentFactory(recommendation=urgent, note=f"Internal {SECRET}", response=response)
    return {"old": old, "urgent": urgent, "formula": formula}


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def read_xlsx(response) -> list[list]:
    workbook = load_workbook(io.BytesIO(response.content))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


@time_machine.travel(dt.datetime(2026, 1, 10, 10, 0, tzinfo=dt.UTC), tick=False)
def test_csv_has_the_columns_and_the_values(staff_client, data):
    rows = read_csv(staff_client.get(CSV, {"sort": "reference"}))
    assert rows[0] == HEADER
    assert len(rows) == 4
    by_ref = {row[0]: dict(zip(HEADER, row, strict=True)) for row in rows[1:]}
    urgent = by_ref[data["urgent"].reference]
    assert urgent["Visit"] == data["urgent"].visit.reference
    assert urgent["Place"] == "Police Station Kruševac"
    assert urgent["Place category"] == "Police station / detention unit"
    assert urgent["District"] == "Rasinski"
    assert urgent["Year"] == "2025"
    assert urgent["Theme"] == "Material conditions"
    assert urgent["Priority"] == "Urgent"
    assert urgent["Addressees"] == "Ministry of Interior; Police Department Kruševac"
    assert urgent["Status"] == "Not implemented"
    assert urgent["Reason"] == "Lack of funds"
    assert urgent["Due date"] == "2025-06-17"
    assert urgent["Dispatched on"] == "2025-06-02"
    assert urgent["First response on"] == ""
    assert urgent["Overdue"] == "yes"
    assert urgent["Public"] == "yes"
    assert urgent["Times raised"] == "2"
    assert urgent["Text"] == "Renovate the detention rooms."
    assert urgent["Visit start"] == "2025-03-10 09:00"
    assert urgent["Visit end"] == "2025-03-10 15:00"
    assert urgent["Visit type"] == "Regular / in-depth"
    assert urgent["Report reference"] == data["urgent"].visit.report.reference
    assert urgent["Report issued on"] == "2025-06-01"
    assert urgent["Number"] == "1"
    assert urgent["Operating authority"] == "Police Department Kruševac"
    # The fixture's letter answers no recommendation: no letter columns.
    assert urgent["Response reference"] == ""
    assert urgent["Stated status"] == ""
    formula = by_ref[data["formula"].reference]
    assert formula["Overdue"] == "no"
    assert formula["Verified on site"] == "yes"
    assert formula["First response on"] == "2025-07-01"


def test_csv_contains_exactly_the_filtered_rows(staff_client, data):
    rows = read_csv(staff_client.get(CSV, {"priority": "urgent"}))
    assert [row[0] for row in rows[1:]] == [data["urgent"].reference]
    rows = read_csv(staff_client.get(CSV, {"year": "2025", "sort": "reference"}))
    assert [row[0] for row in rows[1:]] == [data["urgent"].reference, data["formula"].reference]
    # Pagination parameters do not cut the export.
    rows = read_csv(staff_client.get(CSV, {"per_page": "10", "page": "2"}))
    assert len(rows) == 4


def test_xlsx_contains_exactly_the_filtered_rows(compliance_client, data):
    response = compliance_client.get(XLSX, {"theme": theme("registers").pk})
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    rows = read_xlsx(response)
    assert rows[0] == HEADER
    assert [row[0] for row in rows[1:]] == [data["formula"].reference]
    record = dict(zip(HEADER, rows[1], strict=True))
    assert record["Due date"].date() == dt.date(2025, 8, 1)  # a real date cell
    assert record["Times raised"] == 1


def test_exports_hold_nothing_confidential(staff_client, head_client, data):
    csv_text = staff_client.get(CSV).content.decode("utf-8-sig")
    assert SECRET not in csv_text
    for row in read_xlsx(head_client.get(XLSX)):
        assert not any(SECRET in str(cell) for cell in row if cell is not None)
    # The interview exists on the exported visit: its code is not exported either.
    code = data["urgent"].visit.interviews.get().code
    assert code not in csv_text


def test_formula_injection_is_neutralised(staff_client, data):
    rows = read_csv(staff_client.get(CSV, {"theme": theme("registers").pk}))
    assert rows[1][-1] == '\'=HYPERLINK("http://evil.example","click")'
    xlsx = read_xlsx(staff_client.get(XLSX, {"theme": theme("registers").pk}))
    assert xlsx[1][-1] == '\'=HYPERLINK("http://evil.example","click")'


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_neutralise_prefixes_dangerous_cells(value):
    assert neutralise(value) == "'" + value


def test_neutralise_leaves_safe_values_alone():
    assert neutralise("Renovate") == "Renovate"
    assert neutralise(dt.date(2025, 1, 1)) == dt.date(2025, 1, 1)
    assert neutralise(3) == 3


def test_place_names_with_a_formula_start_are_neutralised(staff_client, data):
    place = data["urgent"].visit.place
    place.name = "-Police Station"
    place.save()
    rows = read_csv(staff_client.get(CSV, {"priority": "urgent"}))
    assert rows[1][2] == "'-Police Station"


def test_export_is_written_to_the_access_log(staff_client, staff, data):
    staff_client.get(CSV, {"year": "2025"})
    staff_client.get(XLSX)
    entries = AccessLog.objects.filter(user=staff, action="export").order_by("pk")
    assert [(e.object_type, e.object_id) for e in entries] == [
        ("recommendations.Recommendation", "2 rows"),
        ("recommendations.Recommendation", "3 rows"),
    ]


def test_exports_are_hidden_from_partners_and_anonymous(partner_client, anonymous_client, data):
    assert partner_client.get(CSV).status_code == 404
    assert partner_client.get(XLSX).status_code == 404
    assert anonymous_client.get(CSV).status_code == 302
    assert not AccessLog.objects.filter(action="export").exists()


def test_assessment_notes_stay_out_even_when_filtered_by_status(staff_client, data):
    # Notes are encrypted at rest: looked for after decryption.
    assert any(SECRET in assessment.note for assessment in Assessment.objects.all())
    body = staff_client.get(CSV, {"status": "not_implemented"}).content.decode("utf-8-sig")
    assert data["urgent"].reference in body
    assert SECRET not in body


def test_the_first_letter_and_its_sender_lead_the_letter_columns(staff_client, data):
    urgent = data["urgent"]
    ministry = Authority.objects.get(name="Ministry of Interior")
    station = Authority.objects.get(name="Police Department Kruševac")
    later = AuthorityResponseFactory(
        visit=urgent.visit, authority=ministry, received_on=dt.date(2025, 9, 1), reference="B/2"
    )
    first = AuthorityResponseFactory(
        visit=urgent.visit, authority=station, received_on=dt.date(2025, 7, 1), reference="A/1"
    )
    ResponseItemFactory(response=later, recommendation=urgent, stated_status="implemented")
    ResponseItemFactory(response=first, recommendation=urgent, stated_status="in_progress")
    rows = read_csv(staff_client.get(CSV, {"priority": "urgent"}))
    record = dict(zip(HEADER, rows[1], strict=True))
    assert record["Response reference"] == "A/1"
    assert record["Stated status"] == "In progress"
    # The import takes the letter's sender from the first addressee.
    assert record["Addressees"] == "Police Department Kruševac; Ministry of Interior"
