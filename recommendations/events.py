"""Events of `recommendations` that apps built on it act on (npm_portal's webhooks). This app
never imports those apps, so its services send these explicitly (never from a model's save),
inside their transaction; receivers only call a service, and defer anything outside the
database to the commit.

- `recommendation_status_changed(recommendation, old_status, new_status)`: sent by
  `services.recommendation_refresh_status` when the current status actually changes (status
  codes of `models.Status`).
- `response_recorded(response, corrected)`: sent by `services.response_record` (corrected
  False) and by `services.response_correct` when the correction changed something (corrected
  True).
"""

from django.dispatch import Signal

recommendation_status_changed = Signal()
response_recorded = Signal()
