import datetime as dt
import re

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from recommendations.models import Recommendation
from tests.factories import AuthorityFactory, PlaceFactory
from tests.recommendations.authoring_helpers import issue, rec, theme, visit_in
from visits.models import Authority, Place

pytestmark = pytest.mark.django_db

URL = reverse("recommendations:list")
TODAY = dt.date(2026, 5, 15)


def shown(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-recommendation="(\d+)"', response.content.decode())]


@pytest.fixture
def world():
    """Two ministries with a body below each, two places, three visits, six recommendations."""
    moj = AuthorityFactory(name="Ministry of Justice", kind=Authority.Kind.MINISTRY)
    uiks = AuthorityFactory(
        name="Administration for Enforcement of Penal Sanctions",
        kind=Authority.Kind.DIRECTORATE,
        parent=moj,
    )
    prison_body = AuthorityFactory(
        name="District Prison Niš", kind=Authority.Kind.INSTITUTION, parent=uiks
    )
    moi = AuthorityFactory(name="Ministry of Interior", kind=Authority.Kind.MINISTRY)
    police_body = AuthorityFactory(
        name="Police Department Kruševac", kind=Authority.Kind.INSTITUTION, parent=moi
    )
    prison = PlaceFactory(
        name="District Prison Niš",
        category=Place.Category.PRISON,
        authority=prison_body,
        district="Nišavski",
    )
    police = PlaceFactory(
        name="Police Station Kruševac",
        category=Place.Category.POLICE,
        authority=police_body,
        district="Rasinski",
    )
    v2023 = visit_in(2023, police)
    v2025 = visit_in(2025, prison)
    v2026 = visit_in(2026, police, month=1)
    report = issue(v2025)
    old = rec(
        v2023,
        number=1,
        text="Equip the detention rooms with call bells.",
        theme=theme("material-conditions"),
        addressees=[police_body, moi],
        due_date=dt.date(2023, 8, 1),
        responded_on=dt.date(2023, 7, 20),
        status=Recommendation.Status.IMPLEMENTED,
        public=True,
        verified_on_site=True,
    )
    overdue = rec(
        v2025,
        number=1,
        text="Provide natural light in every cell.",
        theme=theme("material-conditions"),
        priority=Recommendation.Priority.URGENT,
        addressees=[prison_body],
        due_date=dt.date(2026, 5, 1),
    )
    answered = rec(
        v2025,
        number=2,
        text="Record every injury in the register.",
        theme=theme("health-care"),
        priority=Recommendation.Priority.HIGH,
        addressees=[uiks, moj],
        due_date=dt.date(2026, 5, 1),
        responded_on=dt.date(2026, 4, 20),
        status=Recommendation.Status.IN_PROGRESS,
    )
    not_yet_due = rec(
        v2025,
        number=3,
        text="Train staff on de-escalation.",
        theme=theme("staff-training"),
        addressees=[moj],
        due_date=dt.date(2026, 6, 30),
    )
    repeat = rec(
        v2026,
        number=1,
        text="Equip the detention rooms with call bells, again.",
        theme=theme("material-conditions"),
        addressees=[police_body],
    )
    repeat.repeats.add(old)
    undated = rec(
        v2026,
        number=2,
        text="Inform detained persons of their rights.",
        theme=theme("legal-safeguards"),
        addressees=[moi],
    )
    return {
        "moj": moj,
        "uiks": uiks,
        "prison_body": prison_body,
        "moi": moi,
        "police_body": police_body,
        "prison": prison,
        "police": police,
        "v2023": v2023,
        "v2025": v2025,
        "v2026": v2026,
        "report": report,
        "old": old,
        "overdue": overdue,
        "answered": answered,
        "not_yet_due": not_yet_due,
        "repeat": repeat,
        "undated": undated,
    }


def pks(world, *names) -> set[int]:
    return {world[name].pk for name in names}


ALL = ("old", "overdue", "answered", "not_yet_due", "repeat", "undated")


def listed(client, **params) -> set[int]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return set(shown(response))


def test_tracker_lists_everything_without_filters(staff_client, world):
    response = staff_client.get(URL)
    assert set(shown(response)) == pks(world, *ALL)
    page = response.content.decode()
    assert world["overdue"].reference in page
    assert "NPM-" in world["overdue"].reference  # issued report's reference, not the visit's
    assert "Police Station Kruševac" in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "implemented"}, ("old",)),
        ({"status": "awaiting_response"}, ("overdue", "not_yet_due", "repeat", "undated")),
        ({"theme": "material-conditions"}, ("old", "overdue", "repeat")),
        ({"priority": "urgent"}, ("overdue",)),
        ({"priority": "high"}, ("answered",)),
        ({"category": "prison"}, ("overdue", "answered", "not_yet_due")),
        ({"district": "Rasinski"}, ("old", "repeat", "undated")),
        ({"year": "2026"}, ("repeat", "undated")),
        ({"repeated": "yes"}, ("old", "repeat")),
        ({"repeated": "no"}, ("overdue", "answered", "not_yet_due", "undated")),
        ({"q": "natural light"}, ("overdue",)),
        ({"q": "kruševac"}, ("old", "repeat", "undated")),
    ],
)
def test_filters(staff_client, world, params, expected):
    if "theme" in params:
        params = {**params, "theme": theme(params["theme"]).pk}
    assert listed(staff_client, **params) == pks(world, *expected)


