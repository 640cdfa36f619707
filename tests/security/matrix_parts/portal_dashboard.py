"""The compliance dashboard, the annual statistics report and the public portal in the
role × URL matrix.

Rules: the dashboard and the annual report are for head, staff and compliance officers;
partner-only users get 404 (the recommendations area does not exist for them), anonymous users
the login page. The portal is public: 200 for everyone, anonymous included. Its objects live on
their own visit and place (not world.visit, whose report belongs to the reports parts): an
issued report with a stored public PDF and one public recommendation.
"""

import datetime as dt
import hashlib

from django.core.files.base import ContentFile
from django.utils import timezone

from recommendations.models import Recommendation
from tests.factories import PlaceFactory
from tests.factories.recommendations import RecommendationFactory
from tests.factories.visits import ReportFactory, VisitFactory
from visits.models import Report, Visit

PUBLIC_PDF = b"%PDF-1.4\n% portal public version\n%%EOF\n"

MATRIX = {
    "recommendations:dashboard": "L 200 200 200 404 404",
    "recommendations:annual_report": "L 200 200 200 404 404",
    "portal:index": "200 200 200 200 200 200",
    "portal:lookup": "200 200 200 200 200 200",
    "portal:report_pdf": "200 200 200 200 200 200",
    "portal:recommendation_detail": "200 200 200 200 200 200",
}

ARGUMENTS = {
    "portal:lookup": lambda w: {"kind": "place"},
    "recommendations:annual_report": lambda w: {"year": w.objects["pd_visit"].year},
    "portal:report_pdf": lambda w: {"pk": w.objects["pd_report"].pk},
    "portal:recommendation_detail": lambda w: {"pk": w.objects["pd_recommendation"].pk},
}


def extend_world(world) -> None:
    place = PlaceFactory(name="Portal Matrix Police Station")
    visit = VisitFactory(place=place, status=Visit.Status.CLOSED)
    report = ReportFactory(visit=visit, title="Portal matrix report")
    report.public_pdf.save("public.pdf", ContentFile(PUBLIC_PDF), save=False)
    report.public_pdf_sha256 = hashlib.sha256(PUBLIC_PDF).hexdigest()
    report.status = Report.Status.ISSUED
    report.issued_at = timezone.now()
    report.issued_on = timezone.localdate()
    report.save()
    recommendation = RecommendationFactory(
        visit=visit,
        number=1,
        text="Equip the detention rooms with call buttons.",
        public=True,
        dispatched_on=report.issued_on,
        due_date=report.issued_on + dt.timedelta(days=60),
    )
    assert recommendation.status == Recommendation.Status.AWAITING_RESPONSE
    world.objects.update(
        {"pd_visit": visit, "pd_report": report, "pd_recommendation": recommendation}
    )
