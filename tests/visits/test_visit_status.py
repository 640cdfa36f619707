import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tests.factories import PlaceFactory
from tests.factories.visits import ReportFactory, TeamMemberFactory, VisitFactory, local
from visits import services
from visits.models import TeamMember, Visit, VisitStatus


@pytest.fixture
def visit(staff):
    visit = VisitFactory(
        planned_start=timezone.now() - dt.timedelta(hours=5),
        planned_end=timezone.now() - dt.timedelta(hours=1),
    )
    TeamMemberFactory(visit=visit, user=staff, role=TeamMember.Role.HEAD)
    return visit


def test_visit_create_numbers_within_the_year(db, staff):
    place = PlaceFactory()
    first = services.visit_create(
        place=place,
        kind=Visit.Kind.REGULAR,
        planned_start=local(2026, 3, 1, 9),
        planned_end=local(2026, 3, 1, 15),
        by=staff,
    )
    second = services.visit_create(
        place=place,
        kind=Visit.Kind.REGULAR,
        planned_start=local(2026, 5, 1, 9),
        planned_end=local(2026, 5, 1, 15),
        by=staff,
    )
    other_year = services.visit_create(
        place=place,
        kind=Visit.Kind.REGULAR,
        planned_start=local(2025, 5, 1, 9),
        planned_end=local(2025, 5, 1, 15),
    )
    assert (first.reference, second.reference) == ("V-2026-001", "V-2026-002")
    assert other_year.reference == "V-2025-001"
    assert first.status == VisitStatus.PLANNED
    assert first.created_by == staff


def test_conduct_records_actual_times_and_history(visit):
    start, end = visit.planned_start, visit.planned_end
    services.visit_conduct(visit=visit, actual_start=start, actual_end=end)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CONDUCTED
    assert visit.actual_start == start
    assert [h.status for h in visit.history.order_by("history_date")][-1] == "conducted"


def test_conduct_needs_a_head_of_team(db):
    visit = VisitFactory(planned_start=timezone.now() - dt.timedelta(hours=3))
    with pytest.raises(ValidationError, match="head of team"):
        services.visit_conduct(
            visit=visit, actual_start=visit.planned_start, actual_end=visit.planned_end
        )
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED


def test_conduct_refuses_future_times(visit):
    future = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        services.visit_conduct(
            visit=visit, actual_start=future, actual_end=future + dt.timedelta(hours=2)
        )


def test_full_lifecycle(visit):
    services.visit_conduct(
        visit=visit, actual_start=visit.planned_start, actual_end=visit.planned_end
    )
    services.visit_start_reporting(visit=visit)
    # A visit is closed once its report is issued (tests/visits/test_safeguards.py).
    ReportFactory(visit=visit, status="issued", issued_at=timezone.now())
    services.visit_close(visit=visit)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CLOSED
    statuses = list(visit.history.order_by("history_date").values_list("status", flat=True))
    assert statuses == ["planned", "conducted", "reporting", "closed"]


@pytest.mark.parametrize(
    ("status", "service"),
    [
        (VisitStatus.PLANNED, services.visit_start_reporting),
        (VisitStatus.PLANNED, services.visit_close),
        (VisitStatus.CONDUCTED, services.visit_close),
        (VisitStatus.CLOSED, services.visit_start_reporting),
        (VisitStatus.CANCELLED, services.visit_start_reporting),
    ],
)
def test_refused_transitions_leave_the_visit_unchanged(db, status, service):
    visit = VisitFactory(status=status, cancel_reason="x" if status == "cancelled" else "")
    with pytest.raises(ValidationError, match="cannot become"):
        service(visit=visit)
    visit.refresh_from_db()
    assert visit.status == status


