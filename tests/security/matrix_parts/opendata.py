"""Public open data (npm_portal.opendata, /api/v1/open/) in the role × URL matrices: MATRIX for
the session walk of test_access_matrix.py, API_MATRIX for the token walk of test_api_matrix.py.

Rules: open data is for everyone, anonymous included, with or without a session or a token:
200 for every role on every route; the detail routes point at this part's own issued report and
public recommendation (its own place and visit, so no other part's objects change). Who asks
changes nothing in the answer (tests/opendata)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.factories import PlaceFactory
from tests.factories.recommendations import RecommendationFactory
from tests.factories.visits import ReportFactory, VisitFactory
from visits.models import Report, Visit

EVERYONE = "200 200 200 200 200 200"
ROUTES = [
    "opendata:root",
    "opendata:dictionary",
    "opendata:report-list",
    "opendata:report-detail",
    "opendata:recommendation-list",
    "opendata:recommendation-detail",
    "opendata:recommendations_csv",
    "opendata:recommendations_json",
    "opendata:reports_csv",
    "opendata:reports_json",
]

MATRIX = dict.fromkeys(ROUTES, EVERYONE)
API_MATRIX = dict.fromkeys(ROUTES, EVERYONE)

ARGUMENTS = {
    "opendata:report-detail": lambda w: {"pk": w.objects["od_report"].pk},
    "opendata:recommendation-detail": lambda w: {"pk": w.objects["od_recommendation"].pk},
}
API_ARGUMENTS = dict(ARGUMENTS)


def extend_world(world) -> None:
    visit = VisitFactory(
        place=PlaceFactory(name="Open Data Matrix Prison"), status=Visit.Status.CLOSED
    )
    report = ReportFactory(visit=visit, title="Open data matrix report")
    report.status = Report.Status.ISSUED
    report.issued_at = timezone.now()
    report.issued_on = timezone.localdate()
    report.save()
    recommendation = RecommendationFactory(
        visit=visit,
        number=1,
        text="Give every detainee a copy of the house rules.",
        public=True,
        dispatched_on=report.issued_on,
        due_date=report.issued_on + dt.timedelta(days=60),
    )
    world.objects.update({"od_report": report, "od_recommendation": recommendation})