def test_filter_by_place_and_visit(staff_client, world):
    assert listed(staff_client, place=world["prison"].pk) == pks(
        world, "overdue", "answered", "not_yet_due"
    )
    assert listed(staff_client, visit=world["v2026"].pk) == pks(world, "repeat", "undated")


def test_search_finds_the_report_reference(staff_client, world):
    assert listed(staff_client, q=world["report"].reference) == pks(
        world, "overdue", "answered", "not_yet_due"
    )


def test_addressee_filter_includes_the_whole_subtree(staff_client, world):
    # The ministry finds what went to it and to every body below it.
    assert listed(staff_client, authority=world["moj"].pk) == pks(
        world, "overdue", "answered", "not_yet_due"
    )
    assert listed(staff_client, authority=world["uiks"].pk) == pks(world, "overdue", "answered")
    assert listed(staff_client, authority=world["prison_body"].pk) == pks(world, "overdue")
    assert listed(staff_client, authority=world["moi"].pk) == pks(world, "old", "repeat", "undated")


def test_addressee_filter_lists_a_recommendation_once(staff_client, world):
    # "answered" goes to two bodies of the subtree: still one row.
    response = staff_client.get(URL, {"authority": world["moj"].pk})
    assert shown(response).count(world["answered"].pk) == 1
    assert response.context["page"].paginator.count == 3


@time_machine.travel(dt.datetime(2026, 5, 15, 10, 0, tzinfo=dt.UTC), tick=False)
def test_overdue_filter_at_a_frozen_date(staff_client, world):
    assert listed(staff_client, overdue="yes") == pks(world, "overdue")
    assert listed(staff_client, overdue="no") == pks(
        world, "old", "answered", "not_yet_due", "repeat", "undated"
    )
    page = staff_client.get(URL, {"overdue": "yes"}).content.decode()
    assert "overdue</span>" in page


@time_machine.travel(dt.datetime(2026, 7, 15, 10, 0, tzinfo=dt.UTC), tick=False)
def test_overdue_moves_with_the_date(staff_client, world):
    assert listed(staff_client, overdue="yes") == pks(world, "overdue", "not_yet_due")


def test_filters_combine(staff_client, world):
    assert listed(
        staff_client, theme=theme("material-conditions").pk, district="Rasinski", repeated="yes"
    ) == pks(world, "old", "repeat")


def test_invalid_filter_values_do_not_crash(staff_client, world):
    response = staff_client.get(URL, {"status": "nonsense", "year": "abc", "per_page": "7"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("reference", ("old", "overdue", "answered", "not_yet_due", "repeat", "undated")),
        ("-reference", ("undated", "repeat", "not_yet_due", "answered", "overdue", "old")),
        ("priority", ("overdue", "answered", "old", "not_yet_due", "repeat", "undated")),
        ("place", ("overdue", "answered", "not_yet_due", "old", "repeat", "undated")),
    ],
)
def test_sort(staff_client, world, sort, expected):
    response = staff_client.get(URL, {"sort": sort})
    assert shown(response) == [world[name].pk for name in expected]


def test_sort_by_due_date_and_status(staff_client, world):
    dated = shown(staff_client.get(URL, {"sort": "due"}))
    dated_only = [pk for pk in dated if pk not in pks(world, "repeat", "undated")]
    assert dated_only == [world[n].pk for n in ("old", "overdue", "answered", "not_yet_due")]
    by_status = shown(staff_client.get(URL, {"sort": "status"}))
    statuses = [Recommendation.objects.get(pk=pk).status for pk in by_status]
    assert statuses == sorted(statuses)


def test_default_sort_is_newest_first(staff_client, world):
    assert shown(staff_client.get(URL))[0] == world["undated"].pk


def many(count: int):
    place = PlaceFactory()
    visit = visit_in(2025, place)
    ministry = AuthorityFactory(kind=Authority.Kind.MINISTRY)
    return [
        rec(
            visit,
            number=n + 1,
            addressees=[place.authority, ministry],
            theme=theme("registers"),
            due_date=dt.date(2026, 1, 1),
        )
        for n in range(count)
    ]


def test_pagination_and_page_size(staff_client):
    many(30)
    first = staff_client.get(URL, {"per_page": 10})
    assert len(shown(first)) == 10
    third = staff_client.get(URL, {"per_page": 10, "page": 3})
    assert len(shown(third)) == 10
    assert not set(shown(first)) & set(shown(third))
    assert len(shown(staff_client.get(URL))) == 25  # the default
    assert len(shown(staff_client.get(URL, {"per_page": 50}))) == 30
    assert len(shown(staff_client.get(URL, {"per_page": 1000}))) == 25  # not offered: default


# Session, user, roles (once: `core.roles.user_roles` caches them on the user) and permissions;
# rows, addressees, repeat counts (the total is counted once and kept until the next write:
# recommendations.pagination); the filter form's choices (themes, districts, years: places,
# authorities and visits are typed boxes, core.lookup), the bulk themes; savepoints.
QUERIES = 14


