"""The public portal: issued reports' public versions and public recommendations, for everyone,
and nothing else. Marker strings are put in everything that must stay inside (drafts, unissued
reports, confidential sections, non-public recommendations, interviews, team members, response
explanations and notes, assessment notes, user names) and must appear on no portal page."""

from __future__ import annotations

import datetime as dt
import hashlib
from urllib.parse import urlencode

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from core.roles import Role
from recommendations import services
from recommendations.models import Recommendation
from tests.factories import AuthorityFactory, PlaceFactory, UserFactory
from tests.factories.recommendations import RecommendationFactory
from tests.factories.visits import (
    InterviewFactory,
    MemberFactory,
    ReportFactory,
    ReportSectionFactory,
    TeamMemberFactory,
    VisitFactory,
    local,
)
from visits.models import Authority, Place, Report, Theme, Visit

pytestmark = pytest.mark.django_db

INDEX = reverse("portal:index")

MARKERS = {
    "unissued_report": "Qpmunissuedtitle4411",
    "unissued_rec": "Qpmunissuedrec5521",
    "approved_rec": "Qpmapprovedrec6631",
    "private_rec": "Qpmprivaterec7741",
    "confidential_section": "Qpmconfsection8851",
    "confidential_title": "Qpmconftitle9961",
    "interview": "Qpminterview1071",
    "team_member": "Qpmteammember2181",
    "staff_name": "Qpmstaffname3291",
    "explanation": "Qpmexplanation4301",
    "response_note": "Qpmresponsenote5411",
    "response_reference": "Qpmresponseref6521",
    "assessment_note": "Qpmassessnote7631",
    "full_pdf": "Qpmfullpdf8741",
}
PUBLIC_TEXT = "Renovate the detention rooms of the police station"
OTHER_PUBLIC_TEXT = "Record every injury in the medical register"
PUBLIC_PDF = b"%PDF-1.4\n% the public version\n%%EOF\n"


