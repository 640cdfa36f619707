"""What each event says. Ids, generated reference numbers, status and reason codes, flags and
dates only: never free text (no recommendation or section text, no titles, no notes, no letter
references or explanations, no names), so nothing confidential can reach an endpoint. A receiver
that needs more asks the REST API (the `url`), with a token, under the API's access rules."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .models import EventType

API = "/api/v1"


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def envelope(event_type: str, data: dict) -> dict:
    return {"type": event_type, "timestamp": timezone.now().isoformat(), "data": data}


def report_issued(report) -> dict:
    return envelope(
        EventType.REPORT_ISSUED,
        {
            "id": report.pk,
            "reference": report.reference,
            "visit_id": report.visit_id,
            "place_id": report.visit.place_id,
            "issued_on": _date(report.issued_on),
            "language": report.language,
            "url": f"{API}/reports/{report.pk}/",
        },
    )


def recommendation_status_changed(recommendation, *, old_status: str, new_status: str) -> dict:
    report = getattr(recommendation.visit, "report", None)
    return envelope(
        EventType.RECOMMENDATION_STATUS_CHANGED,
        {
            "id": recommendation.pk,
            "reference": recommendation.reference,
            "number": recommendation.number,
            "report_id": report.pk if report is not None else None,
            "visit_id": recommendation.visit_id,
            "old_status": old_status,
            "new_status": new_status,
            "reason": recommendation.reason or None,
            "verified_on_site": recommendation.verified_on_site,
            "status_changed_on": _date(recommendation.status_changed_on),
            "public": recommendation.public,
            "url": f"{API}/recommendations/{recommendation.pk}/",
        },
    )


def response_recorded(response, *, corrected: bool) -> dict:
    report = getattr(response.visit, "report", None)
    items = response.items.order_by("recommendation_id")
    return envelope(
        EventType.RESPONSE_RECORDED,
        {
            "id": response.pk,
            "visit_id": response.visit_id,
            "report_id": report.pk if report is not None else None,
            "authority_id": response.authority_id,
            "received_on": _date(response.received_on),
            "corrected": corrected,
            "recommendations": [
                {
                    "id": item.recommendation_id,
                    "stated_status": item.stated_status,
                    "promised_by": _date(item.promised_by),
                    "url": f"{API}/recommendations/{item.recommendation_id}/",
                }
                for item in items
            ],
        },
    )


def ping(subscription) -> dict:
    return envelope(EventType.PING, {"subscription_id": subscription.pk})
