"""Sortable columns of the partners lists (core.sorting): organisations, members, agreements,
public calls, events and projects; filters kept in the links, a bad key the default order."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from partners.models import Event, Member, Organisation
from tests.core.test_sorting import assert_invalid_sort_is_default
from tests.factories.partners import (
    AgreementFactory,
    ApplicationFactory,
    EventFactory,
    MemberFactory,
    OrganisationFactory,
    ProjectFactory,
    PublicCallFactory,
)

pytestmark = pytest.mark.django_db


def names_in_order(response, names) -> list[str]:
    """`names` in the order the page shows them (each must appear once as a row)."""
    assert response.status_code == 200
    html = response.content.decode()
    for name in names:
        assert html.count(f">{name}<") >= 1, name
    return sorted(names, key=lambda name: html.index(f">{name}<"))


def check(client, url: str, key: str, expected: list[str], *, both_ways: bool = True) -> None:
    assert names_in_order(client.get(url, {"sort": key}), expected) == expected
    if both_ways:
        reverse = names_in_order(client.get(url, {"sort": f"-{key}"}), expected)
        assert reverse == expected[::-1]


@pytest.fixture
def organisations():
    beta = OrganisationFactory(name="Beta Centre", kind=Organisation.Kind.ASSOCIATION)
    alpha = OrganisationFactory(name="Alpha League", kind=Organisation.Kind.PROFESSIONAL)
    gamma = OrganisationFactory(name="Gamma Forum", kind=Organisation.Kind.ASSOCIATION)
    for _ in range(2):
        MemberFactory(organisation=gamma)
    MemberFactory(organisation=beta)
    return alpha, beta, gamma


def test_organisations_sort_by_name_kind_and_members(staff_client, organisations):
    url = "/partners/"
    check(staff_client, url, "name", ["Alpha League", "Beta Centre", "Gamma Forum"])
    check(staff_client, url, "members", ["Alpha League", "Beta Centre", "Gamma Forum"])
    by_kind = sorted(organisations, key=lambda o: (o.kind, o.name))
    check(staff_client, url, "kind", [o.name for o in by_kind])
    assert_organisation_rows_default(staff_client)


def assert_organisation_rows_default(client) -> None:
    names = ["Alpha League", "Beta Centre", "Gamma Forum"]
    for bad in ("x", "-", "name;", "--name"):
        assert names_in_order(client.get("/partners/", {"sort": bad}), names) == names


def test_organisation_sort_links_keep_the_search_and_filters(staff_client, organisations):
    html = staff_client.get("/partners/", {"q": "cen", "kind": "association", "page": "1"})
    html = html.content.decode()
    assert "Beta Centre" in html
    assert "?q=cen&amp;kind=association&amp;sort=-name" in html
    assert "?q=cen&amp;kind=association&amp;sort=-members" in html
    assert "page=1&amp;sort" not in html


def test_members_sort_by_name_organisation_expertise_and_pledge(staff_client, organisations):
    alpha, beta, gamma = organisations
    Member.objects.all().delete()
    MemberFactory(
        first_name="Ana", last_name="Zec", organisation=alpha, pledge_signed_on=dt.date(2021, 1, 1)
    )
    MemberFactory(
        first_name="Ivan",
        last_name="Babić",
        organisation=gamma,
        expertise=Member.Expertise.MEDICAL,
        pledge_signed_on=dt.date(2019, 1, 1),
    )
    MemberFactory(
        first_name="Mila",
        last_name="Jovanović",
        organisation=beta,
        pledge_signed_on=dt.date(2020, 1, 1),
    )
    url = "/partners/members/"
    html = staff_client.get(url, {"sort": "name"}).content.decode()
    order = sorted(["Babić", "Jovanović", "Zec"], key=html.index)
    assert order == ["Babić", "Jovanović", "Zec"]
    html = staff_client.get(url, {"sort": "-name"}).content.decode()
    assert sorted(["Babić", "Jovanović", "Zec"], key=html.index) == ["Zec", "Jovanović", "Babić"]
    html = staff_client.get(url, {"sort": "organisation"}).content.decode()
    assert sorted(["Babić", "Jovanović", "Zec"], key=html.index) == ["Zec", "Jovanović", "Babić"]
    html = staff_client.get(url, {"sort": "pledge"}).content.decode()
    assert sorted(["Babić", "Jovanović", "Zec"], key=html.index) == ["Babić", "Jovanović", "Zec"]
    html = staff_client.get(url, {"sort": "-pledge"}).content.decode()
    assert sorted(["Babić", "Jovanović", "Zec"], key=html.index) == ["Zec", "Jovanović", "Babić"]
    html = staff_client.get(url, {"sort": "expertise"}).content.decode()
    by_expertise = sorted(Member.objects.all(), key=lambda m: (m.expertise, m.last_name))
    names = [m.last_name for m in by_expertise]
    assert sorted(names, key=html.index) == names
    default = staff_client.get(url).content.decode()
    assert sorted(names, key=default.index) == ["Babić", "Jovanović", "Zec"]
    bad = staff_client.get(url, {"sort": "email"})
    assert bad.status_code == 200
    assert sorted(names, key=bad.content.decode().index) == ["Babić", "Jovanović", "Zec"]


def test_agreements_sort_by_reference_organisation_signature_and_term(staff_client, organisations):
    alpha, beta, gamma = organisations
    AgreementFactory(
        reference_number="AGR-2",
        organisation=gamma,
        signed_on=dt.date(2019, 5, 1),
        valid_from=dt.date(2019, 6, 1),
    )
    AgreementFactory(
        reference_number="AGR-3",
        organisation=alpha,
        signed_on=dt.date(2021, 5, 1),
        valid_from=dt.date(2021, 6, 1),
    )
    AgreementFactory(
        reference_number="AGR-1",
        organisation=beta,
        signed_on=dt.date(2020, 5, 1),
        valid_from=dt.date(2020, 6, 1),
    )
    url = "/partners/agreements/"
    check(staff_client, url, "reference", ["AGR-1", "AGR-2", "AGR-3"])
    check(staff_client, url, "signed", ["AGR-2", "AGR-1", "AGR-3"])
    check(staff_client, url, "term", ["AGR-2", "AGR-1", "AGR-3"])
    html = staff_client.get(url, {"sort": "organisation"}).content.decode()
    # Alpha, Beta, Gamma: the organisation's name is the column's order.
    refs = sorted(["AGR-1", "AGR-2", "AGR-3"], key=lambda r: html.index(f">{r}<"))
    assert refs == ["AGR-3", "AGR-1", "AGR-2"]
    # The default: the latest term first.
    assert names_in_order(staff_client.get(url), ["AGR-3", "AGR-1", "AGR-2"]) == [
        "AGR-3",
        "AGR-1",
        "AGR-2",
    ]
    assert names_in_order(staff_client.get(url, {"sort": "-bogus"}), ["AGR-3", "AGR-1"]) == [
        "AGR-3",
        "AGR-1",
    ]
    html = staff_client.get(url, {"organisation": alpha.pk, "sort": "signed"}).content.decode()
    assert f"?organisation={alpha.pk}&amp;sort=-signed" in html


def test_public_calls_sort_by_title_dates_and_applications(staff_client):
    first = PublicCallFactory(
        title="Invitation A",
        published_on=dt.date(2018, 3, 1),
        application_deadline=dt.date(2018, 4, 1),
    )
    second = PublicCallFactory(
        title="Invitation C",
        published_on=dt.date(2020, 3, 1),
        application_deadline=dt.date(2020, 4, 1),
    )
    third = PublicCallFactory(
        title="Invitation B",
        published_on=dt.date(2022, 3, 1),
        application_deadline=dt.date(2022, 4, 1),
    )
    for _ in range(2):
        ApplicationFactory(call=second, received_on=dt.date(2020, 3, 15))
    ApplicationFactory(call=third, received_on=dt.date(2022, 3, 15))
    url = "/partners/calls/"
    titles = {c.pk: c.title for c in (first, second, third)}
    check(staff_client, url, "title", ["Invitation A", "Invitation B", "Invitation C"])
    check(staff_client, url, "published", [titles[c.pk] for c in (first, second, third)])
    check(staff_client, url, "deadline", [titles[c.pk] for c in (first, second, third)])
    check(staff_client, url, "applications", ["Invitation A", "Invitation B", "Invitation C"])
    # The default: the latest published first.
    assert names_in_order(staff_client.get(url, {"sort": "xyz"}), list(titles.values())) == [
        "Invitation B",
        "Invitation C",
        "Invitation A",
    ]


def test_events_sort_by_date_title_kind_and_participants(staff_client):
    EventFactory(title="Training Z", starts_on=dt.date(2018, 1, 1), kind=Event.Kind.TRAINING)
    EventFactory(title="Meeting M", starts_on=dt.date(2019, 1, 1), kind=Event.Kind.MEETING)
    EventFactory(title="Conference A", starts_on=dt.date(2020, 1, 1), kind=Event.Kind.CONFERENCE)
    url = "/partners/events/"
    check(staff_client, url, "date", ["Training Z", "Meeting M", "Conference A"])
    check(staff_client, url, "title", ["Conference A", "Meeting M", "Training Z"])
    by_kind = sorted(Event.objects.all(), key=lambda e: e.kind)
    check(staff_client, url, "kind", [e.title for e in by_kind])
    html = staff_client.get(url, {"year": "2019", "sort": "title"}).content.decode()
    assert "?year=2019&amp;sort=-title" in html
    assert '<input type="hidden" name="sort" value="title">' in html
    assert_events_default(staff_client, url)


def assert_events_default(client, url: str) -> None:
    titles = ["Conference A", "Meeting M", "Training Z"]
    assert names_in_order(client.get(url, {"sort": "participants;--"}), titles) == titles


def test_projects_sort_by_title_organisation_donor_period_and_budget(staff_client, organisations):
    alpha, beta, gamma = organisations
    ProjectFactory(
        title="Project one",
        organisation=gamma,
        donor="EU",
        budget=5000,
        starts_on=dt.date(2013, 1, 1),
        ends_on=dt.date(2014, 1, 1),
    )
    ProjectFactory(
        title="Project two",
        organisation=alpha,
        donor="OSCE",
        budget=100,
        starts_on=dt.date(2016, 1, 1),
        ends_on=dt.date(2017, 1, 1),
    )
    ProjectFactory(
        title="Project three",
        organisation=beta,
        donor="Council of Europe",
        budget=900,
        starts_on=dt.date(2015, 1, 1),
        ends_on=dt.date(2016, 1, 1),
    )
    url = "/partners/projects/"
    check(staff_client, url, "title", ["Project one", "Project three", "Project two"])
    check(staff_client, url, "organisation", ["Project two", "Project three", "Project one"])
    check(staff_client, url, "donor", ["Project three", "Project one", "Project two"])
    check(staff_client, url, "period", ["Project one", "Project three", "Project two"])
    check(staff_client, url, "budget", ["Project two", "Project three", "Project one"])
    assert names_in_order(
        staff_client.get(url, {"sort": "owner"}), ["Project two", "Project one"]
    ) == [
        "Project two",
        "Project one",
    ]


def test_a_partner_member_cannot_sort_their_way_to_other_organisations(
    partner_client, organisations
):
    response = partner_client.get("/partners/", {"sort": "-members"})
    html = response.content.decode() if response.status_code == 200 else ""
    assert not re.search(r">(Alpha League|Beta Centre|Gamma Forum)<", html)


def test_invalid_sorts_on_every_partners_list_answer_200(staff_client, organisations):
    for url in (
        "/partners/",
        "/partners/members/",
        "/partners/agreements/",
        "/partners/calls/",
        "/partners/events/",
        "/partners/projects/",
    ):
        assert staff_client.get(url, {"sort": "'; drop table x"}).status_code == 200
        assert staff_client.get(url, {"sort": ["a", "b"]}).status_code == 200


def test_assert_invalid_sort_helper_works_on_partners(staff_client, organisations):
    MemberFactory(organisation=organisations[0])
    assert_invalid_sort_is_default(staff_client, "/partners/members/", "member")