@pytest.fixture
def portal(settings, tmp_path):
    """Two issued reports (one with a public PDF), one approved and one drafting report, and
    everything the portal must keep out."""
    settings.MEDIA_ROOT = tmp_path / "media"
    ministry = AuthorityFactory(name="Ministry of Interior")
    directorate = AuthorityFactory(
        name="Police Directorate", kind=Authority.Kind.DIRECTORATE, parent=ministry
    )
    station_authority = AuthorityFactory(
        name="Kruševac Police Department", kind=Authority.Kind.INSTITUTION, parent=directorate
    )
    justice = AuthorityFactory(name="Ministry of Justice")
    prison_authority = AuthorityFactory(
        name="Niš Correctional Institution", kind=Authority.Kind.INSTITUTION, parent=justice
    )
    station = PlaceFactory(
        name="Kruševac Police Station", authority=station_authority, municipality="Kruševac"
    )
    prison = PlaceFactory(
        name="Niš Correctional Institution",
        category=Place.Category.PRISON,
        authority=prison_authority,
        municipality="Niš",
        district="Nišava",
    )
    # Staff: the services check who records letters and assessments.
    staff = UserFactory(
        username="portal-staff",
        first_name="Mila",
        last_name=MARKERS["staff_name"],
        roles=[Role.STAFF],
    )

    def visit(place, year, status):
        return VisitFactory(
            place=place,
            planned_start=local(year, 3, 10, 9, 0),
            planned_end=local(year, 3, 10, 15, 0),
            status=status,
        )

    def issue(report, day):
        report.status = Report.Status.ISSUED
        report.issued_at = local(day.year, day.month, day.day, 12, 0)
        report.issued_on = day
        report.save()

    # 1. Issued, with a public PDF: Kruševac 2025.
    krusevac = visit(station, 2025, Visit.Status.CLOSED)
    TeamMemberFactory(
        visit=krusevac, member=MemberFactory(last_name=MARKERS["team_member"]), role="member"
    )
    TeamMemberFactory(visit=krusevac, user=staff, role="head")
    InterviewFactory(visit=krusevac, notes=f"Notes {MARKERS['interview']}")
    report = ReportFactory(visit=krusevac, reference="NPM-2025-007", title="Kruševac visit")
    ReportSectionFactory(
        report=report,
        title=MARKERS["confidential_title"],
        body=MARKERS["confidential_section"],
        confidential=True,
    )
    ReportSectionFactory(report=report, title="Findings", body="Cells are dark.")
    report.public_pdf.save("public.pdf", ContentFile(PUBLIC_PDF), save=False)
    report.public_pdf_sha256 = hashlib.sha256(PUBLIC_PDF).hexdigest()
    report.pdf.save("full.pdf", ContentFile(b"%PDF " + MARKERS["full_pdf"].encode()), save=False)
    report.pdf_sha256 = hashlib.sha256(b"%PDF " + MARKERS["full_pdf"].encode()).hexdigest()
    issue(report, dt.date(2025, 4, 1))
    theme = Theme.objects.get(code="material-conditions")
    public = RecommendationFactory(
        visit=krusevac,
        number=1,
        text=PUBLIC_TEXT,
        theme=theme,
        public=True,
        addressees=[station_authority, ministry],
        dispatched_on=dt.date(2025, 4, 2),
        due_date=dt.date(2025, 6, 1),
    )
    private = RecommendationFactory(
        visit=krusevac,
        number=2,
        text=MARKERS["private_rec"],
        public=False,
        addressees=[station_authority],
    )
    response = services.response_record(
        visit=krusevac,
        authority=station_authority,
        received_on=dt.date(2025, 5, 1),
        reference=MARKERS["response_reference"],
        note=MARKERS["response_note"],
        items=[
            {
                "recommendation": public,
                "stated_status": "partially_implemented",
                "explanation": MARKERS["explanation"],
                "promised_by": None,
            },
            {
                "recommendation": private,
                "stated_status": "implemented",
                "explanation": MARKERS["explanation"],
                "promised_by": None,
            },
        ],
        by=staff,
    )
    services.assessment_record(
        recommendation=public,
        status="partially_implemented",
        reason="funds",
        basis="response",
        response=response,
        note=MARKERS["assessment_note"],
        assessed_on=dt.date(2025, 5, 10),
        by=staff,
    )

    # 2. Issued, public PDF not rendered yet: Niš 2026.
    nis = visit(prison, 2026, Visit.Status.REPORTING)
    nis_report = ReportFactory(visit=nis, reference="NPM-2026-003", title="Niš visit")
    issue(nis_report, dt.date(2026, 5, 4))
    other = RecommendationFactory(
        visit=nis,
        number=1,
        text=OTHER_PUBLIC_TEXT,
        theme=Theme.objects.get(code="health-care"),
        public=True,
        addressees=[prison_authority, justice],
    )

    # 3. Approved, not issued (with a public PDF file that must not be served).
    approved = visit(station, 2026, Visit.Status.REPORTING)
    approved_report = ReportFactory(
        visit=approved,
        reference="NPM-2026-009",
        title="Approved only",
        status=Report.Status.APPROVED,
    )
    approved_report.public_pdf.save("early.pdf", ContentFile(PUBLIC_PDF), save=True)
    RecommendationFactory(
        visit=approved, number=1, text=MARKERS["approved_rec"], public=True, theme=theme
    )

    # 4. Drafting.
    draft = visit(prison, 2026, Visit.Status.REPORTING)
    draft_report = ReportFactory(visit=draft, title=MARKERS["unissued_report"])
    RecommendationFactory(
        visit=draft, number=1, text=MARKERS["unissued_rec"], public=True, theme=theme
    )
    return {
        "report": report,
        "nis_report": nis_report,
        "approved_report": approved_report,
        "draft_report": draft_report,
        "public": public,
        "other": other,
        "private": private,
        "station": station,
        "prison": prison,
        "ministry": ministry,
        "directorate": directorate,
        "justice": justice,
        "theme": theme,
        "hidden": Recommendation.objects.exclude(pk__in=[public.pk, other.pk]),
    }


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def _portal_pages(client, portal) -> dict[str, str]:
    """Every portal page: the index unfiltered, with each filter, searches, the detail pages."""
    pages = {INDEX: _page(client, INDEX)}
    searches = [
        {"place": portal["station"].pk},
        {"place": portal["prison"].pk},
        {"authority": portal["ministry"].pk},
        {"authority": portal["justice"].pk},
        {"theme": portal["theme"].pk},
        {"year": 2025},
        {"year": 2026},
        {"q": "Kruševac"},
        {"q": "Qpm"},
        {"page": 2, "reports_page": 2},
    ]
    for params in searches:
        path = f"{INDEX}?{urlencode(params)}"
        pages[path] = _page(client, path)
    for rec in [portal["public"], portal["other"]]:
        path = reverse("portal:recommendation_detail", args=[rec.pk])
        pages[path] = _page(client, path)
    return pages


