"""Receivers of the events of `visits` and `recommendations` (sent by their services, never by
model saves). Each builds the event's payload (`payloads`: ids and codes only) and calls
`services.delivery_enqueue`, which writes the deliveries in the sender's transaction and queues
them once it commits: a rolled-back change sends nothing.

- `visits.signals.report_issued(report)` (`report_issue`) → `report.issued`
- `recommendations.events.recommendation_status_changed(recommendation, old_status,
  new_status)` (`recommendation_refresh_status`) → `recommendation.status_changed`
- `recommendations.events.response_recorded(response, corrected)` (`response_record`,
  `response_correct`) → `response.recorded`
"""

from __future__ import annotations

from django.dispatch import receiver

from recommendations.events import recommendation_status_changed, response_recorded
from visits.signals import report_issued

from . import payloads, services
from .models import EventType


@receiver(report_issued, dispatch_uid="webhooks_report_issued")
def on_report_issued(sender, report, **kwargs) -> None:
    services.delivery_enqueue(
        event_type=EventType.REPORT_ISSUED, payload=payloads.report_issued(report)
    )


@receiver(recommendation_status_changed, dispatch_uid="webhooks_recommendation_status")
def on_recommendation_status_changed(
    sender, recommendation, old_status, new_status, **kwargs
) -> None:
    services.delivery_enqueue(
        event_type=EventType.RECOMMENDATION_STATUS_CHANGED,
        payload=payloads.recommendation_status_changed(
            recommendation, old_status=old_status, new_status=new_status
        ),
    )


@receiver(response_recorded, dispatch_uid="webhooks_response_recorded")
def on_response_recorded(sender, response, corrected, **kwargs) -> None:
    services.delivery_enqueue(
        event_type=EventType.RESPONSE_RECORDED,
        payload=payloads.response_recorded(response, corrected=corrected),
    )
