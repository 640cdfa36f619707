"""The events come from the services (report_issue, recommendation_refresh_status through every
service that changes a status, response_record, response_correct): each exactly once, with
the documented payload; nothing on a rollback; nothing in any payload from a confidential or
free-text field."""

import json

import pytest
from django.db import transaction

from npm_portal.webhooks import signing
from npm_portal.webhooks.models import EventType, WebhookDelivery
from npm_portal.webhooks.tasks import deliver_webhook
from recommendations import services as rec
from tests.webhooks.scenario import MARKERS, approved_case, issue_and_answer
from visits import services as vs
from visits.pdf.tasks import render_report


@pytest.fixture
def case(db, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return approved_case(staff=staff)


def _events():
    return [(d.event_type, d.payload["data"]) for d in WebhookDelivery.objects.order_by("pk")]


def test_every_service_sends_its_event_once(subscription, case, head, compliance):
    issue_and_answer(case, head=head, compliance=compliance)
    events = _events()
    assert [e for e, _data in events] == [
        EventType.REPORT_ISSUED,
        # response_record: the status follows the letter, then the letter itself.
        EventType.RECOMMENDATION_STATUS_CHANGED,
        EventType.RESPONSE_RECORDED,
        # response_correct: only the letter (the status is still "response received").
        EventType.RESPONSE_RECORDED,
        # assessment_record.
        EventType.RECOMMENDATION_STATUS_CHANGED,
    ]
    report, first_status, letter, correction, assessed = (data for _e, data in events)
    r, rec_ = case.report, case.recommendation
    r.refresh_from_db()
    assert report == {
        "id": r.pk,
        "reference": r.reference,
        "visit_id": case.visit.pk,
        "place_id": case.visit.place_id,
        "issued_on": r.issued_on.isoformat(),
        "language": "en",
        "url": f"/api/v1/reports/{r.pk}/",
    }
    assert (first_status["old_status"], first_status["new_status"]) == (
        "awaiting_response",
        "response_received",
    )
    assert (assessed["old_status"], assessed["new_status"]) == ("response_received", "implemented")
    assert assessed["id"] == rec_.pk
    assert assessed["reference"] == f"{r.reference}/1"
    assert assessed["report_id"] == r.pk
    assert assessed["url"] == f"/api/v1/recommendations/{rec_.pk}/"
    assert assessed["public"] is False
    assert letter["corrected"] is False
    assert correction["corrected"] is True
    assert letter["authority_id"] == case.institution.pk
    assert [i["stated_status"] for i in letter["recommendations"]] == ["in_progress"]
    assert [i["stated_status"] for i in correction["recommendations"]] == ["implemented"]
    assert len({d.event_id for d in WebhookDelivery.objects.all()}) == 5


def test_no_event_when_nothing_changes(subscription, case, head, compliance):
    issue_and_answer(case, head=head, compliance=compliance)
    before = WebhookDelivery.objects.count()
    response = case.recommendation.response_items.get().response
    # The same correction again changes nothing; the same verdict again changes no status.
    rec.response_correct(
        response=response,
        received_on=response.received_on,
        reference=response.reference,
        note=response.note,
        items=[
            {
                "recommendation": case.recommendation,
                "stated_status": "implemented",
                "explanation": response.items.get().explanation,
            }
        ],
        by=compliance,
    )
    rec.assessment_record(
        recommendation=case.recommendation,
        status="implemented",
        basis="other",
        assessed_on=response.received_on,
        by=compliance,
    )
    assert WebhookDelivery.objects.count() == before


def test_a_rolled_back_change_sends_nothing(
    subscription, case, head, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as with a broker: queued on commit
    settings.NPM_RENDER_RUNNER = "celery"
    queued, renders = [], []
    monkeypatch.setattr(deliver_webhook, "delay", queued.append)
    monkeypatch.setattr(render_report, "delay", renders.append)  # the issued PDF's job
    rows_inside = []

    def issue_then_fail():
        with transaction.atomic():
            vs.report_issue(report=case.report, by=head)
            rows_inside.append(WebhookDelivery.objects.count())
            raise RuntimeError("the request failed later")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        issue_then_fail()
    assert rows_inside == [1]
    assert not WebhookDelivery.objects.exists()
    assert queued == []
    case.report.refresh_from_db()
    assert case.report.status == "approved"
    # The same, committed: queued once.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        vs.report_issue(report=case.report, by=head)
    assert len(callbacks) >= 1
    assert queued == [WebhookDelivery.objects.get().pk]


def test_only_subscribed_events_are_delivered(subscription, case, head, compliance, receiver):
    from npm_portal.webhooks import services

    services.subscription_update(
        subscription=subscription,
        name="Reports only",
        url=subscription.url,
        events=["report.issued"],
        active=True,
        by=head,
    )
    issue_and_answer(case, head=head, compliance=compliance)
    assert [e for e, _d in _events()] == [EventType.REPORT_ISSUED]


def test_no_payload_carries_anything_confidential(subscription, case, head, compliance, receiver):
    issue_and_answer(case, head=head, compliance=compliance)
    from django.core.management import call_command

    call_command("deliver_webhooks", verbosity=0)
    deliveries = list(WebhookDelivery.objects.all())
    assert {d.event_type for d in deliveries} == {
        EventType.REPORT_ISSUED,
        EventType.RECOMMENDATION_STATUS_CHANGED,
        EventType.RESPONSE_RECORDED,
    }
    # What was stored, what was posted, and what the receiver got.
    texts = [json.dumps(d.payload, ensure_ascii=False) for d in deliveries]
    texts += [signing.body_bytes(d.payload).decode() for d in deliveries]
    texts += [r.body.decode() for r in receiver.received]
    assert len(receiver.received) == len(deliveries) == 5
    for text in texts:
        for marker in MARKERS:
            assert marker not in text
    # Nor the free text around the markers: titles, texts, names of places and authorities.
    for text in texts:
        for free in (case.report.title, case.recommendation.text, case.institution.name):
            assert free not in text
