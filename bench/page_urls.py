"""The pages the benchmark measures, with concrete URLs picked from the generated data by fixed
rules (so both scales measure the same kind of page): the visit with the most recommendations,
the ministry whose subtree is addressed most, a search word of real place names, a year of
about 5–10 % of the recommendations for the exports."""

from __future__ import annotations

import math
from collections import Counter
from urllib.parse import urlencode

STAFF = "dataset-staff"
COMPLIANCE = "dataset-compliance"
ADMIN = "dataset-admin"
DEEP_PAGE = 500
# The exports' filter yields at least this share of all recommendations (10,000 at scale 1).
EXPORT_SHARE = 0.05
# The memory export's filter yields at least this share (100,000 at scale 1).
MEMORY_SHARE = 0.5


def _q(path: str, **params) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def _most_recommended_visit() -> int:
    from django.db.models import Count

    from recommendations.models import Recommendation

    top = (
        Recommendation.objects.values("visit_id")
        .annotate(n=Count("id"))
        .order_by("-n", "visit_id")
        .first()
    )
    return top["visit_id"]


def _most_assessed_recommendation() -> int:
    from django.db.models import Count

    from recommendations.models import Assessment, Recommendation

    top = (
        Assessment.objects.values("recommendation_id")
        .annotate(n=Count("id"))
        .order_by("-n", "recommendation_id")
        .first()
    )
    return top["recommendation_id"] if top else Recommendation.objects.order_by("pk")[0].pk


def _largest_ministry() -> tuple[int, int]:
    """(pk, addressee links in its subtree) of the ministry addressed most, itself and below."""
    from recommendations.models import Recommendation
    from visits.models import Authority

    links = Recommendation.addressees.through.objects
    best = (0, 0)
    for ministry in Authority.objects.filter(kind=Authority.Kind.MINISTRY).order_by("pk"):
        count = links.filter(authority_id__in=Authority.objects.subtree_ids(ministry)).count()
        if count > best[1]:
            best = (ministry.pk, count)
    return best


