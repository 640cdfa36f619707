"""The home page's work queue ("My work"): what waits for this user, by role, each item linking
to the place where the work is done.

Fast at any size: every list is one query on indexed filters with a LIMIT (`LIMIT` rows, one
more to know there are more); the only per-authority count (overdue responses) is the
compliance figures' cached summary (`recommendations.cache`). The navigation's figure
(`work_count`) is the one the home page last counted, cached per user.

Identity-reveal requests (for the head) have no model: an identity is revealed at once by the
NPM head or the team head (`visits.access.may_reveal_identity`), so there is nothing to list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import Role, has_role, is_authority_only, is_partner_only
from npm_portal.authority_portal import access as authority_access
from npm_portal.authority_portal.models import Submission
from partners.models import Agreement
from recommendations import cache as figures_cache
from recommendations.models import Recommendation
from recommendations.queries.stats import overdue_by_authority
from visits.models import (
    EDITABLE_REPORT_STATUSES,
    PARTNER_EDITABLE,
    FollowUp,
    Report,
    ReportSection,
    ReportStatus,
    SectionStatus,
    Visit,
    VisitStatus,
)

LIMIT = 10
COUNT_CACHE = "work:count:{pk}"
COUNT_CACHE_SECONDS = 10 * 60
DUE_SOON_DAYS = 7


@dataclass
class Item:
    title: str
    url: str
    detail: str = ""
    date: dt.date | None = None
    status: str = ""


@dataclass
class Queue:
    key: str
    heading: str
    items: list[Item] = field(default_factory=list)
    more: bool = False
    more_url: str = ""
    empty: str = ""


def _bounded(queryset, limit: int = LIMIT) -> tuple[list, bool]:
    rows = list(queryset[: limit + 1])
    return rows[:limit], len(rows) > limit


def _visit_label(visit: Visit) -> str:
    return f"{visit.reference} · {visit.place.display_name}"


def _partner_sections(user):
    return ReportSection.objects.filter(
        author=user,
        status__in=PARTNER_EDITABLE,
        report__status__in=EDITABLE_REPORT_STATUSES,
        report__visit__in=Visit.objects.visible_to(user),
    )


def _submitted_sections():
    # Through the reports still editable (the report status index), not a scan of sections.
    return ReportSection.objects.filter(
        status=SectionStatus.SUBMITTED,
        report__in=Report.objects.filter(status__in=EDITABLE_REPORT_STATUSES).values("pk"),
    )


def _section_items(sections) -> tuple[list[Item], bool]:
    rows, more = _bounded(
        # The body is not shown (nor decrypted): the title and references are.
        sections.select_related("report__visit__place").defer("body").order_by("-updated_at", "-pk")
    )
    items = [
        Item(
            title=section.title,
            url=reverse("visits:section_edit", args=[section.report.visit_id, section.pk]),
            detail=f"{section.report.reference} · {_visit_label(section.report.visit)}",
            date=timezone.localdate(section.report.visit.start),
            status=section.get_status_display(),
        )
        for section in rows
    ]
    return items, more


def partner_queues(user) -> list[Queue]:
    items, more = _section_items(_partner_sections(user))
    return [
        Queue(
            "sections-mine",
            _("Sections waiting for your text"),
            items,
            more,
            empty=_("No section waits for you."),
        )
    ]


def _report_items(status: str) -> tuple[list[Item], bool]:
    rows, more = _bounded(
        Report.objects.filter(status=status)
        .select_related("visit__place")
        .order_by("created_at", "pk")
    )
    items = [
        Item(
            title=report.reference,
            url=reverse("visits:report_detail", args=[report.visit_id]),
            detail=_visit_label(report.visit),
            date=timezone.localdate(report.visit.start),
            status=report.get_status_display(),
        )
        for report in rows
    ]
    return items, more


def _visit_items() -> tuple[list[Item], bool]:
    """Planned visits whose date has passed (record them as conducted, or cancel them), and
    conducted visits without a report (write it up): one query, on the status index."""
    overdue_plan = Q(status=VisitStatus.PLANNED, planned_start__lt=timezone.now())
    unreported = Q(status=VisitStatus.CONDUCTED) & ~Exists(
        Report.objects.filter(visit=OuterRef("pk"))
    )
    rows, more = _bounded(
        Visit.objects.filter(overdue_plan | unreported)
        .select_related("place")
        .order_by("planned_start", "pk")
    )
    items = [
        Item(
            _visit_label(visit),
            reverse("visits:visit_detail", args=[visit.pk]),
            _("Planned date passed: record it as conducted or cancel it"),
            timezone.localdate(visit.planned_start),
            visit.get_status_display(),
        )
        if visit.status == VisitStatus.PLANNED
        else Item(
            _visit_label(visit),
            reverse("visits:report_create", args=[visit.pk]),
            _("Conducted, no report yet"),
            timezone.localdate(visit.start),
            visit.get_status_display(),
        )
        for visit in rows
    ]
    return items, more


def _follow_up_items() -> tuple[list[Item], bool]:
    rows, more = _bounded(
        FollowUp.objects.open().select_related("place", "visit").order_by("created_at", "pk")
    )
    items = [
        Item(
            follow_up.place.display_name,
            reverse("visits:follow_up_check", args=[follow_up.visit_id, follow_up.pk]),
            _("Reprisal-risk check raised at visit %(visit)s")
            % {"visit": follow_up.visit.reference},
            timezone.localdate(follow_up.created_at),
        )
        for follow_up in rows
    ]
    return items, more


def _agreement_items() -> tuple[list[Item], bool]:
    rows, more = _bounded(
        Agreement.objects.expiring_within()
        .select_related("organisation")
        .order_by("valid_until", "pk")
    )
    items = [
        Item(
            agreement.organisation.display_name,
            reverse("partners:agreement_detail", args=[agreement.pk]),
            agreement.reference_number,
            agreement.last_day,
        )
        for agreement in rows
    ]
    return items, more


def staff_queues(user) -> list[Queue]:
    queues = [
        Queue(
            "sections-submitted",
            _("Sections submitted for review"),
            *_section_items(_submitted_sections()),
            empty=_("No section waits for review."),
        ),
        Queue(
            "reports-drafting",
            _("Reports to finish"),
            *_report_items(ReportStatus.DRAFTING),
            more_url=reverse("visits:visit_list") + "?status=reporting",
            empty=_("No report is being drafted."),
        ),
        Queue(
            "visits-to-do",
            _("Visits to plan or write up"),
            *_visit_items(),
            more_url=reverse("visits:visit_list") + "?status=planned",
            empty=_("No visit is overdue or waiting for its report."),
        ),
        Queue(
            "follow-ups",
            _("Follow-up checks due (reprisal risk)"),
            *_follow_up_items(),
            empty=_("No reprisal-risk check is open."),
        ),
    ]
    if user.has_perm("partners.view_agreement"):
        queues.append(
            Queue(
                "agreements-expiring",
                _("Agreements expiring"),
                *_agreement_items(),
                more_url=reverse("partners:agreement_list") + "?state=expiring",
                empty=_("No agreement expires soon."),
            )
        )
    return queues


def head_queues(user) -> list[Queue]:
    return [
        Queue(
            "reports-review",
            _("Reports awaiting approval"),
            *_report_items(ReportStatus.IN_REVIEW),
            empty=_("No report awaits approval."),
        ),
        Queue(
            "reports-approved",
            _("Approved reports to issue"),
            *_report_items(ReportStatus.APPROVED),
            empty=_("No approved report waits to be issued."),
        ),
    ]


def _due_items(today: dt.date) -> tuple[list[Item], bool]:
    rows, more = _bounded(
        Recommendation.objects.issued()
        .due_soon(DUE_SOON_DAYS, today)
        .select_related("visit__report", "visit__place")
        .order_by("due_date", "pk")
    )
    items = [
        Item(
            rec.reference,
            reverse("recommendations:detail", args=[rec.pk]),
            rec.visit.place.display_name,
            rec.due_date,
        )
        for rec in rows
    ]
    return items, more


def _overdue_items(today: dt.date) -> tuple[list[Item], bool]:
    summary = figures_cache.cached(
        "work-overdue", (today.isoformat(),), lambda: overdue_by_authority(today=today)
    )
    tracker = reverse("recommendations:list")
    rows = summary.by_authority
    items = [
        Item(
            row.label,
            f"{tracker}?overdue=yes&authority={row.key}",
            _("%(count)d overdue") % {"count": row.count},
        )
        for row in rows[:LIMIT]
    ]
    return items, len(rows) > LIMIT


def _letter_items() -> tuple[list[Item], bool]:
    rows, more = _bounded(
        Submission.objects.awaiting_review()
        .select_related("authority", "visit__report")
        .order_by("submitted_at", "pk")
    )
    items = [
        Item(
            submission.reference,
            reverse("answers:detail", args=[submission.pk]),
            f"{submission.authority.display_name} · {submission.visit.report.reference}",
            timezone.localdate(submission.submitted_at) if submission.submitted_at else None,
        )
        for submission in rows
    ]
    return items, more


def compliance_queues(user) -> list[Queue]:
    today = timezone.localdate()
    tracker = reverse("recommendations:list")
    queues = [
        Queue(
            "responses-due",
            _("Responses due this week"),
            *_due_items(today),
            more_url=f"{tracker}?sort=due",
            empty=_("No response is due this week."),
        ),
        Queue(
            "overdue-by-authority",
            _("Overdue responses by authority"),
            *_overdue_items(today),
            more_url=f"{tracker}?overdue=yes",
            empty=_("No response is overdue."),
        ),
    ]
    if authority_access.can_review_submissions(user):
        queues.append(
            Queue(
                "letters",
                _("Letters to assess"),
                *_letter_items(),
                more_url=reverse("answers:inbox"),
                empty=_("No letter waits for assessment."),
            )
        )
    return queues


def my_work(user) -> list[Queue]:
    """The user's queues, most pressing first (none for authority users)."""
    if is_authority_only(user):
        return []
    if is_partner_only(user):
        return partner_queues(user)
    queues: list[Queue] = []
    is_head = user.is_superuser or has_role(user, Role.HEAD)
    if is_head:
        queues += head_queues(user)
    if is_head or has_role(user, Role.STAFF):
        queues += staff_queues(user)
    if has_role(user, Role.COMPLIANCE):
        queues += compliance_queues(user)
    return queues


