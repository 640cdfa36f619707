"""Export the tracker, import the file into an empty database: the same rows. And the
compliance figures of an imported set equal those of the same data made through the services."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from recommendations import services
from recommendations.imports.service import records_import
from recommendations.models import AuthorityResponse, Recommendation
from recommendations.queries.stats import compliance_summary
from tests.factories import AuthorityFactory, PlaceFactory
from tests.factories.visits import ReportFactory, VisitFactory, local
from visits import services as visit_services
from visits.models import Authority, Dispatch, Place, Report, Theme, Visit

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 1, 10, 10, 0, tzinfo=dt.UTC)


class Rollback(Exception):
    pass


def build_registry():
    ministry = AuthorityFactory(name="Ministry of Interior", kind=Authority.Kind.MINISTRY)
    station = AuthorityFactory(
        name="Police Department Kruševac", kind=Authority.Kind.INSTITUTION, parent=ministry
    )
    justice = AuthorityFactory(name="Ministry of Justice", kind=Authority.Kind.MINISTRY)
    prison = AuthorityFactory(name="District Prison Niš", kind=Authority.Kind.INSTITUTION)
    police = PlaceFactory(
        name="Police Station Kruševac", category=Place.Category.POLICE, authority=station
    )
    jail = PlaceFactory(
        name="District Prison Niš", category=Place.Category.PRISON, authority=prison
    )
    return {
        "ministry": ministry,
        "station": station,
        "justice": justice,
        "prison": prison,
        "police": police,
        "jail": jail,
    }


def _visit(place, start, end, report_reference, issued_on, kind="regular"):
    visit = VisitFactory(
        place=place,
        planned_start=start,
        planned_end=end,
        actual_start=start,
        actual_end=end,
        status=Visit.Status.CLOSED,
        kind=kind,
    )
    issued = local(issued_on.year, issued_on.month, issued_on.day, 12, 0)
    ReportFactory(
        visit=visit,
        reference=report_reference,
        status=Report.Status.ISSUED,
        issued_on=issued_on,
        issued_at=issued,
    )
    return visit


def build_through_services(reg, staff):
    """Two visits (one a night visit), dispatches, a letter, assessments: the way the pages
    make them."""
    theme = Theme.objects.get(code="material-conditions")
    night = _visit(
        reg["police"],
        local(2019, 3, 12, 21, 0),
        local(2019, 3, 13, 2, 0),
        "NPM-2019-004",
        dt.date(2019, 5, 15),
    )
    day = _visit(
        reg["jail"],
        local(2022, 10, 4, 9, 0),
        local(2022, 10, 5, 16, 0),
        "NPM-2022-017",
        dt.date(2022, 12, 1),
        kind="follow_up",
    )
    recs = []
    for visit, number, text, addressees, priority, public in (
        (
            night,
            1,
            "Renovate the detention rooms.",
            [reg["station"], reg["ministry"]],
            "urgent",
            True,
        ),
        (night, 2, "Keep a register of detainees' injuries.", [reg["station"]], "normal", False),
        (night, 3, "Train the staff.", [reg["ministry"]], "high", True),
        (
            day,
            1,
            "Give every prisoner two hours outdoors.",
            [reg["prison"], reg["justice"]],
            "normal",
            True,
        ),
        (day, 2, '=Provide "mattresses".', [reg["prison"]], "normal", False),
    ):
        rec = Recommendation.objects.create(
            visit=visit,
            number=number,
            text=text,
            priority=priority,
            public=public,
            theme=theme if number == 1 else None,
        )
        rec.addressees.set(addressees)
        recs.append(rec)
    for visit, authority, sent_on in (
        (night, reg["station"], dt.date(2019, 5, 20)),
        (night, reg["ministry"], dt.date(2019, 5, 22)),
        (day, reg["prison"], dt.date(2022, 12, 5)),
        (day, reg["justice"], dt.date(2022, 12, 5)),
    ):
        visit_services.dispatch_record(
            report=visit.report,
            authority=authority,
            sent_on=sent_on,
            reference="",
            channel="post",
            by=staff,
        )
    letter = services.response_record(
        visit=night,
        authority=reg["station"],
        received_on=dt.date(2019, 7, 2),
        reference="01-2345/19",
        items=[
            {"recommendation": recs[0], "stated_status": "in_progress"},
            {"recommendation": recs[1], "stated_status": "implemented"},
        ],
        by=staff,
    )
    services.assessment_record(
        recommendation=recs[0],
        status="partially_implemented",
        reason="funds",
        basis="response",
        response=letter,
        assessed_on=dt.date(2019, 8, 1),
        by=staff,
    )
    services.assessment_record(
        recommendation=recs[3],
        status="not_implemented",
        reason="infrastructure",
        basis="other",
        verified_on_site=True,
        assessed_on=dt.date(2023, 6, 1),
        by=staff,
    )
    return recs


def snapshot() -> dict:
    recs = Recommendation.objects.select_related("visit__place", "visit__report", "theme")
    rows = set()
    for rec in recs.prefetch_related("addressees"):
        visit = rec.visit
        rows.add(
            (
                visit.place.name,
                visit.place.category,
                visit.start,
                visit.end,
                visit.kind,
                visit.night,
                visit.reference,
                visit.report.reference,
                visit.report.issued_on,
                rec.number,
                rec.text,
                rec.theme.code if rec.theme else None,
                tuple(sorted(a.name for a in rec.addressees.all())),
                rec.priority,
                rec.public,
                rec.status,
                rec.reason,
                rec.verified_on_site,
                rec.dispatched_on,
                rec.due_date,
                rec.responded_on,
                rec.status_changed_on,
            )
        )
    dispatches = {
        (d.report.reference, d.authority.name, d.sent_on)
        for d in Dispatch.objects.select_related("report", "authority")
    }
    letters = {
        (
            r.visit.report.reference,
            r.authority.name,
            r.received_on,
            r.reference,
            tuple(sorted((i.recommendation.number, i.stated_status) for i in r.items.all())),
        )
        for r in AuthorityResponse.objects.select_related("visit__report", "authority")
    }
    return {"recommendations": rows, "dispatches": dispatches, "letters": letters}


def export(client, kind: str) -> bytes:
    response = client.get(reverse(f"recommendations:export_{kind}"))
    assert response.status_code == 200
    return response.content


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_then_import_into_an_empty_database_gives_the_same_rows(staff_client, staff, kind):
    with transaction.atomic():
        try:
            with transaction.atomic():
                build_through_services(build_registry(), staff)
                before = snapshot()
                content = export(staff_client, kind)
                raise Rollback
        except Rollback:
            pass
    assert not Recommendation.objects.exists()
    assert not Place.objects.exists()
    assert not Authority.objects.exists()

    result = records_import(data=content, file_name=f"export.{kind}", create_places=True, by=staff)

    assert [str(e) for e in result.errors] == []
    after = snapshot()
    assert after == before
    assert len(after["recommendations"]) == 5
    # The places were created with their category and operating authority.
    assert Place.objects.get(name="Police Station Kruševac").authority.name == (
        "Police Department Kruševac"
    )


@time_machine.travel(NOW, tick=False)
def test_compliance_figures_of_an_imported_set_equal_those_made_through_the_services(
    staff_client, staff
):
    build_registry()
    with transaction.atomic():
        try:
            with transaction.atomic():
                build_through_services(
                    {**{p.name: p for p in Place.objects.all()}, **_registry_by_role()}, staff
                )
                figures = compliance_summary(today=NOW.date())
                by_year = [compliance_summary(year=y, today=NOW.date()) for y in (2019, 2022)]
                content = export(staff_client, "csv")
                raise Rollback
        except Rollback:
            pass
    assert not Recommendation.objects.exists()

    result = records_import(data=content, file_name="export.csv", by=staff)

    assert result.ok, [str(e) for e in result.errors]
    assert Place.objects.count() == 2  # matched, none created
    assert compliance_summary(today=NOW.date()) == figures
    assert [compliance_summary(year=y, today=NOW.date()) for y in (2019, 2022)] == by_year
    # Not an empty comparison: the five recommendations are counted.
    assert figures["overall"].all_count == 5


def _registry_by_role() -> dict:
    names = {
        "ministry": "Ministry of Interior",
        "station": "Police Department Kruševac",
        "justice": "Ministry of Justice",
        "prison": "District Prison Niš",
    }
    found = {key: Authority.objects.get(name=name) for key, name in names.items()}
    found["police"] = Place.objects.get(name="Police Station Kruševac")
    found["jail"] = Place.objects.get(name="District Prison Niš")
    return found
