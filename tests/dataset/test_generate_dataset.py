"""The benchmark dataset (`manage.py generate_dataset`): counts follow the scale, the same seed
gives the same data, and the data is what the app itself would have left."""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count, Min

from core.roles import Role, user_roles
from npm_portal.dataset import generate
from partners.models import Agreement, Application, Member, Organisation, PublicCall
from partners.services import member_team_eligibility
from recommendations.models import (
    OPEN_STATUSES,
    Assessment,
    AuthorityResponse,
    FollowUpCheck,
    Recommendation,
    ResponseItem,
)
from recommendations.services import due_date_for, recommendation_refresh_status
from tests.factories import PlaceFactory
from visits.models import (
    Authority,
    Dispatch,
    Place,
    Report,
    ReportSection,
    ReturnOperation,
    TeamMember,
    Visit,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)


def fingerprint() -> list[tuple]:
    recommendations = Recommendation.objects.select_related("visit").annotate(
        addressee_count=Count("addressees")
    )
    return sorted(
        (
            rec.visit.reference,
            rec.visit.place_id,
            rec.number,
            rec.text,
            rec.status,
            rec.due_date,
            rec.responded_on,
            rec.addressee_count,
        )
        for rec in recommendations
    ) + sorted(Assessment.objects.values_list("recommendation__number", "status", "assessed_on"))


def generated_fingerprint(seed: int) -> list[tuple]:
    """Generate, fingerprint and roll back (the test's transaction stays as it was)."""
    with transaction.atomic():
        generate(0.001, seed=seed, today=TODAY)
        result = fingerprint()
        transaction.set_rollback(True)
    return result


def test_counts_follow_the_scale():
    counts = generate(0.002, seed=3)
    assert counts["places"] == Place.objects.count() == 2
    assert counts["visits"] == Visit.objects.count() == 40
    assert counts["partner members"] == Member.objects.count() == 2
    recommendations = Recommendation.objects.count()
    assert counts["recommendations"] == recommendations
    assert 340 <= recommendations <= 460  # 200,000 × 0.002, spread over the reports
    links = Recommendation.addressees.through.objects.count()
    assert counts["recommendation addressees"] == links
    assert 1.6 <= links / recommendations <= 2.6  # about 420,000 per 200,000
    assert 80 <= TeamMember.objects.count() <= 160  # about 60,000 per 20,000 visits
    assert 150 <= ResponseItem.objects.count() <= 500
    assert 200 <= Assessment.objects.count() <= 750


def test_twice_the_scale_gives_twice_the_rows():
    def counts(scale: float) -> dict[str, int]:
        with transaction.atomic():
            result = generate(scale, seed=5, today=TODAY)
            transaction.set_rollback(True)
        return result

    small, large = counts(0.001), counts(0.002)
    assert large["visits"] == 2 * small["visits"] == 40
    for table in ("recommendations", "recommendation addressees", "team members", "dispatches"):
        assert 1.5 <= large[table] / small[table] <= 2.5, table


def test_the_same_seed_gives_the_same_data():
    first = generated_fingerprint(seed=7)
    assert first, "nothing was generated"
    assert generated_fingerprint(seed=7) == first


def test_another_seed_gives_other_data():
    assert generated_fingerprint(seed=7) != generated_fingerprint(seed=8)


def test_every_recommendation_has_an_addressee_and_statuses_mix():
    generate(0.003, seed=1)
    assert not Recommendation.objects.filter(addressees__isnull=True).exists()
    statuses = set(Recommendation.objects.values_list("status", flat=True))
    assert len(statuses) >= 5
    assert Recommendation.Status.AWAITING_RESPONSE in statuses
    assert Recommendation.Status.IMPLEMENTED in statuses
    issued = Recommendation.objects.issued()
    overdue = issued.overdue().count()
    assert 0 < overdue < issued.count() / 2
    assert issued.filter(responded_on__isnull=False).exists()
    # Drafts have not been sent to anyone: no deadline yet.
    assert not Recommendation.objects.exclude(visit__report__status=Report.Status.ISSUED).filter(
        due_date__isnull=False
    )
    assert set(Report.objects.values_list("status", flat=True)) >= {"issued", "drafting"}
    assert Recommendation.repeats.through.objects.exists()


def test_status_and_dates_are_what_the_services_derive():
    generate(0.002, seed=2)
    sample = list(
        Recommendation.objects.issued().filter(pk__in=_spread(Recommendation.objects.issued()))
    )
    assert sample
    for rec in sample:
        before = (rec.status, rec.reason, rec.verified_on_site, rec.status_changed_on)
        first_dispatch = Dispatch.objects.filter(
            report__visit_id=rec.visit_id, authority__in=rec.addressees.all()
        ).aggregate(first=Min("sent_on"))["first"]
        assert rec.dispatched_on == first_dispatch
        assert rec.due_date == due_date_for(sent_on=first_dispatch, priority=rec.priority)
        first_letter = AuthorityResponse.objects.filter(items__recommendation=rec).aggregate(
            first=Min("received_on")
        )["first"]
        assert rec.responded_on == first_letter
        refreshed = recommendation_refresh_status(recommendation=rec)
        after = (
            refreshed.status,
            refreshed.reason,
            refreshed.verified_on_site,
            refreshed.status_changed_on,
        )
        assert after == before, rec.reference