@pytest.mark.parametrize("who", ["anonymous_client", "staff_client", "partner_client"])
def test_no_marker_reaches_any_portal_page(request, portal, who):
    client = request.getfixturevalue(who)
    pages = _portal_pages(client, portal)
    leaks = [
        f"{name} on {path}"
        for path, html in pages.items()
        for name, marker in MARKERS.items()
        if marker in html
    ]
    assert not leaks
    # ... while the public ones are there.
    assert PUBLIC_TEXT in pages[INDEX]
    assert OTHER_PUBLIC_TEXT in pages[INDEX]
    assert "NPM-2025-007" in pages[INDEX]
    assert "NPM-2026-003" in pages[INDEX]
    assert "NPM-2026-009" not in pages[INDEX]  # approved, not issued


def test_hidden_recommendations_have_no_detail_page(anonymous_client, portal):
    for rec in portal["hidden"]:
        url = reverse("portal:recommendation_detail", args=[rec.pk])
        assert anonymous_client.get(url).status_code == 404


def test_detail_shows_status_history_as_dates_and_statuses(anonymous_client, portal):
    url = reverse("portal:recommendation_detail", args=[portal["public"].pk])
    response = anonymous_client.get(url)
    assert response.context["history"] == [
        (dt.date(2025, 4, 1), "Issued, awaiting response"),
        (dt.date(2025, 5, 1), "Response received"),
        (dt.date(2025, 5, 10), "Partially implemented"),
    ]
    html = response.content.decode()
    assert PUBLIC_TEXT in html
    assert "Kruševac Police Department" in html
    assert "Ministry of Interior" in html
    assert "Partially implemented" in html
    # The reason code is the NPM's internal assessment detail: not shown either.
    assert "Lack of funds" not in html
    assert reverse("portal:report_pdf", args=[portal["report"].pk]) in html


def _listed(response, key: str) -> list[int]:
    return [obj.pk for obj in response.context[key]]


def test_search_filters(anonymous_client, portal):
    public, other = portal["public"].pk, portal["other"].pk
    report, nis = portal["report"].pk, portal["nis_report"].pk

    def search(**params):
        response = anonymous_client.get(INDEX, params)
        return _listed(response, "reports"), _listed(response, "recommendations")

    assert search() == ([nis, report], [other, public])
    assert search(place=portal["station"].pk) == ([report], [public])
    assert search(place=portal["prison"].pk) == ([nis], [other])
    # A ministry finds what was addressed to any body below it.
    assert search(authority=portal["ministry"].pk) == ([report], [public])
    assert search(authority=portal["justice"].pk) == ([nis], [other])
    assert search(theme=portal["theme"].pk) == ([report], [public])
    assert search(year=2026) == ([nis], [other])
    assert search(q="injury") == ([], [other])
    assert search(q="NPM-2025-007") == ([report], [public])
    assert search(q="Niš") == ([nis], [other])
    assert search(year=2026, place=portal["station"].pk) == ([], [])
    # A value that is not on offer is ignored, never an error.
    assert anonymous_client.get(INDEX, {"place": "x", "year": "1999"}).status_code == 200


