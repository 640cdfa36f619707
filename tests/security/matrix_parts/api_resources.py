"""The API's resources (npm_portal/api/resources/) in the role × URL matrices: API_MATRIX for
tests/security/test_api_matrix.py (a read token per role, anonymous with none) and MATRIX for
the session walk of test_access_matrix.py (the API accepts a logged-in session too, so the codes
are the same).

Rules, as on the pages: places, authorities, the visit list and the report list are for every
role (a partner member's lists hold only their visits); the world's visit and its report: 404 for
the partner not on it; the full PDF of the issued report: 403 for the partner on the team, the
public version 200; recommendations, letters and assessments: 404 for partner-only users.
Without a token: 401 everywhere.

The objects are the world's (reports.py, pdf.py and recommendations_compliance.py create them);
the one assessment is recorded through `assessment_record` the first time its URL is built
(the parts' `extend_world` run in file-name order, so this module's would run before the letter
it rests on exists).
"""

from __future__ import annotations

import datetime as dt

from recommendations import services
from recommendations.models import Assessment

# Columns: anonymous, head, staff, compliance, partner on the visit, partner not on it.
EVERYONE = "401 200 200 200 200 200"
ON_THE_VISIT = "401 200 200 200 200 404"
NPM_ONLY = "401 200 200 200 404 404"

API_MATRIX = {
    "api:place-list": EVERYONE,
    "api:place-detail": EVERYONE,
    "api:authority-list": EVERYONE,
    "api:authority-detail": EVERYONE,
    "api:visit-list": EVERYONE,
    "api:visit-detail": ON_THE_VISIT,
    "api:report-list": EVERYONE,
    "api:report-detail": ON_THE_VISIT,
    "api:report-pdf": "401 200 200 200 403 404",
    "api:report-public-pdf": ON_THE_VISIT,
    "api:recommendation-list": NPM_ONLY,
    "api:recommendation-detail": NPM_ONLY,
    "api:recommendation-timeline": NPM_ONLY,
    "api:response-list": NPM_ONLY,
    "api:response-detail": NPM_ONLY,
    "api:assessment-list": NPM_ONLY,
    "api:assessment-detail": NPM_ONLY,
}

# POST with a read+write token and an empty JSON body. Columns as above: head, staff and
# compliance are told what is missing (400); partner-only users get the 404 of the pages.
API_POST_MATRIX = {
    "api:response-list": "401 400 400 400 404 404",
    "api:assessment-list": "401 400 400 400 404 404",
}

# The session walk: the same codes (a session is a way in, like a token).
MATRIX = dict(API_MATRIX)


def assessment_of(world) -> Assessment:
    """The world's assessment: of the answered recommendation, on the basis of its letter."""
    if "api_assessment" not in world.objects:
        world.objects["api_assessment"] = services.assessment_record(
            recommendation=world.objects["rc_answered_rec"],
            status="in_progress",
            basis="response",
            response=world.objects["rc_response"],
            assessed_on=dt.date(2025, 12, 1),
            by=None,
        )
    return world.objects["api_assessment"]


API_ARGUMENTS = {
    "api:place-detail": lambda w: {"pk": w.objects["place"].pk},
    "api:authority-detail": lambda w: {"pk": w.objects["authority"].pk},
    "api:visit-detail": lambda w: {"pk": w.visit.pk},
    "api:report-detail": lambda w: {"pk": w.objects["report"].pk},
    "api:report-pdf": lambda w: {"pk": w.objects["issued_report"].pk},
    "api:report-public-pdf": lambda w: {"pk": w.objects["issued_report"].pk},
    "api:recommendation-detail": lambda w: {"pk": w.objects["rc_issued_rec"].pk},
    "api:recommendation-timeline": lambda w: {"pk": w.objects["rc_answered_rec"].pk},
    "api:response-detail": lambda w: {"pk": w.objects["rc_response"].pk},
    "api:assessment-detail": lambda w: {"pk": assessment_of(w).pk},
}
ARGUMENTS = dict(API_ARGUMENTS)
