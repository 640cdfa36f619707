"""Demo recommendations of a report: drafted, repeated from earlier visits, answered by the
authorities, assessed and checked on a follow-up visit, all through the services a user's clicks
would call.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.utils import timezone

from recommendations import services
from recommendations.models import Assessment, FollowUpCheck, Recommendation
from visits import services as visit_services
from visits.models import Authority, Report, Theme, Visit
from visits.models.visit import LOCAL_ZONE

B = Assessment.Basis


def visit_for(place_name: str, year: int) -> Visit | None:
    return (
        Visit.objects.filter(place__name=place_name, year=year)
        .exclude(kind=Visit.Kind.FOLLOW_UP)
        .order_by("planned_start")
        .first()
    )


def _addressees(visit: Visit, who: str) -> list[Authority]:
    institution = visit.place.authority
    ministry = institution
    while ministry.parent_id:
        ministry = ministry.parent
    return {
        "institution": [institution],
        "ministry": [ministry],
        "both": list(dict.fromkeys([institution, ministry])),
    }[who]


def recommendations_of(visit: Visit, scenario, people, created: Counter) -> dict[int, object]:
    themes = {t.code: t for t in Theme.objects.all()}
    numbered = {}
    for theme, priority, public, who, text in scenario.get("recommendations", []):
        recommendation = services.recommendation_create(
            visit=visit,
            text=text,
            theme=themes.get(theme),
            addressees=_addressees(visit, who),
            priority=priority,
            public=public,
            by=people["staff"],
        )
        numbered[recommendation.number] = recommendation
        created["recommendations"] += 1
    # Drafted after the visit, not on the day the demo is loaded (the timeline shows it).
    drafted = (visit.actual_end or visit.planned_end) + dt.timedelta(days=3)
    Recommendation.objects.filter(pk__in=[r.pk for r in numbered.values()]).update(
        created_at=min(drafted, timezone.now())
    )
    for number, place_name, year, earlier_number in scenario.get("repeats", []):
        earlier_visit = visit_for(place_name, year)
        earlier = Recommendation.objects.filter(visit=earlier_visit, number=earlier_number).first()
        if earlier is not None:
            services.repeat_link(
                recommendation=numbered[number], earlier=earlier, by=people["staff"]
            )
    return numbered


def _letter_before(responses: list, day: dt.date):
    """The latest of `responses` received on or before `day`."""
    earlier = [r for r in responses if r.received_on <= day]
    return max(earlier, key=lambda r: r.received_on) if earlier else None


def issue_and_follow_up(report: Report, scenario, people, numbered, created: Counter) -> None:
    head, staff = people["head"], people["staff"]
    today = timezone.localdate()
    issued_on = scenario.get("issued_on") or today - dt.timedelta(days=scenario["issued_days_ago"])
    report = visit_services.report_issue(report=report, by=head, issued_on=issued_on)
    # Approved shortly before it was issued, as it would have been.
    approved_at = dt.datetime.combine(issued_on, dt.time(10), tzinfo=LOCAL_ZONE)
    Report.objects.filter(pk=report.pk).update(approved_at=approved_at - dt.timedelta(days=1))
    sent_on = scenario.get("dispatched_on") or today - dt.timedelta(
        days=scenario["dispatched_days_ago"]
    )
    # Fresh: the visit cached on the old report object still holds the approved report.
    visit = Visit.objects.select_related("place__authority").get(pk=report.visit_id)
    for index, authority in enumerate(_addressees(visit, "both")):
        visit_services.dispatch_record(
            report=report,
            authority=authority,
            sent_on=sent_on,
            reference=f"{report.reference}/{index + 1}",
            channel="post",
            by=staff,
        )
    letters: dict[int, list] = {}
    for who, received_on, reference, items in scenario.get("letters", []):
        authority = _addressees(visit, who)[0]
        response = services.response_record(
            visit=visit,
            authority=authority,
            received_on=received_on,
            reference=reference,
            items=[
                {
                    "recommendation": numbered[number],
                    "stated_status": stated,
                    "explanation": explanation,
                    "promised_by": promised,
                }
                for number, (stated, explanation, promised) in items.items()
            ],
            by=people["compliance"],
        )
        created["authority responses"] += 1
        for number in items:
            letters.setdefault(number, []).append(response)
    for number, assessed_on, status, reason, basis, note in scenario.get("assessments", []):
        services.assessment_record(
            recommendation=numbered[number],
            status=status,
            reason=reason,
            basis=basis,
            response=_letter_before(letters.get(number, []), assessed_on)
            if basis == B.RESPONSE
            else None,
            note=note,
            assessed_on=assessed_on,
            by=people["compliance"],
        )
        created["assessments"] += 1
    follow_up = scenario.get("follow_up")
    if follow_up:
        start = dt.datetime(*follow_up["start"], tzinfo=LOCAL_ZONE)
        end = start + dt.timedelta(hours=3)
        number = (Visit.objects.filter(year=start.year).order_by("-number").first()).number + 1
        check_visit = Visit.objects.create(
            place=visit.place,
            year=start.year,
            number=number,
            kind=Visit.Kind.FOLLOW_UP,
            planned_start=start,
            planned_end=end,
            actual_start=start,
            actual_end=end,
            status=Visit.Status.CLOSED,
            purpose="Follow-up of the recommendations of the visit of "
            f"{timezone.localtime(visit.start):%d.%m.%Y}.",
            created_by=staff,
        )
        created["follow-up visits"] += 1
        services.follow_up_checklist_prefill(visit=check_visit)
        for number, (status, observation) in follow_up["checks"].items():
            check = FollowUpCheck.objects.get(visit=check_visit, recommendation=numbered[number])
            services.follow_up_check_record(
                check=check, observation=observation, status=status, by=staff
            )
            created["assessments"] += 1