def test_filter_choices_offer_only_what_the_portal_shows(anonymous_client, portal):
    form = anonymous_client.get(INDEX).context["form"]
    assert set(form.fields["year"].choices) == {("", "Any"), (2026, 2026), (2025, 2025)}
    themes = set(form.fields["theme"].queryset.values_list("code", flat=True))
    assert themes == {"material-conditions", "health-care"}
    places = set(form.fields["place"].queryset)
    assert places == {portal["station"], portal["prison"]}


def test_the_theme_choices_follow_a_write(anonymous_client, portal):
    """The themes on offer are cached until the next write: a theme's first public
    recommendation puts it on offer, its withdrawal from the portal takes it off."""

    def offered():
        form = anonymous_client.get(INDEX).context["form"]
        return set(form.fields["theme"].queryset.values_list("code", flat=True))

    assert "use-of-force" not in offered()
    new = RecommendationFactory(
        visit=portal["public"].visit,
        number=40,
        public=True,
        theme=Theme.objects.get(code="use-of-force"),
    )
    assert "use-of-force" in offered()
    new.public = False
    new.save()
    assert "use-of-force" not in offered()


def test_pagination(anonymous_client, portal):
    visit = portal["public"].visit
    for number in range(3, 25):
        RecommendationFactory(visit=visit, number=number, public=True, text=f"Public {number}")
    first = anonymous_client.get(INDEX)
    assert first.context["recommendations"].paginator.count == 24
    assert len(first.context["recommendations"]) == 20
    second = anonymous_client.get(INDEX, {"page": 2})
    assert len(second.context["recommendations"]) == 4
    assert "page=2" in first.content.decode()


