import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import PlaceFactory
from tests.factories.visits import MemberFactory, TeamMemberFactory, VisitFactory, local, theme
from visits.models import Finding, Place, ReturnOperation, Visit, VisitStatus

FMT = "%Y-%m-%dT%H:%M"


def listed(response) -> set[int]:
    return {visit.pk for visit in response.context["page"].object_list}


class TestPlanning:
    def test_staff_plans_an_unannounced_night_visit(self, staff_client, staff, db):
        place = PlaceFactory(name="Police Department Kruševac")
        response = staff_client.post(
            reverse("visits:visit_create"),
            {
                "place": place.pk,
                "kind": "regular",
                "planned_start": "2026-12-14T21:00",
                "planned_end": "2026-12-15T02:00",
                "purpose": "Treatment of detainees at night",
            },
        )
        visit = Visit.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("visits:visit_team", args=[visit.pk])
        assert visit.night is True
        assert visit.announced is False
        assert visit.reference == "V-2026-001"
        assert visit.created_by == staff
        assert visit.history.first().history_user == staff
        page = staff_client.get(visit.get_absolute_url()).content.decode()
        assert 'data-badge="night"' in page
        assert 'data-badge="unannounced"' in page

    def test_empty_post_shows_errors_next_to_fields(self, staff_client, db):
        response = staff_client.post(reverse("visits:visit_create"), {})
        assert response.status_code == 200
        assert 'id="error_1_id_place"' in response.content.decode()
        assert not Visit.objects.exists()

    def test_end_before_start_and_joint_without_partner_are_refused(self, staff_client, db):
        place = PlaceFactory()
        response = staff_client.post(
            reverse("visits:visit_create"),
            {
                "place": place.pk,
                "kind": "joint",
                "planned_start": "2026-12-14T21:00",
                "planned_end": "2026-12-14T20:00",
            },
        )
        body = response.content.decode()
        assert "The end must be after the start." in body
        assert "Say which NPM or body the visit is joint with." in body
        assert not Visit.objects.exists()

    def test_garbage_dates_are_an_error_not_a_500(self, staff_client, db):
        response = staff_client.post(
            reverse("visits:visit_create"),
            {"place": PlaceFactory().pk, "kind": "regular", "planned_start": "tomorrow-ish"},
        )
        assert response.status_code == 200
        assert "Enter a valid date/time." in response.content.decode()

    def test_edit(self, staff_client, db):
        visit = VisitFactory(purpose="Old")
        data = {
            "place": visit.place.pk,
            "kind": "thematic",
            "planned_start": timezone.localtime(visit.planned_start).strftime(FMT),
            "planned_end": timezone.localtime(visit.planned_end).strftime(FMT),
            "purpose": "Health care",
            "announced": "on",
        }
        assert (
            staff_client.post(reverse("visits:visit_edit", args=[visit.pk]), data).status_code
            == 302
        )
        visit.refresh_from_db()
        assert (visit.kind, visit.purpose, visit.announced) == ("thematic", "Health care", True)


