"""Writes through the API: a response letter with its items and an assessment, recorded by the
same services as the pages (same rules, same rows, same history, same status refresh)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations import services
from recommendations.models import Assessment, AuthorityResponse, Recommendation, ResponseItem
from tests.api.resources.conftest import ROLES
from tests.recommendations.compliance_helpers import dispatch, issued_case, visit_at

pytestmark = pytest.mark.django_db


def _letter(case, **overrides) -> dict:
    first, second = case.recommendations
    body = {
        "authority": case.institution.pk,
        "received_on": "2025-11-20",
        "reference": "72-9/2025",
        "note": "Internal: called the director.",
        "items": [
            {
                "recommendation": first.pk,
                "stated_status": "in_progress",
                "explanation": "Works start in spring.",
                "promised_by": "2026-06-01",
            },
            {"recommendation": second.pk, "stated_status": "implemented"},
        ],
    }
    body.update(overrides)
    return body


def _post(client, name: str, body: dict):
    return client.post(reverse(name), body, format="json")


def test_who_may_record_a_letter(case, writers, clients):
    # The same empty body for everyone: writers are told what is missing, partners get 404.
    got = " ".join(str(_post(writers[r], "api:response-list", {}).status_code) for r in ROLES)
    assert got == "401 400 400 400 404 404"
    # A read token may not write at all.
    assert _post(clients["compliance"], "api:response-list", _letter(case)).status_code == 403
    assert not AuthorityResponse.objects.exists()


def test_compliance_records_a_letter_with_its_items(case, writers, compliance):
    response = _post(writers["compliance"], "api:response-list", _letter(case))
    assert response.status_code == 201, response.content
    body = response.json()
    letter = AuthorityResponse.objects.get(pk=body["id"])
    assert letter.visit == case.visit  # from the items' recommendations
    assert letter.recorded_by == compliance
    assert letter.note == "Internal: called the director."
    assert "note" not in body  # internal notes are written, never read back
    assert body["reference"] == "72-9/2025"
    assert sorted((i["recommendation"], i["stated_status"]) for i in body["items"]) == sorted(
        [(case.recommendations[0].pk, "in_progress"), (case.recommendations[1].pk, "implemented")]
    )
    first = Recommendation.objects.get(pk=case.recommendations[0].pk)
    assert first.status == "response_received"
    assert first.responded_on == dt.date(2025, 11, 20)


def _rows(letter: AuthorityResponse) -> dict:
    """What recording a letter leaves behind, independent of ids."""
    recs = Recommendation.objects.filter(response_items__response=letter).order_by("number")
    return {
        "letter": (letter.received_on, letter.reference, letter.note, letter.recorded_by_id),
        "letter_history": list(letter.history.values_list("history_type", "history_user_id")),
        "items": [
            (i.recommendation.number, i.stated_status, i.explanation, i.promised_by)
            for i in ResponseItem.objects.filter(response=letter).order_by("recommendation__number")
        ],
        "item_history": sorted(
            ResponseItem.history.filter(response_id=letter.pk).values_list(
                "history_type", "history_user_id", "stated_status"
            )
        ),
        "recommendations": [
            (r.number, r.status, r.reason, r.responded_on, r.status_changed_on) for r in recs
        ],
        "recommendation_history": [
            list(
                r.history.order_by("history_id").values_list(
                    "history_type", "status", "responded_on", "history_user_id"
                )
            )
            for r in recs
        ],
    }


def test_an_api_letter_leaves_exactly_the_rows_of_the_page_service(case, writers, compliance):
    # The same letter about a twin case, recorded by the service the page calls.
    visit, institution, _ministry, recs = issued_case(count=2)
    dispatch(visit, institution, dt.date(2025, 10, 3))
    page_letter = services.response_record(
        visit=visit,
        authority=institution,
        received_on=dt.date(2025, 11, 20),
        reference="72-9/2025",
        note="Internal: called the director.",
        items=[
            {
                "recommendation": recs[0],
                "stated_status": "in_progress",
                "explanation": "Works start in spring.",
                "promised_by": dt.date(2026, 6, 1),
            },
            {"recommendation": recs[1], "stated_status": "implemented"},
        ],
        by=compliance,
    )
    response = _post(writers["compliance"], "api:response-list", _letter(case))
    api_letter = AuthorityResponse.objects.get(pk=response.json()["id"])
    assert _rows(api_letter) == _rows(page_letter)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"received_on": "2999-01-01"}, "received_on"),  # in the future
        ({"received_on": "2025-09-01"}, "received_on"),  # before the report was issued
        ({"received_on": "not a date"}, "received_on"),
        ({"authority": 999999}, "authority"),
        ({"items": []}, "items"),
        (
            {"items": [{"recommendation": "abc", "stated_status": "implemented"}]},
            "items.0.recommendation",
        ),
        ({"items": "nope"}, "items"),
    ],
)
def test_bad_letters_are_400_with_the_field(case, writers, change, field):
    response = _post(writers["compliance"], "api:response-list", _letter(case, **change))
    assert response.status_code == 400, response.content
    fields = response.json()["error"]["fields"]
    # A list's own error (empty, not a list) is under "items.non_field_errors".
    assert any(key == field or key.startswith(f"{field}.non_field") for key in fields), fields
    assert not AuthorityResponse.objects.exists()


def test_a_stated_status_the_letter_cannot_state(case, writers):
    body = _letter(case)
    body["items"][1]["stated_status"] = "awaiting_response"
    response = _post(writers["staff"], "api:response-list", body)
    assert response.status_code == 400
    assert "items.1.stated_status" in response.json()["error"]["fields"]


def test_a_recommendation_not_addressed_to_that_authority_is_refused(case, writers):
    # The ministry of issued_case is an addressee; an authority that is not, is refused.
    other = visit_at(case.visit.place, day=dt.date(2025, 9, 12))
    body = _letter(case, authority=case.institution.parent.pk)  # the directorate
    response = _post(writers["head"], "api:response-list", body)
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert "items.0.recommendation" in fields
    assert "cannot be answered by this letter" in fields["items.0.recommendation"][0]
    assert other.pk  # (another visit at the place changes nothing)
    assert not AuthorityResponse.objects.exists()


def test_items_of_two_visits_need_the_visit(case, writers):
    visit, institution, _m, (rec,) = issued_case(place=case.visit.place, count=1)
    body = _letter(case)
    body["items"].append({"recommendation": rec.pk, "stated_status": "implemented"})
    response = _post(writers["compliance"], "api:response-list", body)
    assert response.status_code == 400
    assert "visit" in response.json()["error"]["fields"]


def test_the_same_letter_twice_is_refused(case, writers):
    assert _post(writers["compliance"], "api:response-list", _letter(case)).status_code == 201
    again = _post(writers["compliance"], "api:response-list", _letter(case))
    assert again.status_code == 400
    assert "already recorded" in again.json()["error"]["message"]
    assert AuthorityResponse.objects.count() == 1


def test_a_draft_report_cannot_be_answered(case, writers, staff):
    from tests.factories.recommendations import RecommendationFactory

    draft = RecommendationFactory(visit=case.elsewhere)
    body = {
        "authority": case.elsewhere.place.authority_id,
        "received_on": "2025-11-20",
        "items": [{"recommendation": draft.pk, "stated_status": "implemented"}],
    }
    response = _post(writers["staff"], "api:response-list", body)
    assert response.status_code == 400
    assert not AuthorityResponse.objects.exists()


# --- Assessments -------------------------------------------------------------------------------


def _letter_recorded(case):
    return services.response_record(
        visit=case.visit,
        authority=case.institution,
        received_on=dt.date(2025, 11, 20),
        items=[{"recommendation": case.recommendations[0], "stated_status": "in_progress"}],
    )


def test_who_may_assess(case, writers):
    got = " ".join(str(_post(writers[r], "api:assessment-list", {}).status_code) for r in ROLES)
    assert got == "401 400 400 400 404 404"


def test_an_assessment_sets_the_current_status(case, writers, staff):
    letter = _letter_recorded(case)
    rec = case.recommendations[0]
    body = {
        "recommendation": rec.pk,
        "status": "partially_implemented",
        "reason": "funds",
        "basis": "response",
        "response": letter.pk,
        "assessed_on": "2025-12-01",
        "note": "Internal note.",
    }
    response = _post(writers["staff"], "api:assessment-list", body)
    assert response.status_code == 201, response.content
    assessment = Assessment.objects.get(pk=response.json()["id"])
    assert assessment.assessed_by == staff
    assert assessment.note == "Internal note."
    assert "note" not in response.json()
    rec.refresh_from_db()
    assert (rec.status, rec.reason, rec.status_changed_on) == (
        "partially_implemented",
        "funds",
        dt.date(2025, 12, 1),
    )
    listed = writers["compliance"].get(reverse("api:assessment-list"), {"recommendation": rec.pk})
    assert [a["id"] for a in listed.json()["results"]] == [assessment.pk]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"status": "awaiting_response"}, "status"),  # automatic, never assessed
        ({"status": "not_implemented", "reason": ""}, "reason"),  # a reason is required
        ({"reason": "funds", "status": "implemented"}, "reason"),  # no reason for this one
        ({"assessed_on": "2999-01-01"}, "assessed_on"),
        ({"assessed_on": "2025-11-01"}, "assessed_on"),  # before the letter came
        ({"basis": "follow_up_visit", "response": None}, "follow_up_visit"),
        ({"response": None}, "response"),
        ({"basis": "moon"}, "basis"),
    ],
)
def test_bad_assessments_are_400_with_the_field(case, writers, change, field):
    letter = _letter_recorded(case)
    body = {
        "recommendation": case.recommendations[0].pk,
        "status": "in_progress",
        "basis": "response",
        "response": letter.pk,
        "assessed_on": "2025-12-01",
        **change,
    }
    response = _post(writers["compliance"], "api:assessment-list", body)
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert not Assessment.objects.exists()


def test_letters_and_assessments_are_read_by_the_npm_roles_only(case, clients):
    letter = _letter_recorded(case)
    services.assessment_record(
        recommendation=case.recommendations[0],
        status="in_progress",
        basis="response",
        response=letter,
        assessed_on=timezone.localdate(),
    )
    assessment = Assessment.objects.get()
    for path in (
        reverse("api:response-list"),
        reverse("api:response-detail", args=[letter.pk]),
        reverse("api:assessment-list"),
        reverse("api:assessment-detail", args=[assessment.pk]),
    ):
        got = " ".join(str(clients[r].get(path).status_code) for r in ROLES)
        assert got == "401 200 200 200 404 404", path
    body = clients["compliance"].get(reverse("api:response-detail", args=[letter.pk])).json()
    assert body["items"][0]["recommendation"] == case.recommendations[0].pk
    filtered = clients["staff"].get(
        reverse("api:response-list"), {"authority": case.institution.parent.parent.pk}
    )
    assert [r["id"] for r in filtered.json()["results"]] == [letter.pk]
