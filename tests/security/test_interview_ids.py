"""Compliance officers see visits but not interviews: an interview's page answers 404 whether
the id exists or not (a 403 for the existing ones would tell which do), and the refusal is
logged."""

from django.urls import reverse

from tests.factories.visits import VisitFactory
from visits import services
from visits.models import AccessAction, AccessLog


def test_compliance_cannot_tell_which_interview_ids_exist(staff, compliance, compliance_client):
    visit = VisitFactory()
    interview = services.interview_create(visit=visit, interviewee="detainee", by=staff)
    existing = compliance_client.get(
        reverse("visits:interview_detail", args=[visit.pk, interview.pk])
    )
    missing = compliance_client.get(
        reverse("visits:interview_detail", args=[visit.pk, interview.pk + 1000])
    )
    assert existing.status_code == missing.status_code == 404
    logged = AccessLog.objects.filter(user=compliance, action=AccessAction.DENIED)
    assert sorted(logged.values_list("object_id", flat=True)) == sorted(
        [str(interview.pk), str(interview.pk + 1000)]
    )


def test_staff_still_open_the_interview(staff, staff_client):
    visit = VisitFactory()
    interview = services.interview_create(visit=visit, interviewee="detainee", by=staff)
    response = staff_client.get(reverse("visits:interview_detail", args=[visit.pk, interview.pk]))
    assert response.status_code == 200
    assert interview.code in response.content.decode()
