"""The import service: dry run, all or nothing, undo, matching, errors by row and column."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from recommendations import services
from recommendations.imports import writing
from recommendations.imports.service import records_import
from recommendations.imports.undo import import_undo
from recommendations.imports.values import fold
from recommendations.models import Assessment, ImportBatch, ImportedObject, Recommendation
from tests.factories import AuthorityFactory, PlaceFactory
from tests.recommendations.imports.helpers import csv_file, row, table_counts
from visits.models import AccessLog, Authority, Dispatch, Place, Report, Visit

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 1, 10, 10, 0, tzinfo=dt.UTC)
BATCH_TABLE = ImportBatch._meta.db_table


@pytest.fixture
def registry():
    ministry = AuthorityFactory(name="Ministry of Interior", kind=Authority.Kind.MINISTRY)
    station = AuthorityFactory(
        name="Police Department Kruševac", kind=Authority.Kind.INSTITUTION, parent=ministry
    )
    place = PlaceFactory(name="Police Station Kruševac", authority=station)
    return {"ministry": ministry, "station": station, "place": place}


def good_rows() -> list[dict]:
    return [
        row(),
        row(
            number="2",
            status="implemented",
            responded_on="2019-07-01",
            response_reference="01-12/19",
            public="yes",
        ),
        row(
            number="3",
            report_reference="NPM-2020-001",
            visit_start="2020-02-03",
            report_issued_on="2020-03-01",
            dispatched_on="2020-03-02",
            priority="urgent",
            status="not_implemented",
            reason="funds",
            verified_on_site="yes",
        ),
    ]


@time_machine.travel(NOW, tick=False)
def test_import_creates_closed_visits_issued_reports_and_the_compliance_trail(registry, staff):
    result = records_import(data=csv_file(good_rows()), file_name="past.csv", by=staff)

    assert result.ok
    assert result.batch is not None
    assert Visit.objects.filter(status=Visit.Status.CLOSED).count() == 2
    report = Report.objects.get(reference="NPM-2019-004")
    assert report.is_issued
    assert report.imported
    assert not report.pdf_ready
    assert report.issued_on == dt.date(2019, 5, 15)
    assert set(
        Dispatch.objects.filter(report=report).values_list("authority__name", flat=True)
    ) == {
        "Police Department Kruševac",
        "Ministry of Interior",
    }
    first = Recommendation.objects.get(visit__report=report, number=1)
    assert first.status == "awaiting_response"
    # The legal term from the dispatch (60 days by default).
    assert first.due_date == dt.date(2019, 5, 20) + dt.timedelta(days=60)
    answered = Recommendation.objects.get(visit__report=report, number=2)
    assert (answered.status, answered.responded_on, answered.public) == (
        "implemented",
        dt.date(2019, 7, 1),
        True,
    )
    assessment = answered.assessments.get()
    assert assessment.basis == "response"
    assert assessment.response.reference == "01-12/19"
    urgent = Recommendation.objects.get(number=3)
    assert (urgent.status, urgent.reason, urgent.verified_on_site) == (
        "not_implemented",
        "funds",
        True,
    )
    assert urgent.due_date == dt.date(2020, 3, 2) + dt.timedelta(days=15)
    # Its timeline reads like any other: the dispatch, then the assessment.
    kinds = [event.kind for event in services.recommendation_timeline(urgent)]
    assert "assessment" in kinds
    # History rows were written as the services write them.
    assert first.history.count() == 1
    assert report.history.count() == 1
    assert result.batch.summary["counts"]["recommendations"] == 3


@time_machine.travel(NOW, tick=False)
def test_dry_run_writes_nothing_at_all(registry, staff):
    before = table_counts()
    result = records_import(
        data=csv_file(good_rows()), file_name="past.csv", dry_run=True, by=staff
    )
    assert result.ok
    assert result.batch is None
    assert result.plan.counts()["recommendations"] == 3
    assert table_counts() == before  # history tables and the access log included
    assert not AccessLog.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_one_bad_row_and_nothing_is_written(registry, staff):
    before = table_counts()
    rows = [*good_rows(), row(number="4", visit_start="31.02.2019")]
    result = records_import(data=csv_file(rows), file_name="past.csv", by=staff)
    assert not result.ok
    assert [str(e) for e in result.errors] == [
        "row 5, column 'Visit start': 31.02.2019 is not a date"
    ]
    assert table_counts() == before


@time_machine.travel(NOW, tick=False)
def test_a_failure_while_writing_rolls_back_everything(registry, staff, monkeypatch):
    before = table_counts()

    def fail(self):
        raise RuntimeError("disk full")

    # The letters are written after visits, reports, dispatches and recommendations.
    monkeypatch.setattr(writing.Writer, "_link", fail)
    with pytest.raises(RuntimeError):
        records_import(data=csv_file(good_rows()), file_name="past.csv", by=staff)
    assert table_counts() == before


@time_machine.travel(NOW, tick=False)
def test_every_error_is_reported_by_row_and_column(registry, staff):
    rows = [
        row(number="x", priority="very high", public="maybe"),
        row(number="2", visit_start="", report_issued_on="2019-01-01", text=""),
        row(number="3", addressees="Ministry of Magic", status="implemented", reason="funds"),
        row(number="3", dispatched_on="2030-01-01"),
    ]
    result = records_import(data=csv_file(rows), file_name="bad.csv", dry_run=True, by=staff)
    errors = [str(e) for e in result.errors]
    assert "row 2, column 'Number': x is not a whole number above zero" in errors
    assert any(e.startswith("row 2, column 'Priority': very high is not one of") for e in errors)
    assert "row 2, column 'Public': maybe is not yes or no" in errors
    assert "row 3, column 'Visit start': give the date of the visit" in errors
    assert "row 3, column 'Text': give the recommendation's text" in errors
    assert "row 4, column 'Addressees': no authority is named Ministry of Magic" in errors
    assert "row 4, column 'Reason': a reason goes only with partial or non-implementation" in errors
    assert "row 5, column 'Dispatched on': 2030-01-01 is in the future" in errors
    assert len(errors) >= 8
    assert result.plan.unmatched == {"authority": {"Ministry of Magic": [4]}}


@time_machine.travel(NOW, tick=False)
def test_names_match_in_either_script_without_case_spaces_or_diacritics(registry, staff):
    rows = [
        row(place="  POLICE station krusevac ", addressees="Министарство унутрашњих послова"),
        row(number="2", place="Полиција станица", addressees="police department KRUSEVAC"),
    ]
    AuthorityFactory(name="Ministarstvo unutrašnjih poslova", kind=Authority.Kind.MINISTRY)
    result = records_import(data=csv_file(rows), file_name="f.csv", dry_run=True, by=staff)
    # The second place matches nothing: listed once, with its row.
    assert [str(e) for e in result.errors] == [
        "row 3, column 'Place': no place is named Полиција станица"
    ]
    assert result.plan.unmatched == {"place": {"Полиција станица": [3]}}
    matched = result.plan.visits[0]
    assert matched.place == registry["place"]
    assert [a.name for a in matched.rows[0].addressees] == ["Ministarstvo unutrašnjih poslova"]
    assert fold("Kruševac") == fold("Krusevac") == fold("Крушевац") == fold(" KRUŠEVAC ")
    assert fold("Đurđevo") == fold("Djurdjevo") == fold("Ђурђево")


@time_machine.travel(NOW, tick=False)
def test_unmatched_names_are_listed_once_with_all_their_rows(registry, staff):
    rows = [
        row(place="Nowhere"),
        row(number="2", place="NOWHERE"),
        row(number="3", place="nowhere "),
    ]
    result = records_import(data=csv_file(rows), file_name="f.csv", dry_run=True, by=staff)
    assert result.plan.unmatched == {"place": {"Nowhere": [2, 3, 4]}}
    assert len(result.errors) == 3


@time_machine.travel(NOW, tick=False)
def test_create_places_needs_a_category_and_creates_place_and_authority(staff):
    rows = [
        row(
            place="Reception Centre Obrenovac",
            addressees="Commissariat for Refugees",
            place_category="Prihvatni ili tranzitni centar za migrante",
            district="Belgrade",
        ),
    ]
    missing = records_import(
        data=csv_file([row()]), file_name="f.csv", create_places=True, by=staff
    )
    assert (
        "row 2, column 'Place category': give the category of the new place Police Station Kruševac"
        in [str(e) for e in missing.errors]
    )
    result = records_import(data=csv_file(rows), file_name="f.csv", create_places=True, by=staff)
    assert result.ok, [str(e) for e in result.errors]
    place = Place.objects.get(name="Reception Centre Obrenovac")
    assert place.category == "reception"
    assert place.authority.name == "Commissariat for Refugees"


@time_machine.travel(NOW, tick=False)
def test_values_by_code_english_and_serbian_labels_in_both_scripts(registry, staff):
    rows = [
        # Serbian Latin, Serbian Cyrillic, without diacritics, English, a code.
        row(
            status="Delimično sprovedena",
            reason="Недостатак средстава",
            visit_type="kontrolna",
            priority="Hitan",
            public="да",
            responded_on="2019-07-01",
            stated_status="In progress",
        ),
        row(
            number="2",
            status="U TOKU",
            reason="staff",
            priority="high",
            public="no",
            visit_type="Follow-up",
        ),
    ]
    result = records_import(data=csv_file(rows), file_name="f.csv", dry_run=True, by=staff)
    assert result.ok, [str(e) for e in result.errors]
    first, second = result.plan.visits[0].rows
    assert (first.status, first.reason, first.priority, first.public) == (
        "partially_implemented",
        "funds",
        "urgent",
        True,
    )
    assert first.stated_status == "in_progress"
    assert result.plan.visits[0].kind == "follow_up"
    assert (second.status, second.reason, second.priority, second.public) == (
        "in_progress",
        "staff",
        "high",
        False,
    )


@time_machine.travel(NOW, tick=False)
def test_headers_in_serbian_and_a_semicolon_csv_are_read(registry, staff):
    from django.utils import translation

    from recommendations.imports.columns import COLUMNS

    with translation.override("sr"):
        header = [str(c.label) for c in COLUMNS]
    data = csv_file([row()], header=header, delimiter=";")
    result = records_import(data=data, file_name="f.csv", dry_run=True, by=staff)
    assert result.ok, [str(e) for e in result.errors]


def test_missing_columns_are_one_error(staff):
    result = records_import(data=b"Place,Text\nX,Y\n", file_name="f.csv", dry_run=True, by=staff)
    assert len(result.errors) == 1
    assert "Columns missing from the header row" in str(result.errors[0])


@time_machine.travel(NOW, tick=False)
def test_a_report_reference_already_recorded_is_refused(registry, staff):
    records_import(data=csv_file([row()]), file_name="f.csv", by=staff)
    again = records_import(data=csv_file([row()]), file_name="f.csv", by=staff)
    assert [str(e) for e in again.errors] == [
        "row 2, column 'Report reference': a report NPM-2019-004 already exists"
    ]


@time_machine.travel(NOW, tick=False)
def test_undo_removes_exactly_what_the_import_created(registry, staff):
    other = records_import(
        data=csv_file(
            [
                row(
                    report_reference="NPM-2018-001",
                    visit_start="2018-03-01",
                    report_issued_on="2018-04-01",
                    dispatched_on="2018-04-02",
                )
            ]
        ),
        file_name="earlier.csv",
        by=staff,
    )
    before = table_counts()
    rows = [
        *good_rows(),
        row(
            place="New Station",
            place_category="police",
            addressees="New Directorate",
            report_reference="NPM-2017-009",
            visit_start="2017-05-05",
            report_issued_on="2017-06-01",
            dispatched_on="2017-06-02",
        ),
    ]
    result = records_import(data=csv_file(rows), file_name="past.csv", create_places=True, by=staff)
    assert result.ok, [str(e) for e in result.errors]
    assert table_counts() != before

    removed = import_undo(batch=result.batch, by=staff)

    after = table_counts()
    # Every table as before, history tables included; only the record of the import stays.
    assert after[BATCH_TABLE] == before[BATCH_TABLE] + 1
    assert {k: v for k, v in after.items() if k != BATCH_TABLE} == {
        k: v for k, v in before.items() if k != BATCH_TABLE
    }
    assert removed["recommendation"] == 4
    assert removed["place"] == 1
    assert removed["authority"] == 1
    batch = ImportBatch.objects.get(pk=result.batch.pk)
    assert batch.is_undone
    assert batch.undone_by == staff
    # The earlier import is untouched.
    assert Report.objects.filter(reference="NPM-2018-001").exists()
    assert ImportedObject.objects.filter(batch=other.batch).exists()
    with pytest.raises(ValidationError):
        import_undo(batch=batch, by=staff)


@time_machine.travel(NOW, tick=False)
def test_undo_is_refused_when_a_letter_was_recorded_since(registry, staff):
    result = records_import(data=csv_file(good_rows()), file_name="past.csv", by=staff)
    first = Recommendation.objects.get(visit__report__reference="NPM-2019-004", number=1)
    services.response_record(
        visit=first.visit,
        authority=registry["station"],
        received_on=dt.date(2019, 9, 1),
        reference="by hand",
        items=[{"recommendation": first, "stated_status": "in_progress"}],
        by=staff,
    )
    before = table_counts()
    with pytest.raises(ValidationError) as refused:
        import_undo(batch=result.batch, by=staff)
    text = " ".join(refused.value.messages)
    assert "cannot be undone" in text
    assert "response item" in text
    assert table_counts() == before
    assert not ImportBatch.objects.get(pk=result.batch.pk).is_undone


@time_machine.travel(NOW, tick=False)
def test_undo_is_refused_when_an_assessment_was_recorded_since(registry, staff):
    result = records_import(data=csv_file(good_rows()), file_name="past.csv", by=staff)
    first = Recommendation.objects.get(visit__report__reference="NPM-2019-004", number=1)
    services.assessment_record(
        recommendation=first,
        status="in_progress",
        basis="other",
        assessed_on=dt.date(2020, 1, 1),
        by=staff,
    )
    with pytest.raises(ValidationError) as refused:
        import_undo(batch=result.batch, by=staff)
    assert "assessment" in " ".join(refused.value.messages)
    assert Assessment.objects.filter(recommendation=first).count() == 1


def test_compliance_and_partners_may_not_import(compliance, partner_member):
    for user in (compliance, partner_member):
        with pytest.raises(PermissionDenied):
            records_import(data=csv_file([row()]), file_name="f.csv", dry_run=True, by=user)
