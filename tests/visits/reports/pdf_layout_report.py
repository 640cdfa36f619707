"""A report as a ministry receives it, for the PDF layout tests (and a look at the pages):
numbered sections with headings, a list, a footnote, a wide table, links, a confidential
section, recommendations public and not, issued by the NPM head."""

import datetime as dt

from tests.factories import AuthorityFactory
from tests.factories.recommendations import RecommendationFactory
from tests.factories.visits import (
    ReportFactory,
    ReportSectionFactory,
    TeamMemberFactory,
    VisitFactory,
    local,
    theme,
)
from visits.models import Report

INTRODUCTION = (
    "The visit took place under Articles 19 and 20 of the Optional Protocol to the Convention "
    "against Torture (OPCAT).\n\n"
    "The team talked in private with persons deprived of liberty and with staff, inspected the "
    "premises and examined the registers.[^opcat]\n\n"
    "See the [CPT standards](https://www.coe.int/en/web/cpt/standards) and write to "
    "[the NPM](mailto:npm@example.org) or npm@example.org.\n\n"
    "[^opcat]: Optional Protocol, Article 20 (b)."
)
CONDITIONS = (
    "# Cells\n\n"
    "Cells were damp and poorly ventilated.\n\n"
    "## Beds\n\n"
    "Several detainees slept on ~~mattresses~~ the floor:\n\n"
    "3. cell 12 had six persons for four beds;\n"
    "4. cell 14 had no window glass.\n\n"
    "| Cell | A | B | C | D | E | F | G | H | I | J | Remarks on the state of the cell |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|\n"
    "| 12 | 6 | 4 | 2 | 1 | 0 | 1 | 1 | 0 | 2 | 3 | "
    "Averyveryverylongwordwithoutanyspacesthatwouldrunpasttherightmarginofthepage |\n"
)
HEALTH = "Injuries were not recorded on admission.\n\nThe doctor saw new arrivals after days."
INTERVIEWS = "Confidential account Qzconf81 of what detainees said."
BELLS = "Install call bells in every cell."
INJURIES = "Record every injury on admission, with a body chart."
NAMES = "Qzsecret Review the staffing of the night shift."
CLOSING = "The recommendations are listed in the annex, with the authorities they address."


def make_report(*, head=None, language: str = "en", issued: bool = True) -> Report:
    ministry = AuthorityFactory(name="Ministry of Justice")
    prison = AuthorityFactory(name="District Prison Niš", kind="institution", parent=ministry)
    start = local(2014, 6, 12, 9, 0)
    visit = VisitFactory(
        place__name="District Prison Niš",
        place__authority=prison,
        planned_start=start,
        actual_start=start,
        actual_end=local(2014, 6, 13, 16, 0),
        year=2014,
    )
    report = ReportFactory(
        visit=visit,
        reference="NPM-2014-007",
        title="Report on the visit to the District Prison Niš",
        language=language,
    )
    conditions = theme("material-conditions")
    health = theme("health-care")
    ReportSectionFactory(report=report, order=1, title="Introduction", body=INTRODUCTION)
    ReportSectionFactory(
        report=report, order=2, title="Interviews", body=INTERVIEWS, confidential=True
    )
    ReportSectionFactory(
        report=report, order=3, title="Material conditions", body=CONDITIONS, theme=conditions
    )
    ReportSectionFactory(
        report=report, order=4, title="Health care", body=HEALTH, theme=health, kind="findings"
    )
    ReportSectionFactory(
        report=report, order=5, title="Recommendations", body=CLOSING, kind="recommendations"
    )
    if head is not None:
        TeamMemberFactory(visit=visit, user=head, role="head")
    RecommendationFactory(
        visit=visit,
        number=1,
        text=BELLS,
        theme=conditions,
        public=True,
        priority="urgent",
        addressees=[prison, ministry],
        due_date=dt.date(2014, 9, 30),
    )
    RecommendationFactory(
        visit=visit, number=2, text=INJURIES, theme=health, public=True, addressees=[prison]
    )
    RecommendationFactory(
        visit=visit, number=3, text=NAMES, theme=None, public=False, addressees=[ministry]
    )
    if issued:
        issued_at = local(2014, 7, 30, 11, 0)
        Report.objects.filter(pk=report.pk).update(
            status=Report.Status.ISSUED,
            issued_at=issued_at,
            issued_on=dt.date(2014, 7, 30),
            issued_by=head,
        )
        report.refresh_from_db()
    return report
