"""The compliance pages and exports run a fixed number of queries however many letters,
assessments, follow-up checks and recommendations there are: each count is pinned at two sizes
of the same world."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from recommendations import services
from recommendations.models import FollowUpCheck
from tests.recommendations.compliance_helpers import dispatch, issued_case, visit_at
from visits.models import Visit

pytestmark = pytest.mark.django_db


def _world(n: int) -> dict:
    """An issued report with n recommendations, n letters answering all of them, an assessment
    each, and n + 1 conducted follow-up visits with recorded checks."""
    visit, institution, ministry, recs = issued_case(count=n)
    dispatch(visit, institution, dt.date(2025, 10, 3))
    dispatch(visit, ministry, dt.date(2025, 10, 4))
    letters = [
        services.response_record(
            visit=visit,
            authority=institution if i % 2 else ministry,
            received_on=dt.date(2025, 11, 1 + i),
            reference=f"L-{i}",
            items=[
                {"recommendation": rec, "stated_status": "in_progress", "explanation": "Soon."}
                for rec in recs
            ],
        )
        for i in range(n)
    ]
    for rec in recs:
        services.assessment_record(
            recommendation=rec,
            status="in_progress",
            basis="response",
            response=letters[0],
            assessed_on=dt.date(2025, 12, 1),
        )
    follow_ups = []
    for day in range(n + 1):
        follow_up = visit_at(
            visit.place, day=dt.date(2026, 2, 1 + day), kind="follow_up", status="planned"
        )
        Visit.objects.filter(pk=follow_up.pk).update(status="conducted")
        follow_ups.append(follow_up)
    for check in FollowUpCheck.objects.filter(visit__in=follow_ups):
        services.follow_up_check_record(check=check, observation="Seen.", status="in_progress")
    assert FollowUpCheck.objects.filter(visit=follow_ups[0]).count() == n
    return {
        "visit": visit,
        "institution": institution,
        "rec": recs[0],
        "letter": letters[0],
        "follow_up": follow_ups[0],
    }


# Writing one access-log entry: the chain's lock (PostgreSQL only), the last entry's hash, the
# insert (visits.audit.record).
ACCESS_LOG_ENTRY = 3 if connection.vendor == "postgresql" else 2
# On PostgreSQL an export's rows are read in a transaction of their own with JIT compilation off
# (`exports._chunks`): here, inside the test's transaction, a savepoint, `SET LOCAL jit` and the
# savepoint's release.
EXPORT_SETTING = 3 if connection.vendor == "postgresql" else 0

# The roles of the user are read once per request (`core.roles.user_roles` caches them for the
# navigation's role badges too).
PAGES = {
    # name: (url from the world, queries)
    # The assessments, checks and letters are read once for the lists and the timeline; the
    # repeat chains are one recursive query each.
    "detail": (lambda w: reverse("recommendations:detail", args=[w["rec"].pk]), 17),
    "assess": (lambda w: reverse("recommendations:assess", args=[w["rec"].pk]), 12),
    "response_detail": (
        lambda w: reverse("recommendations:response_detail", args=[w["letter"].pk]),
        11,
    ),
    "response_edit": (
        lambda w: reverse("recommendations:response_edit", args=[w["letter"].pk]),
        10,
    ),
    "response_form": (
        lambda w: (
            reverse("recommendations:response_create")
            + f"?visit={w['visit'].pk}&authority={w['institution'].pk}"
        ),
        10,
    ),
    "visit_recommendations": (
        lambda w: reverse("recommendations:visit_recommendations", args=[w["visit"].pk]),
        11,
    ),
    "checklist": (
        lambda w: reverse("recommendations:follow_up_checklist", args=[w["follow_up"].pk]),
        9,
    ),
    # Exports count the rows (for the access log), read the themes' names once, and the rows
    # with everything else they need (first letter, addressees, times raised, operating
    # authority) in one query, however many rows (`test_exports_streaming`).
    "export_csv": (
        lambda w: reverse("recommendations:export_csv"),
        10 + ACCESS_LOG_ENTRY + EXPORT_SETTING,
    ),
    "export_xlsx": (
        lambda w: reverse("recommendations:export_xlsx"),
        10 + ACCESS_LOG_ENTRY + EXPORT_SETTING,
    ),
}


@pytest.mark.parametrize("size", [2, 7])
# Not "page": that name is Playwright's fixture and would make these browser tests.
@pytest.mark.parametrize("name", sorted(PAGES))
def test_query_count_is_pinned_whatever_the_size(
    name, size, staff_client, django_assert_num_queries
):
    url, queries = PAGES[name]
    world = _world(size)
    with django_assert_num_queries(queries):
        response = staff_client.get(url(world))
        if response.streaming:  # an export is read as it is sent
            b"".join(response.streaming_content)
    assert response.status_code == 200
