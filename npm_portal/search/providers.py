"""What the header search looks in, one provider per type of object.

Each provider starts from what the user may see (the apps' `visible_to` querysets and access
predicates), matches with the list pages' own search conditions (visits.filters,
partners.filters, recommendations.queries.filters: folded, core.search), and reads at most
`limit + 1` rows, so no search counts or scans more than its page. A type the user may not see
at all has no provider for them: a partner member's search never learns that a visit they are
not on, or its report or recommendations, exists.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.search import folded_contains
from partners.filters import member_search_q, organisation_search_q
from partners.models import Member, Organisation
from recommendations import access as recommendations_access
from recommendations.models import Recommendation
from recommendations.queries.filters import (
    NEWEST_FIRST,
    RECOMMENDATION_REFERENCE,
    first_matches_q,
)
from visits import access as visits_access
from visits.filters import authority_search_q, place_search_q, visit_search_q
from visits.lookups import VISIT_REFERENCE
from visits.models import Authority, Place, Report, Visit

# A report's reference as typed: "NPM-2026-002" (letters, digits, dashes; no spaces).
REPORT_REFERENCE = re.compile(r"^\s*[A-Za-z]+-\d{4}-\d+\s*$")


@dataclass(frozen=True)
class Result:
    title: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    results: list[Result]
    more_url: str | None  # the list page with the query, when there are more than shown


@dataclass(frozen=True)
class Provider:
    key: str
    label: str
    allowed: Callable  # (user) -> bool
    # (user, text, rows) -> QuerySet, visible rows that match, in display order; the group reads
    # its first `rows` (a provider may cut the parts of its search there).
    queryset: Callable
    result: Callable  # (row) -> Result
    list_url: Callable | None = None  # (user) -> list page URL, or None where it has none
    exact: Callable | None = None  # (user, text) -> QuerySet of exact reference matches

    def group(self, user, text: str, limit: int) -> Group:
        rows = list(self.queryset(user, text, limit + 1)[: limit + 1])
        more_url = None
        if len(rows) > limit and self.list_url is not None:
            base = self.list_url(user)
            more_url = f"{base}?{urlencode({'q': text})}" if base else None
        return Group(self.key, self.label, [self.result(row) for row in rows[:limit]], more_url)


def _date(value) -> str:
    return date_format(value, "DATE_FORMAT") if value else ""


# --- Visits and reports -----------------------------------------------------------------------


def _visits(user) -> QuerySet[Visit]:
    return Visit.objects.visible_to(user)


def _visit_rows(user, text: str, rows: int) -> QuerySet[Visit]:
    return (
        _visits(user)
        .filter(visit_search_q(text))
        .select_related("place")
        .order_by("-planned_start", "-id")
    )


def _visit_exact(user, text: str) -> QuerySet[Visit]:
    match = VISIT_REFERENCE.match(text)
    if not match:
        return _visits(user).none()
    return _visits(user).filter(year=int(match[1]), number=int(match[2]))


def _visit_result(visit: Visit) -> Result:
    detail = f"{visit.place.display_name} · {_date(visit.start)} · {visit.get_status_display()}"
    return Result(visit.reference, visit.get_absolute_url(), detail)


def _reports(user) -> QuerySet[Report]:
    if not visits_access.can_view_reports(user):
        return Report.objects.none()
    return Report.objects.filter(visit__in=_visits(user).values("pk"))


def _report_rows(user, text: str, rows: int) -> QuerySet[Report]:
    return (
        _reports(user)
        .filter(folded_contains(("reference", "title"), text))
        .select_related("visit__place")
        .order_by("-visit__year", "-visit__number")
    )


def _report_exact(user, text: str) -> QuerySet[Report]:
    if not REPORT_REFERENCE.match(text):
        return _reports(user).none()
    return _reports(user).filter(reference__iexact=text.strip())


def _report_result(report: Report) -> Result:
    detail = f"{report.visit.place.display_name} · {report.get_status_display()}"
    return Result(f"{report.reference} · {report.title}", report.get_absolute_url(), detail)


# --- Recommendations ---------------------------------------------------------------------------


def _recommendation_rows(user, text: str, rows: int) -> QuerySet[Recommendation]:
    # The tracker's own search, newest first as the tracker lists, each of its parts cut at the
    # group's rows (first_matches_q); not through the place's name: places have their own group
    # here, and a town's name would list every recommendation ever made there (the tracker's
    # link does that).
    return (
        Recommendation.objects.filter(first_matches_q(text, rows, with_places=False))
        .select_related("visit__place", "visit__report")
        .order_by(*NEWEST_FIRST)
    )


def _recommendation_exact(user, text: str) -> QuerySet[Recommendation]:
    match = RECOMMENDATION_REFERENCE.match(text)
    if not match:
        return Recommendation.objects.none()
    prefix, number = match[1], int(match[2])
    visit = VISIT_REFERENCE.match(prefix)
    if visit:
        of_visit = Q(visit__year=int(visit[1]), visit__number=int(visit[2]))
    else:
        of_visit = Q(visit__report__reference__iexact=prefix)
    return Recommendation.objects.filter(of_visit, number=number)


def _recommendation_result(recommendation: Recommendation) -> Result:
    text = recommendation.text if len(recommendation.text) <= 140 else recommendation.text[:139]
    detail = f"{recommendation.visit.place.display_name} · {recommendation.get_status_display()}"
    title = f"{recommendation.reference} · {text}{'…' if text != recommendation.text else ''}"
    return Result(title, recommendation.get_absolute_url(), detail)


# --- The registry and the partners -------------------------------------------------------------


def _place_result(place: Place) -> Result:
    detail = " · ".join(part for part in (place.municipality, place.get_category_display()) if part)
    return Result(place.display_name, place.get_absolute_url(), detail)


def _authority_result(authority: Authority) -> Result:
    return Result(
        authority.display_name, authority.get_absolute_url(), authority.get_kind_display()
    )


def _organisation_result(organisation: Organisation) -> Result:
    url = reverse("partners:organisation_detail", args=[organisation.pk])
    return Result(organisation.display_name, url, organisation.short_name)


def _member_result(member: Member) -> Result:
    detail = f"{member.organisation.display_name} · {member.get_expertise_display()}"
    return Result(member.full_name, member.get_absolute_url(), detail)


def _lists(name: str, *, perm: str | None = None) -> Callable:
    def list_url(user) -> str | None:
        return reverse(name) if perm is None or user.has_perm(perm) else None

    return list_url


PROVIDERS: list[Provider] = [
    Provider(
        "visits",
        _("Visits"),
        allowed=lambda user: user.has_perm("visits.view_visit"),
        queryset=_visit_rows,
        result=_visit_result,
        list_url=_lists("visits:visit_list"),
        exact=_visit_exact,
    ),
    Provider(
        "reports",
        _("Reports"),
        allowed=visits_access.can_view_reports,
        queryset=_report_rows,
        result=_report_result,
        exact=_report_exact,
    ),
    Provider(
        "recommendations",
        _("Recommendations"),
        allowed=recommendations_access.can_view,
        queryset=_recommendation_rows,
        result=_recommendation_result,
        list_url=_lists("recommendations:list"),
        exact=_recommendation_exact,
    ),
    Provider(
        "places",
        _("Places"),
        allowed=lambda user: user.has_perm("visits.view_place"),
        queryset=lambda user, text, _rows: (
            Place.objects.filter(place_search_q(text))
            .select_related("authority")
            .order_by("name", "pk")
        ),
        result=_place_result,
        list_url=_lists("visits:place_list"),
    ),
    Provider(
        "authorities",
        _("Authorities"),
        allowed=lambda user: user.has_perm("visits.view_authority"),
        queryset=lambda user, text, _rows: Authority.objects.filter(
            authority_search_q(text)
        ).order_by("name", "pk"),
        result=_authority_result,
        list_url=_lists("visits:authority_list"),
    ),
    Provider(
        "organisations",
        _("Organisations"),
        allowed=lambda user: True,  # visible_to: all for NPM roles, their own for a partner
        queryset=lambda user, text, _rows: (
            Organisation.objects.visible_to(user)
            .filter(organisation_search_q(text))
            .order_by("name", "pk")
        ),
        result=_organisation_result,
        list_url=_lists("partners:organisation_list", perm="partners.view_organisation"),
    ),
    Provider(
        "members",
        _("Partner members"),
        allowed=lambda user: True,  # visible_to: all for NPM roles, their own profile for a partner
        queryset=lambda user, text, _rows: (
            Member.objects.visible_to(user)
            .filter(member_search_q(text))
            .select_related("organisation")
            .order_by("last_name", "first_name", "pk")
        ),
        result=_member_result,
        list_url=_lists("partners:member_list", perm="partners.view_member"),
    ),
]


def providers_for(user) -> list[Provider]:
    return [provider for provider in PROVIDERS if provider.allowed(user)]


def exact_matches(user, text: str) -> list[Result]:
    """Objects whose reference is exactly the text (at most a few), over the types the user may
    see."""
    found: list[Result] = []
    for provider in providers_for(user):
        if provider.exact is not None:
            found += [provider.result(row) for row in provider.exact(user, text)[:2]]
    return found
