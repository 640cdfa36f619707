"""Signals other apps listen to; `visits` never imports the apps that build on it."""

from django.dispatch import Signal

# Sent by `report_issue` once the report is issued (before its PDF is rendered), with
# `report`. Recommendations freeze with the report.
report_issued = Signal()

# Sent by `dispatch_record` with `dispatch`: recommendations addressed to that authority get
# their response due date.
report_dispatched = Signal()
