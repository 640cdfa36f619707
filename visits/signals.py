"""Events other apps act on. `visits` never imports the apps that build on it, so the services
here send these explicitly (never from a model's save) and the receivers only call a service.

- `visit_planned(visit)`: sent by `visit_create`; recommendations pre-fills a follow-up visit's
  checklist.
- `report_dispatched(dispatch)`: sent by `dispatch_record`; recommendations addressed to that
  authority get their response due date.
- `report_issued(report)`: sent by `report_issue`, inside its transaction; npm_portal's webhooks
  queue a `report.issued` event, sent once the transaction commits.
- `section_assigned(section, by)`, `section_submitted(section, by)`,
  `section_returned(section, by)`: sent by the section services when a section gets an author,
  is submitted, is returned with a review comment; `report_submitted_for_review(report, by)` by
  `report_submit_for_review`. npm_portal's notifications tell the people concerned.
"""

from django.dispatch import Signal

visit_planned = Signal()
report_dispatched = Signal()
report_issued = Signal()
section_assigned = Signal()
section_submitted = Signal()
section_returned = Signal()
report_submitted_for_review = Signal()