@pytest.mark.parametrize("status", [VisitStatus.CONDUCTED, VisitStatus.CLOSED])
def test_only_planned_visits_can_be_cancelled_or_conducted(db, status):
    visit = VisitFactory(status=status)
    with pytest.raises(ValidationError, match="cannot become"):
        services.visit_cancel(visit=visit, reason="Riots")
    with pytest.raises(ValidationError, match="cannot become"):
        services.visit_conduct(
            visit=visit, actual_start=local(2020, 1, 1, 9), actual_end=local(2020, 1, 1, 12)
        )


def test_cancel_needs_a_reason(db):
    visit = VisitFactory()
    with pytest.raises(ValidationError):
        services.visit_cancel(visit=visit, reason="  ")
    services.visit_cancel(visit=visit, reason="Institution under quarantine")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CANCELLED
    assert visit.cancel_reason == "Institution under quarantine"


def test_database_refuses_an_unknown_status(db):
    visit = VisitFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.filter(pk=visit.pk).update(status="teleported")


class TestStatusViews:
    def test_staff_conducts_through_the_form(self, staff_client, visit):
        url = reverse("visits:visit_conduct", args=[visit.pk])
        fmt = "%Y-%m-%dT%H:%M"
        start = timezone.localtime(visit.planned_start)
        response = staff_client.post(
            url,
            {
                "actual_start": start.strftime(fmt),
                "actual_end": (start + dt.timedelta(hours=3)).strftime(fmt),
            },
        )
        assert response.status_code == 302
        visit.refresh_from_db()
        assert visit.status == VisitStatus.CONDUCTED

    def test_empty_post_shows_errors(self, staff_client, visit):
        response = staff_client.post(reverse("visits:visit_conduct", args=[visit.pk]), {})
        assert response.status_code == 200
        assert "This field is required" in response.content.decode()

    def test_refusal_is_shown_not_a_500(self, staff_client, db):
        visit = VisitFactory(planned_start=timezone.now() - dt.timedelta(hours=3))
        fmt = "%Y-%m-%dT%H:%M"
        start = timezone.localtime(visit.planned_start)
        response = staff_client.post(
            reverse("visits:visit_conduct", args=[visit.pk]),
            {
                "actual_start": start.strftime(fmt),
                "actual_end": (start + dt.timedelta(hours=1)).strftime(fmt),
            },
        )
        assert response.status_code == 200
        assert "Name the head of team" in response.content.decode()

    def test_reporting_and_close_buttons(self, staff_client, db):
        visit = VisitFactory(status=VisitStatus.CONDUCTED)
        url = reverse("visits:visit_transition", args=[visit.pk, "reporting"])
        assert staff_client.post(url).status_code == 302
        visit.refresh_from_db()
        assert visit.status == VisitStatus.REPORTING
        # A repeated click is refused with a message.
        response = staff_client.post(url, follow=True)
        assert "cannot become" in response.content.decode()
        # Closing needs the issued report and the confirmation page's "Yes".
        ReportFactory(visit=visit, status="issued", issued_at=timezone.now())
        close = reverse("visits:visit_transition", args=[visit.pk, "close"])
        staff_client.post(close, {"confirm": "yes"})
        visit.refresh_from_db()
        assert visit.status == VisitStatus.CLOSED

    def test_cancel_form(self, staff_client, db):
        visit = VisitFactory()
        url = reverse("visits:visit_cancel", args=[visit.pk])
        assert "This field is required" in staff_client.post(url, {}).content.decode()
        staff_client.post(url, {"reason": "Weather", "confirm": "yes"})
        visit.refresh_from_db()
        assert visit.status == VisitStatus.CANCELLED

    @pytest.mark.parametrize("client_name", ["compliance_client"])
    def test_read_only_roles_cannot_change_status(self, request, client_name, db):
        client = request.getfixturevalue(client_name)
        visit = VisitFactory()
        assert (
            client.post(
                reverse("visits:visit_cancel", args=[visit.pk]), {"reason": "x"}
            ).status_code
            == 403
        )
        visit.refresh_from_db()
        assert visit.status == VisitStatus.PLANNED