class TestList:
    def test_filters(self, staff_client, staff, db):
        prison = PlaceFactory(category=Place.Category.PRISON, district="Braničevo")
        night = VisitFactory(
            planned_start=local(2014, 6, 12, 22, 30), planned_end=local(2014, 6, 13, 2, 0)
        )
        in_prison = VisitFactory(place=prison, announced=True, status=VisitStatus.CLOSED)
        joint = VisitFactory(kind="joint", joint_with="NPM of Ukraine")
        TeamMemberFactory(visit=joint, user=staff)
        url = reverse("visits:visit_list")
        assert listed(staff_client.get(url, {"night": "true"})) == {night.pk}
        assert listed(staff_client.get(url, {"category": "prison"})) == {in_prison.pk}
        assert listed(staff_client.get(url, {"district": "Braničevo"})) == {in_prison.pk}
        assert listed(staff_client.get(url, {"status": "closed"})) == {in_prison.pk}
        assert listed(staff_client.get(url, {"announced": "true"})) == {in_prison.pk}
        assert listed(staff_client.get(url, {"kind": "joint"})) == {joint.pk}
        assert listed(staff_client.get(url, {"q": "ukraine"})) == {joint.pk}
        assert listed(staff_client.get(url, {"person": staff.last_name})) == {joint.pk}
        assert listed(
            staff_client.get(url, {"date_from": "2014-01-01", "date_to": "2014-12-31"})
        ) == {night.pk}

    def test_bad_filter_value_is_reported(self, staff_client, db):
        response = staff_client.get(reverse("visits:visit_list"), {"date_from": "soon"})
        assert response.status_code == 200
        assert "Enter a valid date." in response.content.decode()

    def test_htmx_gets_only_the_results(self, staff_client, db):
        VisitFactory()
        response = staff_client.get(reverse("visits:visit_list"), HTTP_HX_REQUEST="true")
        body = response.content.decode()
        assert body.lstrip().startswith('<div id="results"')

    def test_query_count_does_not_grow_with_rows(self, staff_client, db):
        url = reverse("visits:visit_list")
        for visit in VisitFactory.create_batch(2):
            TeamMemberFactory(visit=visit, member=MemberFactory())
        with CaptureQueriesContext(connection) as few:
            staff_client.get(url)
        for visit in VisitFactory.create_batch(18):
            TeamMemberFactory(visit=visit, member=MemberFactory())
        with CaptureQueriesContext(connection) as many:
            response = staff_client.get(url)
        assert len(response.context["page"].object_list) == 20
        assert len(many) == len(few)

    def test_paginates(self, staff_client, db):
        VisitFactory.create_batch(30)
        first = staff_client.get(reverse("visits:visit_list"))
        second = staff_client.get(reverse("visits:visit_list"), {"page": 2})
        assert len(listed(first)) == 25
        assert len(listed(second)) == 5
        assert listed(first).isdisjoint(listed(second))

    def test_agenda_lists_upcoming_planned_visits_only(self, staff_client, db):
        ahead = VisitFactory()
        VisitFactory(
            planned_start=timezone.now() - dt.timedelta(days=3),
            planned_end=timezone.now() - dt.timedelta(days=3, hours=-2),
        )
        VisitFactory(status=VisitStatus.CANCELLED, cancel_reason="x")
        response = staff_client.get(reverse("visits:visit_agenda"))
        assert [v.pk for v in response.context["visits"]] == [ahead.pk]

    def test_agenda_query_count_does_not_grow_with_rows(self, staff_client, staff, db):
        url = reverse("visits:visit_agenda")
        for visit in VisitFactory.create_batch(2):
            TeamMemberFactory(visit=visit, member=MemberFactory())
        with CaptureQueriesContext(connection) as few:
            staff_client.get(url)
        for visit in VisitFactory.create_batch(18):
            TeamMemberFactory(visit=visit, member=MemberFactory())
            TeamMemberFactory(visit=visit, user=staff, role="head")
        with CaptureQueriesContext(connection) as many:
            response = staff_client.get(url)
        assert len(response.context["visits"]) == 20
        assert len(many) == len(few)

    def test_place_page_lists_its_visits(self, staff_client, db):
        visit = VisitFactory()
        VisitFactory()
        response = staff_client.get(reverse("visits:place_detail", args=[visit.place.pk]))
        assert [v.pk for v in response.context["visits"]] == [visit.pk]
        assert visit.reference in response.content.decode()


