"""The authority portal: the institutions and ministries that receive recommendations answer them
here (journey 5 of DESIGN.md).

- `models`: authority accounts (a user of one authority node, with a function: focal point,
  alternate, validating authority), submissions (a draft answer to a report's recommendations,
  signed off and submitted; the submission forms an `AuthorityResponse` letter), their answers and
  evidence files, escalations of overdue recommendations to the parent authority.
- `access`: what an authority user may see (their node and the nodes below it; only issued
  reports dispatched to them) and do (by function); the one place those rules live.
- `middleware`: every page outside the authority area is a 404 for an authority user.
- `services`: every change (accounts, the answer workflow, the NPM's review).
- `reminders`: deadline reminders to authority users, escalation.
- `views/authority.py` and `views/answering.py` (the authority area, /authority/: what they read,
  and the answer workflow), `views/npm.py` and `views/escalations.py` (the NPM side, /answers/:
  submissions inbox, authority accounts, escalations).
"""
