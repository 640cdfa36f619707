"""A small world for the search tests: a visit to Požarevac with a report and two
recommendations, the partner member on its team; a visit to Niš the partner is not on."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from partners.models import Member, Organisation
from recommendations.models import Recommendation
from tests.factories import AuthorityFactory, PlaceFactory
from tests.factories.recommendations import RecommendationFactory
from tests.factories.visits import (
    MemberFactory,
    OrganisationFactory,
    ReportFactory,
    TeamMemberFactory,
    VisitFactory,
)
from visits.models import Authority, Place, Report, Visit

# The three spellings of one town: with diacritics, in capitals, in Cyrillic; and without.
SPELLINGS = ["Pozarevac", "POŽAREVAC", "Пожаревац", "požarevac"]


@dataclass
class SearchWorld:
    authority: Authority
    place: Place
    other_place: Place
    visit: Visit
    other_visit: Visit
    report: Report
    other_report: Report
    recommendation: Recommendation
    other_recommendation: Recommendation
    organisation: Organisation
    member: Member


@pytest.fixture
def world(db, partner_member) -> SearchWorld:
    authority = AuthorityFactory(
        name="Penal Sanctions Administration Požarevac",
        name_sr="Uprava za izvršenje krivičnih sankcija Požarevac",
    )
    place = PlaceFactory(
        name="District Prison Požarevac",
        name_sr="Okružni zatvor Požarevac",
        municipality="Požarevac",
        district="Braničevo",
        authority=authority,
    )
    other_place = PlaceFactory(name="Correctional Institution Niš", municipality="Niš")
    visit = VisitFactory(place=place, purpose="Regular visit to the pavilions")
    other_visit = VisitFactory(place=other_place, purpose="Follow-up of the Niš findings")
    report = ReportFactory(visit=visit, reference="NPM-2026-002", title="Visit to Požarevac")
    other_report = ReportFactory(visit=other_visit, reference="NPM-2026-003", title="Visit to Niš")
    recommendation = RecommendationFactory(
        visit=visit, number=1, text="Repair the ventilation in the Požarevac pavilion."
    )
    RecommendationFactory(visit=visit, number=2, text="Train the staff in de-escalation.")
    other_recommendation = RecommendationFactory(
        visit=other_visit, number=1, text="Install call buttons in the cells."
    )
    organisation = OrganisationFactory(
        name="Helsinki Committee Požarevac", short_name="HOPŽ", name_sr="Helsinški odbor Požarevac"
    )
    member = MemberFactory(
        organisation=organisation, user=partner_member, first_name="Đorđe", last_name="Pešić"
    )
    TeamMemberFactory(visit=visit, member=member)
    return SearchWorld(
        authority,
        place,
        other_place,
        visit,
        other_visit,
        report,
        other_report,
        recommendation,
        other_recommendation,
        organisation,
        member,
    )