def work_count(user) -> int:
    """The navigation's figure: the one the home page last counted for this user (cached
    COUNT_CACHE_SECONDS), 0 when it has not been counted lately. Other pages run no query for
    it: their query budget (tests/performance) has no room, and the home page is where every
    user lands after logging in."""
    if not getattr(user, "is_authenticated", False) or is_authority_only(user):
        return 0
    return cache.get(COUNT_CACHE.format(pk=user.pk)) or 0


def forget_count(user_pk: int) -> None:
    """Something changed in the user's queue (a notification for them): the figure is stale."""
    cache.delete(COUNT_CACHE.format(pk=user_pk))


def remember_count(user, queues: list[Queue]) -> None:
    """The home page has just listed the queues: the length of the one that waits for this
    user's own action is the navigation's figure (a partner's sections, the sections staff must
    review, the reports the head must approve or issue, the letters compliance must assess);
    "10+" when a list has more than it shows."""
    if is_partner_only(user):
        keys = {"sections-mine"}
    elif user.is_superuser or has_role(user, Role.HEAD):
        keys = {"reports-review", "reports-approved"}
    elif has_role(user, Role.STAFF):
        keys = {"sections-submitted"}
    elif has_role(user, Role.COMPLIANCE):
        keys = {"letters"}
    else:
        keys = set()
    chosen = [queue for queue in queues if queue.key in keys]
    count = sum(len(queue.items) for queue in chosen)
    label = f"{count}+" if any(queue.more for queue in chosen) else str(count)
    cache.set(COUNT_CACHE.format(pk=user.pk), label if count else 0, COUNT_CACHE_SECONDS)