def test_letters_answer_only_their_authoritys_recommendations():
    generate(0.002, seed=4)
    items = ResponseItem.objects.select_related("response", "recommendation__visit__report")
    for item in items:
        rec = item.recommendation
        assert item.response.visit_id == rec.visit_id
        assert rec.addressees.filter(pk=item.response.authority_id).exists()
        assert item.response.received_on >= rec.visit.report.issued_on
        # A letter answers open recommendations only (`response_recommendations`).
        before = (
            rec.assessments.filter(assessed_on__lt=item.response.received_on)
            .order_by("-assessed_on", "-pk")
            .first()
        )
        assert before is None or before.status in OPEN_STATUSES, rec.reference
    for assessment in Assessment.objects.filter(basis=Assessment.Basis.RESPONSE):
        assert assessment.response.items.filter(recommendation=assessment.recommendation_id)
        assert assessment.assessed_on >= assessment.response.received_on
    for assessment in Assessment.objects.filter(basis=Assessment.Basis.FOLLOW_UP_VISIT):
        visit, rec = assessment.follow_up_visit, assessment.recommendation
        assert visit.place_id == rec.visit.place_id
        assert visit.kind == Visit.Kind.FOLLOW_UP
        assert assessment.verified_on_site
        assert assessment.check_line.visit_id == visit.pk


MODELS = [
    get_user_model(),
    Organisation,
    PublicCall,
    Application,
    Agreement,
    Member,
    Authority,
    Place,
    Visit,
    TeamMember,
    ReturnOperation,
    Report,
    ReportSection,
    Dispatch,
    Recommendation,
    AuthorityResponse,
    ResponseItem,
    Assessment,
    FollowUpCheck,
]


def _spread(queryset, count: int = 8) -> list[int]:
    """A few pks from the start, the middle and the end of a table."""
    pks = list(queryset.order_by("pk").values_list("pk", flat=True))
    step = max(1, len(pks) // count)
    return pks[::step] + pks[-1:]


def test_full_clean_passes_on_a_sample_of_every_model():
    generate(0.002, seed=6)
    for model in MODELS:
        if model is ReturnOperation:
            continue  # too few places at this scale: see the next test
        sample = model.objects.filter(pk__in=_spread(model.objects.all()))
        assert sample.exists(), f"no {model.__name__} generated"
        for row in sample:
            row.full_clean()


def test_forced_return_visits_have_their_operation():
    generate(0.02, seed=1)
    monitored = Visit.objects.filter(
        kind=Visit.Kind.FORCED_RETURN, status__in=["conducted", "reporting", "closed"]
    )
    assert monitored.exists()
    assert ReturnOperation.objects.count() == monitored.count()
    for operation in ReturnOperation.objects.select_related("visit"):
        assert operation.visit.place.category in ("airport", "border", "foreigners")
        operation.full_clean()


def test_section_texts_are_encrypted_at_rest():
    generate(0.001, seed=1)
    section = ReportSection.objects.exclude(body="").first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM visits_reportsection WHERE id = %s", [section.pk])
        (stored,) = cursor.fetchone()
    assert section.body
    assert stored != section.body
    assert stored.startswith("gAAAA")  # a Fernet token


def test_logins_for_the_harness_have_their_roles():
    generate(0.001, seed=1)
    users = get_user_model().objects
    expected = {
        "dataset-staff": Role.STAFF,
        "dataset-head": Role.HEAD,
        "dataset-compliance": Role.COMPLIANCE,
        "dataset-admin": Role.STAFF,
    }
    for username, role in expected.items():
        user = users.get(username=username)
        assert user_roles(user) == [role]
        assert not user.has_usable_password()
    admin = users.get(username="dataset-admin")
    assert admin.is_superuser
    assert admin.is_staff
    partner = users.get(username="dataset-partner-0001")
    assert user_roles(partner) == [Role.PARTNER]
    assert partner.partner_member.organisation_id


def test_partner_members_may_be_on_their_teams():
    generate(0.002, seed=1)
    team = TeamMember.objects.filter(member__isnull=False).select_related("visit", "member")
    assert team.exists()
    for member in team:
        assert (
            member_team_eligibility(member=member.member, on_date=member.visit.start.date()) == []
        )
    assert Visit.objects.filter(team__member__user__username="dataset-partner-0001").exists()
    assert TeamMember.objects.filter(role=TeamMember.Role.HEAD).count() == Visit.objects.count()


def test_new_rows_after_the_dataset_get_fresh_ids():
    generate(0.001, seed=1)
    highest = Place.objects.order_by("-pk").values_list("pk", flat=True)[0]
    assert PlaceFactory().pk > highest


def test_the_command_fills_an_empty_database_and_refuses_a_filled_one():
    out = StringIO()
    call_command("generate_dataset", "--scale", "0.001", "--seed", "2", stdout=out)
    assert "recommendations" in out.getvalue()
    assert Visit.objects.count() == 20
    with pytest.raises(CommandError, match="already has data"):
        call_command("generate_dataset", "--scale", "0.001", stdout=StringIO())
    assert Visit.objects.count() == 20


def test_the_command_refuses_a_database_with_places():
    PlaceFactory()
    with pytest.raises(CommandError, match="already has data"):
        call_command("generate_dataset", "--scale", "0.001", "--quiet", stdout=StringIO())
    assert not Visit.objects.exists()
