"""The demo reports and recommendations (loaded with everything before them)."""

import hashlib

import pytest
from django.core.management import call_command

from recommendations.models import FollowUpCheck, Recommendation
from visits.models import Report, ReportStatus, SectionStatus


@pytest.fixture
def loaded(db, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "media"
    with django_capture_on_commit_callbacks(execute=True):  # the issued reports' render jobs
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_demo_reports_and_recommendations(loaded, django_user_model):
    # Reports in every state; issued ones with frozen PDFs whose checksum matches the file.
    assert set(Report.objects.values_list("status", flat=True)) == set(ReportStatus.values)
    issued = Report.objects.filter(status=ReportStatus.ISSUED)
    assert issued.count() >= 5
    for report in issued:
        with report.pdf.open("rb") as frozen:
            assert hashlib.sha256(frozen.read()).hexdigest() == report.pdf_sha256
        assert report.public_pdf_sha256
        assert report.dispatches.count() >= 1

    # Sections drafted by the demo partner, and a returned one with the reviewer's comment.
    partner = django_user_model.objects.get(username="partner")
    assert Report.objects.filter(sections__author=partner).count() >= 2
    drafting = Report.objects.get(status=ReportStatus.DRAFTING)
    assert drafting.sections.filter(author=partner, status=SectionStatus.DRAFT).exists()
    assert drafting.sections.filter(status=SectionStatus.RETURNED).exclude(review_comment="")

    # Every status of the vocabulary, overdue responses, repeats across years.
    assert set(Recommendation.objects.values_list("status", flat=True)) == set(
        Recommendation.Status.values
    )
    overdue = [r for r in Recommendation.objects.all() if r.is_overdue()]
    assert len(overdue) >= 2
    repeats = Recommendation.objects.filter(repeats__isnull=False).select_related("visit")
    assert any(r.repeats.first().visit.year < r.visit.year for r in repeats)

    # The Kruševac case of the seeds: most recommendations complied with; the detention
    # premises not renovated for lack of material resources, then two new rooms equipped.
    krusevac = Recommendation.objects.filter(
        visit__place__name="Police Department Kruševac", visit__year=2014
    )
    assert krusevac.filter(status="implemented").count() > krusevac.count() / 2
    premises = krusevac.get(number=1)
    statuses = [a.status for a in premises.assessments.order_by("assessed_on", "pk")]
    assert statuses == ["not_implemented", "in_progress", "implemented"]
    assert premises.assessments.filter(reason="funds").exists()
    assert premises.verified_on_site is True
    letters = premises.response_items.select_related("response").order_by("response__received_on")
    assert [i.response.received_on.isoformat()[:7] for i in letters] == [
        "2014-08",
        "2014-09",
        "2015-01",
    ]
    assert "two new detention rooms" in letters.last().explanation.lower()

    # A planned follow-up visit lists the place's open recommendations.
    planned = FollowUpCheck.objects.filter(visit__status="planned")
    assert planned.exists()
    assert all(check.recommendation.is_open for check in planned)