def _search_word() -> str:
    """The most frequent word of place names (5+ letters) found in at most a tenth of them:
    a town or a kind of place someone would type, not "Police" in every other name."""
    from visits.models import Place

    names = list(Place.objects.order_by("pk").values_list("name", flat=True))
    spelled: dict[str, str] = {}
    words: Counter[str] = Counter()
    for name in names:
        for word in {w.strip(".,()-") for w in name.split()}:
            if len(word) >= 5 and word.isalpha():
                spelled.setdefault(word.lower(), word)
                words[word.lower()] += 1
    limit = max(1, len(names) // 10)
    fitting = [(n, w) for w, n in words.items() if n <= limit]
    chosen = max(fitting or [(n, w) for w, n in words.items()] or [(0, "prison")])
    return spelled.get(chosen[1], chosen[1])


def _count(query: dict) -> int:
    from django.http import QueryDict

    from recommendations.models import Recommendation
    from recommendations.queries.filters import RecommendationFilter

    data = QueryDict(mutable=True)
    data.update(query)
    return RecommendationFilter(data or None, queryset=Recommendation.objects.all()).qs.count()


def _smallest_filter_above(candidates: list[dict], minimum: float) -> tuple[dict, int]:
    counted = sorted((_count(c), sorted(c.items()), c) for c in candidates)
    fitting = [(n, c) for n, _, c in counted if n >= minimum]
    if fitting:
        return fitting[0][1], fitting[0][0]
    return {}, _count({})  # nothing that large: everything


def choose() -> tuple[dict, list[dict]]:
    """(facts about the data and the choices made, the pages to measure)."""
    from django.contrib.auth import get_user_model

    from npm_portal.portal.forms import public_recommendations
    from recommendations.models import Assessment, Priority, Recommendation
    from recommendations.views.tracker import DEFAULT_PAGE_SIZE
    from visits.models import Authority, Place, Report, TeamMember, Visit

    users = get_user_model().objects
    missing = [u for u in (STAFF, COMPLIANCE, ADMIN) if not users.filter(username=u).exists()]
    if missing:
        raise SystemExit(f"the dataset has no user {', '.join(missing)}")
    staff = users.get(username=STAFF)
    dashboard_user = STAFF if staff.has_perm("recommendations.view_recommendation") else COMPLIANCE

    total = Recommendation.objects.count()
    years = Visit.objects.filter(recommendations__isnull=False).values_list("year", flat=True)
    years = years.order_by("year").distinct()
    export_filter, export_rows = _smallest_filter_above(
        [{"year": str(y)} for y in years], total * EXPORT_SHARE
    )
    memory_candidates = [
        {"overdue": "no"},
        {"overdue": "yes"},
        {"repeated": "no"},
        *({"priority": p} for p in Priority.values),
        *({"category": c} for c in Place.Category.values),
    ]
    memory_filter, memory_rows = _smallest_filter_above(memory_candidates, total * MEMORY_SHARE)
    last_page = max(1, math.ceil(total / DEFAULT_PAGE_SIZE))
    deep_page = min(DEEP_PAGE, last_page)
    ministry, ministry_links = _largest_ministry()
    word = _search_word()
    # A report number shown on its page, typed partly: "NPM-2024-0" lists, never opens one.
    reference = Report.objects.exclude(reference="").values_list("reference", flat=True).first()
    reference = (reference or "NPM-2020-001")[:-2]
    visit = _most_recommended_visit()
    rec = _most_assessed_recommendation()

    facts = {
        "dataset": {
            "places": Place.objects.count(),
            "authorities": Authority.objects.count(),
            "visits": Visit.objects.count(),
            "team_members": TeamMember.objects.count(),
            "reports": Report.objects.count(),
            "recommendations": total,
            "addressee_links": Recommendation.addressees.through.objects.count(),
            "assessments": Assessment.objects.count(),
            "public_recommendations": public_recommendations().count(),
        },
        "visit_detail": {
            "pk": visit,
            "recommendations": Recommendation.objects.filter(visit_id=visit).count(),
        },
        "recommendation_detail": {"pk": rec},
        "ministry": {"pk": ministry, "addressee_links_in_subtree": ministry_links},
        "search_word": word,
        "deep_page": {"page": deep_page, "last_page": last_page},
        "export_filter": {"query": urlencode(export_filter), "rows": export_rows},
        "memory_filter": {"query": urlencode(memory_filter), "rows": memory_rows},
        "dashboard_user": dashboard_user,
    }
    tracker = "/recommendations/"
    pages = [
        ("dashboard", "/", STAFF, "dashboard"),
        ("visits", "/visits/", STAFF, "list"),
        ("visits_filtered", _q("/visits/", status=Visit.Status.CLOSED), STAFF, "list"),
        ("visits_search", _q("/visits/", q=word), STAFF, "list"),
        ("visit_detail", f"/visits/{visit}/", STAFF, "detail"),
        ("tracker", tracker, STAFF, "list"),
        ("tracker_overdue", _q(tracker, overdue="yes"), STAFF, "list"),
        ("tracker_authority", _q(tracker, authority=ministry), STAFF, "list"),
        ("tracker_search", _q(tracker, q=word), STAFF, "list"),
        ("tracker_sort_due", _q(tracker, sort="due"), STAFF, "list"),
        ("tracker_deep_page", _q(tracker, page=deep_page), STAFF, "list"),
        ("recommendation_detail", f"/recommendations/{rec}/", STAFF, "detail"),
        # Its tables list every addressee authority: held to the list pages' HTML budget.
        ("compliance_dashboard", "/recommendations/dashboard/", dashboard_user, "list"),
        ("portal", "/portal/", None, "list"),
        ("portal_search", _q("/portal/", q=word), None, "list"),
        # The header search over every type (npm_portal.search), by a word and by a reference.
        ("global_search", _q("/search/", q=word), STAFF, "list"),
        ("global_search_reference", _q("/search/", q=reference), STAFF, "list"),
        ("export_csv", _q("/recommendations/export.csv", **export_filter), STAFF, "export"),
        ("export_xlsx", _q("/recommendations/export.xlsx", **export_filter), STAFF, "export"),
        ("admin_changelist", "/admin/recommendations/recommendation/", ADMIN, "reference"),
    ]
    return facts, [
        {
            "name": name,
            "url": url,
            "user": user,
            "kind": kind,
            "rows": export_rows if kind == "export" else None,
        }
        for name, url, user, kind in pages
    ]