class TestTabs:
    def test_population_with_overcrowding(self, staff_client, db):
        visit = VisitFactory()
        url = reverse("visits:visit_population", args=[visit.pk])
        response = staff_client.post(
            url,
            {
                "capacity_on_day": "6",
                "present": "9",
                "women": "1",
                "minors": "0",
                "foreigners": "2",
            },
        )
        assert response.status_code == 302
        visit.refresh_from_db()
        assert (visit.present, visit.women, visit.foreigners) == (9, 1, 2)
        page = staff_client.get(url).content.decode()
        assert "Overcrowding: 150% of capacity." in page

    def test_population_parts_cannot_exceed_present(self, staff_client, db):
        visit = VisitFactory()
        response = staff_client.post(
            reverse("visits:visit_population", args=[visit.pk]), {"present": "3", "women": "5"}
        )
        assert "Cannot be more than the number present." in response.content.decode()
        visit.refresh_from_db()
        assert visit.present is None

    def test_findings_per_theme(self, staff_client, db):
        visit = VisitFactory()
        url = reverse("visits:visit_findings", args=[visit.pk])
        response = staff_client.post(
            url,
            {"theme": theme("material-conditions").pk, "kind": "concern", "text": "No daylight."},
        )
        assert response.status_code == 302
        finding = Finding.objects.get()
        assert (finding.theme.code, finding.visit) == ("material-conditions", visit)
        form = staff_client.get(url).context["form"]
        # Forced-return themes and fields are not offered on an ordinary visit.
        assert not form.fields["theme"].queryset.filter(forced_return=True).exists()
        assert "phase" not in form.fields

    def test_findings_htmx_and_errors(self, staff_client, db):
        visit = VisitFactory()
        url = reverse("visits:visit_findings", args=[visit.pk])
        empty = staff_client.post(url, {}, HTTP_HX_REQUEST="true")
        assert "This field is required" in empty.content.decode()
        added = staff_client.post(
            url,
            {"theme": theme().pk, "kind": "good_practice", "text": "Injuries recorded."},
            HTTP_HX_REQUEST="true",
        )
        body = added.content.decode()
        assert body.lstrip().startswith('<div id="findings-section"')
        assert "Injuries recorded." in body

    def test_forced_return_operation_and_findings_per_phase(self, staff_client, db):
        visit = VisitFactory(kind=Visit.Kind.FORCED_RETURN)
        url = reverse("visits:visit_return", args=[visit.pk])
        response = staff_client.post(
            url,
            {
                "kind": "joint_frontex",
                "organising_state": "Germany",
                "destination_state": "Serbia",
                "means": "air",
                "returnees_men": "30",
                "returnees_women": "8",
                "returnees_children": "5",
                "escorts": "60",
                "phases": ["in_flight", "pre_departure"],
            },
        )
        assert response.status_code == 302
        operation = ReturnOperation.objects.get(visit=visit)
        assert operation.phases == ["pre_departure", "in_flight"]
        assert operation.returnees == 43
        findings = reverse("visits:visit_findings", args=[visit.pk])
        missing_phase = staff_client.post(
            findings, {"theme": theme("return-in-flight").pk, "kind": "concern", "text": "x"}
        )
        assert "This field is required" in missing_phase.content.decode()
        staff_client.post(
            findings,
            {
                "theme": theme("return-in-flight").pk,
                "kind": "concern",
                "text": "Returnee restrained for the whole flight.",
                "phase": "in_flight",
                "coercive_measures": "Velcro cuffs",
                "medical_issues": "None",
            },
        )
        page = staff_client.get(url).content.decode()
        assert "Velcro cuffs" in page
        assert "Joint operation (FRONTEX)" in page

    def test_return_tab_only_on_forced_return_visits(self, staff_client, db):
        visit = VisitFactory()
        page = staff_client.get(visit.get_absolute_url()).content.decode()
        assert 'data-tab="return"' not in page
        response = staff_client.get(reverse("visits:visit_return", args=[visit.pk]))
        assert response.status_code == 302

    def test_closed_visit_cannot_be_changed(self, staff_client, db):
        visit = VisitFactory(status=VisitStatus.CLOSED)
        response = staff_client.post(
            reverse("visits:visit_findings", args=[visit.pk]),
            {"theme": theme().pk, "kind": "concern", "text": "late"},
            follow=True,
        )
        assert response.status_code == 200
        assert "can no longer be changed" in response.content.decode()
        assert not Finding.objects.exists()


@pytest.mark.usefixtures("db")
def test_dashboard_counts_visits_visible_to_the_user(partner_client, staff_client, on_team):
    year = timezone.localdate().year
    night = VisitFactory(
        planned_start=local(year, 1, 10, 22, 30),
        planned_end=local(year, 1, 11, 1, 0),
        status=VisitStatus.CONDUCTED,
    )
    VisitFactory()  # next week, by day
    VisitFactory(planned_start=local(2014, 6, 12, 9), planned_end=local(2014, 6, 12, 15))
    stats = staff_client.get(reverse("dashboard")).context["visit_stats"]
    assert stats["night_total"] == 1
    assert stats["upcoming"] >= 1
    assert dict((v, n) for v, _l, n in stats["by_status"])["conducted"] == 1
    on_team(night)
    partner_stats = partner_client.get(reverse("dashboard")).context["visit_stats"]
    assert partner_stats["this_year"]["total"] == 1
    assert partner_stats["upcoming"] == 0
    assert partner_stats["partner_only"] is True
