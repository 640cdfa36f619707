"""Due dates from dispatch, response letters and assessments: the current status stays the
latest assessment whatever order things are entered in."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.roles import Role
from recommendations import services
from recommendations.models import Assessment, Recommendation
from tests.factories import AuthorityFactory, UserFactory
from tests.factories.recommendations import RecommendationFactory
from tests.factories.visits import ReportFactory
from tests.recommendations.compliance_helpers import dispatch, issue, issued_case, visit_at

pytestmark = pytest.mark.django_db

Status = Recommendation.Status


# --- Due dates ------------------------------------------------------------------------------


def test_due_date_is_sixty_days_from_dispatch_and_fifteen_when_urgent(settings):
    settings.NPM_RESPONSE_TERM_DAYS = 60
    settings.NPM_URGENT_RESPONSE_TERM_DAYS = 15
    sent = dt.date(2025, 10, 3)
    assert services.due_date_for(sent_on=sent, priority="normal") == dt.date(2025, 12, 2)
    assert services.due_date_for(sent_on=sent, priority="high") == dt.date(2025, 12, 2)
    assert services.due_date_for(sent_on=sent, priority="urgent") == dt.date(2025, 10, 18)


def test_dispatch_sets_due_date_of_recommendations_addressed_to_that_authority():
    visit, institution, ministry, (first, second) = issued_case()
    urgent = RecommendationFactory(visit=visit, number=3, priority="urgent")  # institution only
    ministry_only = RecommendationFactory(visit=visit, number=4, addressees=[ministry])
    dispatch(visit, institution, dt.date(2025, 10, 3))
    for rec in (first, second, urgent, ministry_only):
        rec.refresh_from_db()
    assert first.dispatched_on == dt.date(2025, 10, 3)
    assert first.due_date == dt.date(2025, 12, 2)
    assert urgent.due_date == dt.date(2025, 10, 18)
    # Not addressed to the institution: no deadline until the ministry gets the report.
    assert ministry_only.due_date is None
    assert ministry_only.dispatched_on is None
    dispatch(visit, ministry, dt.date(2025, 10, 6))
    ministry_only.refresh_from_db()
    assert ministry_only.due_date == dt.date(2025, 12, 5)


def test_first_dispatch_counts():
    visit, institution, ministry, (rec, _) = issued_case()
    dispatch(visit, ministry, dt.date(2025, 10, 10))
    dispatch(visit, institution, dt.date(2025, 10, 20))
    rec.refresh_from_db()
    assert rec.dispatched_on == dt.date(2025, 10, 10)
    assert rec.due_date == dt.date(2025, 12, 9)


def test_earlier_dispatch_recorded_later_moves_the_deadline_forward():
    visit, institution, ministry, (rec, _) = issued_case()
    dispatch(visit, ministry, dt.date(2025, 10, 20))
    dispatch(visit, institution, dt.date(2025, 10, 5))
    rec.refresh_from_db()
    assert rec.dispatched_on == dt.date(2025, 10, 5)


def test_earlier_dispatch_recorded_later_moves_deadline_and_status_date_together():
    visit, institution, ministry, (rec, urgent) = issued_case()
    Recommendation.objects.filter(pk=urgent.pk).update(priority="urgent")
    dispatch(visit, ministry, dt.date(2025, 10, 20))
    rec.refresh_from_db()
    assert rec.status_changed_on == dt.date(2025, 10, 20)
    dispatch(visit, institution, dt.date(2025, 10, 5))
    rec.refresh_from_db()
    urgent.refresh_from_db()
    assert (rec.dispatched_on, rec.due_date) == (dt.date(2025, 10, 5), dt.date(2025, 12, 4))
    assert urgent.due_date == dt.date(2025, 10, 20)
    # Still awaiting its response: "status since" is the (first) dispatch date.
    assert rec.status == Status.AWAITING_RESPONSE
    assert rec.status_changed_on == dt.date(2025, 10, 5)


def test_due_date_is_derived_from_the_dispatches_whatever_was_stored():
    """The deadline is the legal term from the first dispatch: no page edits it, and a value
    that disagrees (typed in the shell) is put right by the next dispatch, which leaves alone
    what already agrees."""
    visit, institution, ministry, (rec, other) = issued_case()
    first = dispatch(visit, institution, dt.date(2025, 10, 3))
    Recommendation.objects.filter(pk=rec.pk).update(due_date=dt.date(2026, 3, 1))
    assert not Recommendation._meta.get_field("due_date").editable
    history = other.history.count()
    # Whatever order the dispatches are handled in, the result is the same.
    assert services.recommendations_set_due_dates(dispatch=first) == 1
    dispatch(visit, ministry, dt.date(2025, 10, 9))
    rec.refresh_from_db()
    other.refresh_from_db()
    assert (rec.dispatched_on, rec.due_date) == (dt.date(2025, 10, 3), dt.date(2025, 12, 2))
    assert other.due_date == dt.date(2025, 12, 2)
    assert other.history.count() == history  # agreed already: not saved again


def test_dispatch_of_another_report_leaves_recommendations_alone():
    visit, institution, _ministry, (rec, _) = issued_case()
    other, *_ = issued_case()
    dispatch(other, other.place.authority, dt.date(2025, 10, 3))
    rec.refresh_from_db()
    assert rec.due_date is None


# --- Frozen text and adding ------------------------------------------------------------------


def test_recommendations_of_an_issued_report_are_frozen():
    visit, _i, _m, (rec, _) = issued_case()
    with pytest.raises(ValidationError, match="frozen text"):
        services.recommendation_ensure_editable(rec)
    with pytest.raises(ValidationError, match="issued"):
        services.recommendation_ensure_can_add(visit)


def test_recommendations_of_a_draft_report_may_change():
    visit = visit_at()
    ReportFactory(visit=visit)
    rec = RecommendationFactory(visit=visit)
    services.recommendation_ensure_editable(rec)
    services.recommendation_ensure_can_add(visit)
    services.recommendation_ensure_can_add(visit_at())  # no report at all


# --- Response letters ------------------------------------------------------------------------


def _item(rec, stated="in_progress", **extra):
    return {"recommendation": rec, "stated_status": stated, "explanation": "Works ordered."} | extra


def test_response_record_sets_responded_on_and_status():
    visit, institution, _m, (first, second) = issued_case()
    # The services check who acts: a compliance officer records letters and assessments.
    user = UserFactory(roles=[Role.COMPLIANCE])
    response = services.response_record(
        visit=visit,
        authority=institution,
        received_on=dt.date(2025, 11, 20),
        reference="72-1/2025",
        document=None,
        note="",
        items=[_item(first, promised_by=dt.date(2026, 6, 1))],
        by=user,
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert response.items.get().promised_by == dt.date(2026, 6, 1)
    assert first.responded_on == dt.date(2025, 11, 20)
    assert first.status == Status.RESPONSE_RECEIVED
    assert first.status_changed_on == dt.date(2025, 11, 20)
    assert first.history.first().history_user == user
    assert second.status == Status.AWAITING_RESPONSE
    assert second.responded_on is None


def test_earliest_letter_is_the_response_date():
    visit, institution, ministry, (rec, _) = issued_case()
    args = {"visit": visit, "reference": "", "document": None, "note": "", "by": None}
    services.response_record(
        authority=institution, received_on=dt.date(2025, 11, 20), items=[_item(rec)], **args
    )
    services.response_record(
        authority=ministry, received_on=dt.date(2025, 11, 2), items=[_item(rec)], **args
    )
    rec.refresh_from_db()
    assert rec.responded_on == dt.date(2025, 11, 2)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"items": []}, "at least one"),
        ({"received_on": dt.date(2999, 1, 1)}, "future"),
        ({"received_on": dt.date(2025, 9, 1)}, "issued on"),
    ],
)
def test_response_record_refuses_bad_letters(change, message):
    visit, institution, _m, (rec, _) = issued_case()
    args = {
        "visit": visit,
        "authority": institution,
        "received_on": dt.date(2025, 11, 20),
        "reference": "",
        "document": None,
        "note": "",
        "items": [_item(rec)],
        "by": None,
    } | change
    with pytest.raises(ValidationError, match=message):
        services.response_record(**args)
    assert not rec.response_items.exists()


def test_response_refuses_recommendations_of_other_authority_visit_or_closed():
    visit, institution, ministry, (rec, _) = issued_case()
    ministry_only = RecommendationFactory(visit=visit, number=5, addressees=[ministry])
    other_visit, *_rest, (other_rec, _) = issued_case()
    services.assessment_record(
        recommendation=rec,
        status="implemented",
        basis="other",
        assessed_on=dt.date(2025, 10, 15),
    )
    args = {"visit": visit, "authority": institution, "received_on": dt.date(2025, 11, 20)}
    for wrong in (ministry_only, other_rec, rec):  # not addressed; other visit; implemented
        with pytest.raises(ValidationError, match="cannot be answered"):
            services.response_record(items=[_item(wrong)], **args)


def test_response_needs_an_issued_report():
    visit = visit_at()
    ReportFactory(visit=visit)
    rec = RecommendationFactory(visit=visit)
    with pytest.raises(ValidationError, match="not issued"):
        services.response_record(
            visit=visit,
            authority=visit.place.authority,
            received_on=dt.date(2025, 11, 20),
            items=[_item(rec)],
        )


def test_response_document_must_be_an_accepted_type(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    visit, institution, _m, (rec, _) = issued_case()
    with pytest.raises(ValidationError) as error:
        services.response_record(
            visit=visit,
            authority=institution,
            received_on=dt.date(2025, 11, 20),
            document=SimpleUploadedFile("letter.pdf", b"MZ not a pdf at all"),
            items=[_item(rec)],
        )
    assert "document" in error.value.error_dict
    response = services.response_record(
        visit=visit,
        authority=institution,
        received_on=dt.date(2025, 11, 20),
        document=SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n%%EOF\n"),
        items=[_item(rec)],
    )
    assert response.document.name.startswith("responses/")


# --- Assessments -----------------------------------------------------------------------------


def _assess(rec, **kwargs):
    args = {"status": "implemented", "basis": "other", "assessed_on": dt.date(2025, 12, 1)}
    return services.assessment_record(recommendation=rec, **(args | kwargs))


def test_latest_assessment_by_date_wins_even_entered_out_of_order():
    _v, _i, _m, (rec, _) = issued_case()
    _assess(rec, status="not_implemented", reason="funds", assessed_on=dt.date(2026, 3, 1))
    _assess(rec, status="in_progress", assessed_on=dt.date(2025, 12, 1))  # older, entered later
    rec.refresh_from_db()
    assert rec.status == Status.NOT_IMPLEMENTED
    assert rec.reason == "funds"
    assert rec.status_changed_on == dt.date(2026, 3, 1)
    _assess(rec, status="implemented", assessed_on=dt.date(2026, 3, 1))  # same day: entered last
    rec.refresh_from_db()
    assert rec.status == Status.IMPLEMENTED
    assert rec.reason == ""


def test_refresh_without_assessments_falls_back_to_responses():
    visit, institution, _m, (rec, _) = issued_case()
    services.response_record(
        visit=visit, authority=institution, received_on=dt.date(2025, 11, 20), items=[_item(rec)]
    )
    assessment = _assess(rec)
    assessment.delete()
    rec = services.recommendation_refresh_status(recommendation=rec)
    assert rec.status == Status.RESPONSE_RECEIVED
    assert not rec.verified_on_site


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"status": "not_implemented"}, "reason"),
        ({"status": "partially_implemented"}, "reason"),
        ({"status": "implemented", "reason": "funds"}, "reason"),
        ({"status": "no_longer_applicable", "reason": "staff"}, "reason"),
        ({"status": "awaiting_response"}, "status"),
        ({"assessed_on": dt.date(2999, 1, 1)}, "assessed_on"),
        ({"assessed_on": dt.date(2025, 9, 30)}, "assessed_on"),  # before the report was issued
        ({"basis": "response"}, "response"),
        ({"basis": "response", "verified_on_site": True}, "verified_on_site"),
        ({"basis": "follow_up_visit"}, "follow_up_visit"),
    ],
)
def test_assessment_rules(kwargs, field):
    _v, _i, _m, (rec, _) = issued_case()
    with pytest.raises(ValidationError) as error:
        _assess(rec, **kwargs)
    assert field in error.value.error_dict
    rec.refresh_from_db()
    assert rec.status == Status.AWAITING_RESPONSE
    assert not rec.assessments.exists()


def test_reason_is_optional_for_rejected_and_in_progress():
    _v, _i, _m, (rec, _) = issued_case()
    _assess(rec, status="rejected", reason="disagrees")
    _assess(rec, status="in_progress", assessed_on=dt.date(2025, 12, 2))
    rec.refresh_from_db()
    assert rec.status == Status.IN_PROGRESS


def test_basis_response_needs_a_letter_covering_the_recommendation():
    visit, institution, _m, (first, second) = issued_case()
    letter = services.response_record(
        visit=visit, authority=institution, received_on=dt.date(2025, 11, 20), items=[_item(first)]
    )
    with pytest.raises(ValidationError, match="does not answer"):
        _assess(second, basis="response", response=letter)
    with pytest.raises(ValidationError, match="received on"):
        _assess(first, basis="response", response=letter, assessed_on=dt.date(2025, 11, 1))
    assessment = _assess(first, basis="response", response=letter)
    assert assessment.response == letter
    assert not assessment.verified_on_site


def test_basis_follow_up_visit_needs_a_conducted_visit_to_the_same_place():
    visit, _i, _m, (rec, _) = issued_case()
    planned = visit_at(visit.place, day=dt.date(2025, 11, 10), kind="follow_up", status="planned")
    elsewhere = visit_at(day=dt.date(2025, 11, 10), status="conducted")
    conducted = visit_at(visit.place, day=dt.date(2025, 11, 10), status="conducted")
    for wrong, message in (
        (planned, "not been conducted"),
        (elsewhere, "same place"),
        (visit, "later visit"),
    ):
        with pytest.raises(ValidationError, match=message):
            _assess(rec, basis="follow_up_visit", follow_up_visit=wrong)
    with pytest.raises(ValidationError, match="took place"):
        _assess(
            rec,
            basis="follow_up_visit",
            follow_up_visit=conducted,
            assessed_on=dt.date(2025, 11, 1),
        )
    assessment = _assess(rec, basis="follow_up_visit", follow_up_visit=conducted)
    rec.refresh_from_db()
    assert assessment.verified_on_site
    assert rec.verified_on_site


def test_a_letter_cannot_go_with_another_basis():
    visit, institution, _m, (rec, _) = issued_case()
    letter = services.response_record(
        visit=visit, authority=institution, received_on=dt.date(2025, 11, 20), items=[_item(rec)]
    )
    with pytest.raises(ValidationError, match="basis"):
        _assess(rec, basis="other", response=letter)


def test_assessment_needs_an_issued_report():
    visit = visit_at()
    ReportFactory(visit=visit)
    rec = RecommendationFactory(visit=visit)
    with pytest.raises(ValidationError, match="not issued"):
        _assess(rec)
    assert not Assessment.objects.exists()


def test_assessment_history_names_the_user():
    _v, _i, _m, (rec, _) = issued_case()
    # The services check who acts: a compliance officer records letters and assessments.
    user = UserFactory(roles=[Role.COMPLIANCE])
    _assess(rec, by=user)
    rec.refresh_from_db()
    latest = rec.history.first()
    assert latest.status == Status.IMPLEMENTED
    assert latest.history_user == user


def test_issue_helper_leaves_recommendations_without_due_date():
    # Issuing alone sets nothing: the deadline runs from the dispatch.
    visit = visit_at()
    rec = RecommendationFactory(visit=visit, addressees=[AuthorityFactory()])
    issue(visit)
    rec.refresh_from_db()
    assert rec.due_date is None