def test_query_count_does_not_grow_with_page_size(staff_client, django_assert_num_queries):
    recs = many(60)
    earlier = rec(visit_in(2020, recs[0].visit.place))
    for r in recs[::3]:
        r.repeats.add(earlier)
    staff_client.get(URL)  # warm up the session and permission caches
    with django_assert_num_queries(QUERIES):
        small = staff_client.get(URL, {"per_page": 10})
    with django_assert_num_queries(QUERIES):
        large = staff_client.get(URL, {"per_page": 50})
    assert (len(shown(small)), len(shown(large))) == (10, 50)


def test_htmx_request_gets_only_the_results(staff_client, world):
    response = staff_client.get(URL, {"priority": "urgent"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results">')
    assert set(shown(response)) == pks(world, "overdue")


def test_export_links_carry_the_filters(staff_client, world):
    page = staff_client.get(URL, {"priority": "urgent", "page": "1"}).content.decode()
    assert f'{reverse("recommendations:export_csv")}?priority=urgent"' in page
    assert f'{reverse("recommendations:export_xlsx")}?priority=urgent"' in page


def test_compliance_sees_the_tracker_without_bulk_actions(compliance_client, world):
    response = compliance_client.get(URL)
    assert response.status_code == 200
    assert set(shown(response)) == pks(world, *ALL)
    assert 'name="ids"' not in response.content.decode()


def test_staff_sees_bulk_actions(staff_client, world):
    assert 'name="ids"' in staff_client.get(URL).content.decode()


def test_partner_gets_404_and_anonymous_goes_to_login(partner_client, anonymous_client, world):
    assert partner_client.get(URL).status_code == 404
    response = anonymous_client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


# --- Bulk actions -------------------------------------------------------------------------------

BULK = reverse("recommendations:bulk")


def test_bulk_assign_theme(staff_client, world):
    ids = [world["overdue"].pk, world["undated"].pk]
    response = staff_client.post(
        BULK,
        {"ids": ids, "action": "theme", "theme": theme("registers").pk, "query": "priority=urgent"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?priority=urgent"
    codes = set(Recommendation.objects.filter(pk__in=ids).values_list("theme__code", flat=True))
    assert codes == {"registers"}
    assert world["answered"].theme.code == "health-care"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "2 of 2 selected recommendations changed."
    ]


def test_bulk_mark_public_and_not_public_counts_changes(head_client, world):
    ids = [world["old"].pk, world["overdue"].pk, world["answered"].pk]
    response = head_client.post(BULK, {"ids": ids, "action": "public", "confirmed": "1"})
    # "old" was public already; "overdue" and "answered" are on an issued report: allowed.
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "2 of 3 selected recommendations changed."
    ]
    assert Recommendation.objects.filter(pk__in=ids, public=True).count() == 3
    head_client.post(BULK, {"ids": [world["old"].pk], "action": "not_public"})
    world["old"].refresh_from_db()
    assert world["old"].public is False


def test_bulk_theme_without_a_theme_changes_nothing(staff_client, world):
    response = staff_client.post(BULK, {"ids": [world["overdue"].pk], "action": "theme"})
    assert response.status_code == 302
    world["overdue"].refresh_from_db()
    assert world["overdue"].theme.code == "material-conditions"
    assert "Choose the theme to assign." in [str(m) for m in get_messages(response.wsgi_request)]


def test_bulk_without_selection_says_so(staff_client, world):
    response = staff_client.post(BULK, {"action": "public"})
    assert "Select at least one recommendation." in [
        str(m) for m in get_messages(response.wsgi_request)
    ]


def test_bulk_query_cannot_redirect_elsewhere(staff_client, world):
    response = staff_client.post(
        BULK,
        {
            "ids": [world["old"].pk],
            "action": "public",
            "query": "//evil.example/",
            "confirmed": "1",
        },
    )
    assert response["Location"].startswith(URL + "?")


def test_bulk_is_forbidden_to_compliance_and_hidden_from_partners(
    compliance_client, partner_client, world
):
    data = {"ids": [world["overdue"].pk], "action": "public"}
    assert compliance_client.post(BULK, data).status_code == 403
    assert partner_client.post(BULK, data).status_code == 404
    world["overdue"].refresh_from_db()
    assert world["overdue"].public is False


def test_bulk_needs_post(staff_client, world):
    assert staff_client.get(BULK).status_code == 405


def test_the_total_is_counted_again_after_a_write(staff_client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts(response_params=None) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            body = staff_client.get(URL, response_params or {}).content.decode()
        # The tracker's total, not the unread notifications counted with the user.
        counted = sum(
            "COUNT(*)" in q["sql"] and "notifications_notification" not in q["sql"]
            for q in queries.captured_queries
        )
        return counted, body

    first, _ = counts()
    again, _ = counts()
    assert (first, again) == (1, 0)
    rec(world["v2026"], number=3, text="Keep a register of complaints.")
    recounted, body = counts()
    assert recounted == 1
    assert 'data-count="7"' in body