def test_public_pdf_serves_the_stored_bytes(anonymous_client, portal):
    response = anonymous_client.get(reverse("portal:report_pdf", args=[portal["report"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PUBLIC_PDF
    assert response["X-Content-SHA256"] == hashlib.sha256(PUBLIC_PDF).hexdigest()


@pytest.mark.parametrize("key", ["nis_report", "approved_report", "draft_report"])
def test_public_pdf_is_404_unless_issued_with_a_public_version(anonymous_client, portal, key):
    url = reverse("portal:report_pdf", args=[portal[key].pk])
    assert anonymous_client.get(url).status_code == 404


def test_public_pdf_of_a_missing_report_is_404(anonymous_client, db):
    assert anonymous_client.get(reverse("portal:report_pdf", args=[999999])).status_code == 404


def test_portal_needs_no_login_even_with_two_factor_required(settings, portal, client):
    settings.NPM_REQUIRE_2FA = True
    urls = [
        INDEX,
        reverse("portal:recommendation_detail", args=[portal["public"].pk]),
        reverse("portal:report_pdf", args=[portal["report"].pk]),
    ]
    # Anonymous, and a user who has given only the password (no one-time code yet).
    assert all(client.get(url).status_code == 200 for url in urls)
    user = UserFactory(username="half-logged-in", roles=[Role.STAFF])
    client.force_login(user)
    assert all(client.get(url).status_code == 200 for url in urls)
    # ... while the rest of the application still asks for the code.
    assert client.get(reverse("dashboard")).status_code == 302


def test_anonymous_layout_has_no_staff_links(anonymous_client, portal):
    html = _page(anonymous_client, INDEX)
    for path in ["/visits/", "/places/", "/recommendations/", "/partners/", "/admin/"]:
        assert f'href="{path}' not in html


def test_portal_is_read_only(anonymous_client, portal):
    assert anonymous_client.post(INDEX).status_code == 405


def test_index_query_count_does_not_grow_with_the_page(
    anonymous_client, portal, django_assert_num_queries
):
    # Two lists (count and page each), the addressees of the page, the savepoint and its
    # release, and the search form's choices: the years and the keys of the themes (each
    # counted once per write, then cached), the themes (places and authorities are typed boxes
    # with suggestions: no list of them on the page). On a cold cache, as here.
    with django_assert_num_queries(10):
        anonymous_client.get(INDEX)
    visit = portal["public"].visit
    for number in range(3, 20):
        RecommendationFactory(visit=visit, number=number, public=True, text=f"Public {number}")
    with django_assert_num_queries(10):
        response = anonymous_client.get(INDEX)
    assert len(response.context["recommendations"]) == 19


BIG = "9" * 30


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "-1"},
        {"page": "0"},
        {"page": "1e9"},
        {"page": BIG},
        {"reports_page": BIG},
        {"place": BIG},
        {"place": "abc"},
        {"authority": BIG},
        {"authority": "-3"},
        {"theme": "²"},
        {"year": BIG},
        {"year": "²⁰²⁴"},
        {"q": "x" * 5000},
        {"q": "%_" * 100},
        {"q": "nul\x00byte"},
    ],
    ids=lambda params: ",".join(f"{k}={v[:12]}" for k, v in params.items()),
)
def test_garbage_queries_answer_200_with_a_bounded_number_of_queries(
    anonymous_client, portal, params, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = anonymous_client.get(INDEX, params)
    assert response.status_code == 200
    # Wildcards are searched for literally (nothing matches); bad fields are ignored.
    expected = 0 if params.get("q", "").startswith("%_") else 2
    assert response.context["recommendations"].paginator.count == expected


def test_a_page_past_the_end_shows_the_last_page(anonymous_client, portal):
    visit = portal["public"].visit
    for number in range(3, 25):
        RecommendationFactory(visit=visit, number=number, public=True, text=f"Public {number}")
    response = anonymous_client.get(INDEX, {"page": BIG, "reports_page": BIG})
    assert response.status_code == 200
    assert response.context["recommendations"].number == 2
    assert response.context["reports"].number == 1


def test_an_overlong_search_is_refused_with_a_message_not_run(anonymous_client, portal):
    response = anonymous_client.get(INDEX, {"q": "x" * 5000})
    assert response.status_code == 200
    assert response.context["form"].errors["q"]
    assert "at most 200 characters" in response.content.decode()


@pytest.mark.parametrize("pk", ["0", "99999999999", BIG])
def test_unknown_ids_are_404(anonymous_client, portal, pk):
    assert anonymous_client.get(f"/portal/recommendations/{pk}/").status_code == 404
    assert anonymous_client.get(f"/portal/reports/{pk}/public.pdf").status_code == 404


def test_the_place_and_authority_boxes_are_typed_with_public_suggestions(anonymous_client, portal):
    body = anonymous_client.get(INDEX).content.decode()
    assert '<select name="place"' not in body
    assert '<select name="authority"' not in body
    assert f'data-lookup-url="{reverse("portal:lookup", args=["place"])}"' in body
    public_place = portal["public"].visit.place
    lookup = reverse("portal:lookup", args=["place"])
    found = anonymous_client.get(lookup, {"q": public_place.name[:6]}).json()["results"]
    assert public_place.name in found
    # A place without an issued report is neither suggested nor accepted.
    hidden = PlaceFactory(name=f"{public_place.name[:6]} Unvisited Annex")
    again = anonymous_client.get(lookup, {"q": public_place.name[:6]}).json()["results"]
    assert hidden.name not in again
    refused = anonymous_client.get(INDEX, {"place": hidden.name}).content.decode()
    assert "Nothing matches" in refused
    assert anonymous_client.get(reverse("portal:lookup", args=["visit"])).status_code == 404


def test_a_public_pdf_changed_in_storage_is_not_served(anonymous_client, portal):
    from core.http import StoredFileAltered

    report = portal["report"]
    name = report.public_pdf.name
    storage = report.public_pdf.storage
    storage.delete(name)
    storage.save(name, ContentFile(b"%PDF-1.4\n% altered after issue\n%%EOF\n"))
    with pytest.raises(StoredFileAltered):
        anonymous_client.get(reverse("portal:report_pdf", args=[report.pk]))
