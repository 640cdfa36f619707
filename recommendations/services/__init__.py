"""The services of `recommendations`: every change to recommendations and what hangs off them.

- `authoring`: create and edit recommendations, suggest addressees, link repeats; frozen once
  the report is issued.
- `due_dates`: the response deadline, from the first dispatch (the one response-term rule is
  `models.response_term_days`).
- `status`: `recommendation_refresh_status`, the one writer of a recommendation's current status
  (status, reason, verified on site, status since); every service that changes what the status
  depends on calls it.
- `responses`: authority letters, recorded and corrected (they keep `responded_on`).
- `assessments`: the NPM's verdicts.
- `follow_up`: follow-up visits' checklists.

Services that change state take `by` and check it with `recommendations.access` (`by=None` is
the system itself). The public names are re-exported here: `from recommendations import
services; services.response_record(...)`.
"""

from ..queries.timeline import TimelineEvent, recommendation_timeline
from .assessments import ASSESSED_STATUSES, REASON_REQUIRED, assessment_record
from .authoring import (
    EDITABLE_FIELDS,
    FROZEN_FIELDS,
    ensure_visit_takes_recommendations,
    recommendation_create,
    recommendation_ensure_can_add,
    recommendation_ensure_editable,
    recommendation_update,
    recommendations_bulk_update,
    repeat_link,
    repeat_unlink,
    suggested_addressees,
)
from .due_dates import due_date_for, recommendations_set_due_dates, undispatched_addressees
from .follow_up import follow_up_candidates, follow_up_check_record, follow_up_checklist_prefill
from .promises import past_promises, promise_error, promised_dates_check
from .responses import (
    response_correct,
    response_correctable_recommendations,
    response_recommendations,
    response_record,
)
from .status import recommendation_refresh_status, require_issued

__all__ = [
    "ASSESSED_STATUSES",
    "EDITABLE_FIELDS",
    "FROZEN_FIELDS",
    "REASON_REQUIRED",
    "TimelineEvent",
    "assessment_record",
    "due_date_for",
    "ensure_visit_takes_recommendations",
    "follow_up_candidates",
    "follow_up_check_record",
    "follow_up_checklist_prefill",
    "past_promises",
    "promise_error",
    "promised_dates_check",
    "recommendation_create",
    "recommendation_ensure_can_add",
    "recommendation_ensure_editable",
    "recommendation_refresh_status",
    "recommendation_timeline",
    "recommendation_update",
    "recommendations_bulk_update",
    "recommendations_set_due_dates",
    "repeat_link",
    "repeat_unlink",
    "require_issued",
    "response_correct",
    "response_correctable_recommendations",
    "response_record",
    "response_recommendations",
    "suggested_addressees",
    "undispatched_addressees",
]
