"""Events other apps act on. `visits` never imports the apps that build on it, so the services
here send these explicitly (never from a model's save) and the receivers only call a service.

- `visit_planned(visit)`: sent by `visit_create`; recommendations pre-fills a follow-up visit's
  checklist.
- `report_dispatched(dispatch)`: sent by `dispatch_record`; recommendations addressed to that
  authority get their response due date.
- `report_issued(report)`: sent by `report_issue`, inside its transaction; npm_portal's webhooks
  queue a `report.issued` event, sent once the transaction commits.
"""

from django.dispatch import Signal

visit_planned = Signal()
report_dispatched = Signal()
report_issued = Signal()
