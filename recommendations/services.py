"""Compliance services: due dates, authority responses, assessments, follow-up checklists and
the timeline of a recommendation.

`recommendation_refresh_status` is the one writer of a recommendation's current status
(status, reason, verified on site, status since); every service that changes what the status
depends on calls it. The dates it derives from are kept by `recommendations_set_due_dates`
(dispatched on, due date: from the first dispatch) and `_recommendations_sync_responses`
(first response on: the earliest letter, after `response_record` or `response_correct`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from visits.models import Dispatch, Report, ReportStatus, Visit, VisitKind, VisitStatus
from visits.uploads import validate_attachment

from .models import (
    OPEN_STATUSES,
    REASON_STATUSES,
    STATED_STATUSES,
    Assessment,
    AuthorityResponse,
    Basis,
    FollowUpCheck,
    Priority,
    Reason,
    Recommendation,
    ResponseItem,
    Status,
)

# The NPM's verdicts: what an authority may state, never the two automatic statuses.
ASSESSED_STATUSES = list(STATED_STATUSES)
# A reason code is required for these (optional for the rest of REASON_STATUSES).
REASON_REQUIRED = {Status.PARTIALLY_IMPLEMENTED, Status.NOT_IMPLEMENTED}
# A follow-up visit can record what it saw once it has taken place.
VISITED_STATUSES = {VisitStatus.CONDUCTED, VisitStatus.REPORTING, VisitStatus.CLOSED}


# --- Issued reports freeze their recommendations ------------------------------------------------


def issued_report(visit: Visit) -> Report | None:
    try:
        report = visit.report
    except Report.DoesNotExist:
        return None
    return report if report.status == ReportStatus.ISSUED else None


def recommendation_ensure_editable(recommendation: Recommendation) -> None:
    """Issued reports are immutable, and so are their recommendations' texts."""
    if recommendation.visit_id and issued_report(recommendation.visit) is not None:
        raise ValidationError(_("Recommendations of an issued report have frozen text."))


def recommendation_ensure_can_add(visit: Visit) -> None:
    """No new recommendations once the visit's report is issued."""
    if issued_report(visit) is not None:
        raise ValidationError(
            _("The report of this visit is issued: no recommendations can be added to it.")
        )


def _require_issued(visit: Visit) -> Report:
    report = issued_report(visit)
    if report is None:
        raise ValidationError(
            _("The report of visit %(visit)s is not issued yet.") % {"visit": visit.reference}
        )
    return report


# --- Due dates ----------------------------------------------------------------------------------


def due_date_for(*, sent_on: dt.date, priority: str) -> dt.date:
    """The response deadline: the legal term in days from dispatch (shorter when urgent)."""
    if priority == Priority.URGENT:
        days = settings.NPM_URGENT_RESPONSE_TERM_DAYS
    else:
        days = settings.NPM_RESPONSE_TERM_DAYS
    return sent_on + dt.timedelta(days=days)


def _first_dispatch_on(recommendation: Recommendation) -> dt.date | None:
    """The earliest dispatch of the recommendation's report to any of its addressees."""
    return (
        Dispatch.objects.filter(
            report__visit_id=recommendation.visit_id,
            authority__in=recommendation.addressees.all(),
        )
        .order_by("sent_on")
        .values_list("sent_on", flat=True)
        .first()
    )


@transaction.atomic
def recommendations_set_due_dates(*, dispatch: Dispatch) -> int:
    """The report went to one addressee: its recommendations addressed to that authority get
    their dispatch date and deadline.

    The deadline is derived, never typed in: the legal term from the FIRST dispatch of the report
    to any addressee. It is recomputed from all the report's dispatches, so the order in which they
    are recorded does not matter: a dispatch dated earlier but recorded later moves the deadline
    forward, a later-dated one changes nothing, and a due date that disagrees with the dispatches
    is put right. The status date of a recommendation still awaiting its response follows the
    dispatch date (see `recommendation_refresh_status`). Returns how many recommendations
    changed."""
    recommendations = Recommendation.objects.select_for_update(of=("self",)).filter(
        visit_id=dispatch.report.visit_id, addressees=dispatch.authority_id
    )
    changed = 0
    for recommendation in recommendations:
        sent_on = _first_dispatch_on(recommendation)
        due_date = (
            due_date_for(sent_on=sent_on, priority=recommendation.priority) if sent_on else None
        )
        if (recommendation.dispatched_on, recommendation.due_date) == (sent_on, due_date):
            continue
        recommendation.dispatched_on = sent_on
        recommendation.due_date = due_date
        recommendation._history_user = dispatch.recorded_by
        recommendation.save(update_fields=["dispatched_on", "due_date", "updated_at"])
        recommendation_refresh_status(recommendation=recommendation, by=dispatch.recorded_by)
        changed += 1
    return changed


def overdue_filter(today: dt.date | None = None) -> Q:
    """Overdue: the deadline has passed and no response item has come (see `is_overdue`)."""
    today = today or timezone.localdate()
    return Q(due_date__lt=today, responded_on__isnull=True)


def due_soon_filter(days: int, today: dt.date | None = None) -> Q:
    today = today or timezone.localdate()
    return Q(
        due_date__gte=today,
        due_date__lte=today + dt.timedelta(days=days),
        responded_on__isnull=True,
    )


# --- The current status -------------------------------------------------------------------------


@transaction.atomic
def recommendation_refresh_status(*, recommendation: Recommendation, by=None) -> Recommendation:
    """Derive the current status from the latest assessment (by date, then entry order), or
    from whether any response arrived; save only what changed, with history."""
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    latest = recommendation.assessments.order_by("-assessed_on", "-pk").first()
    if latest is not None:
        values = {
            "status": latest.status,
            "reason": latest.reason,
            "verified_on_site": latest.verified_on_site,
            "status_changed_on": latest.assessed_on,
        }
    else:
        first_letter = (
            AuthorityResponse.objects.filter(items__recommendation=recommendation)
            .order_by("received_on")
            .values_list("received_on", flat=True)
            .first()
        )
        values = {
            "status": Status.RESPONSE_RECEIVED if first_letter else Status.AWAITING_RESPONSE,
            "reason": "",
            "verified_on_site": False,
            "status_changed_on": first_letter or recommendation.dispatched_on,
        }
    changed = [name for name, value in values.items() if getattr(recommendation, name) != value]
    if changed:
        for name in changed:
            setattr(recommendation, name, values[name])
        if by is not None:
            recommendation._history_user = by
        recommendation.save(update_fields=[*changed, "updated_at"])
    return recommendation


# --- Authority responses ------------------------------------------------------------------------


def _day(value: dt.date) -> str:
    return date_format(value, "DATE_FORMAT")


def _require_not_future(value: dt.date, field: str) -> None:
    if value > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})


def _require_not_before_issue(value: dt.date, report: Report, field: str) -> None:
    if report.issued_on and value < report.issued_on:
        raise ValidationError(
            {
                field: _("The report was issued on %(date)s: this date cannot be earlier.")
                % {"date": _day(report.issued_on)}
            }
        )


def response_recommendations(*, visit: Visit, authority) -> list[Recommendation]:
    """What a letter from `authority` about `visit` may answer: its open recommendations
    addressed to that authority, once the report is issued."""
    if issued_report(visit) is None:
        return []
    return list(
        Recommendation.objects.filter(visit=visit, addressees=authority, status__in=OPEN_STATUSES)
        .select_related("visit__report")
        .order_by("number")
    )


@transaction.atomic
def response_record(
    *,
    visit: Visit,
    authority,
    received_on: dt.date,
    reference: str = "",
    document=None,
    note: str = "",
    items: list[dict],
    by=None,
) -> AuthorityResponse:
    """Record an authority's letter answering one or more of a visit's recommendations.

    `items`: dicts with recommendation, stated_status, explanation, promised_by.
    """
    report = _require_issued(visit)
    if received_on is None:
        raise ValidationError({"received_on": _("Give the date the letter was received.")})
    _require_not_future(received_on, "received_on")
    _require_not_before_issue(received_on, report, "received_on")
    offered = {r.pk: r for r in response_recommendations(visit=visit, authority=authority)}
    seen = _validate_items(
        items,
        offered,
        _(
            "Recommendation %(reference)s cannot be answered by this letter: only open "
            "recommendations of visit %(visit)s addressed to %(authority)s can."
        ),
        visit=visit.reference,
        authority=authority,
    )
    _validate_document(document)
    reference = (reference or "").strip()
    if AuthorityResponse.objects.filter(
        visit=visit, authority=authority, received_on=received_on, reference=reference
    ).exists():
        # A double submit, or the same letter entered twice.
        raise ValidationError(
            _(
                "A letter from %(authority)s received on %(date)s with this reference is already "
                "recorded: correct that letter instead. If this is another letter, give its "
                "reference."
            )
            % {"authority": authority, "date": _day(received_on)}
        )

    response = AuthorityResponse(
        visit=visit,
        authority=authority,
        received_on=received_on,
        reference=reference,
        note=(note or "").strip(),
        recorded_by=by,
    )
    if document:
        response.document.save(document.name, document, save=False)
    if by is not None:
        response._history_user = by
    response.save()
    bulk_create_with_history(
        [
            ResponseItem(
                response=response,
                recommendation=offered[item["recommendation"].pk],
                stated_status=item["stated_status"],
                explanation=(item.get("explanation") or "").strip(),
                promised_by=item.get("promised_by"),
            )
            for item in items
        ],
        ResponseItem,
        default_user=by,
    )
    _recommendations_sync_responses(seen, by=by)
    return response


def _validate_items(items: list[dict], offered: dict, refused: str, **names) -> set[int]:
    """Each item answers a recommendation in `offered`, once, with a stated status. Returns the
    recommendations' pks."""
    if not items:
        raise ValidationError(_("Include at least one recommendation the letter answers."))
    seen: set[int] = set()
    for item in items:
        recommendation = item["recommendation"]
        if recommendation.pk not in offered:
            raise ValidationError(refused % {"reference": recommendation.reference, **names})
        if recommendation.pk in seen:
            raise ValidationError(
                _("Recommendation %(reference)s is listed twice.")
                % {"reference": recommendation.reference}
            )
        seen.add(recommendation.pk)
        if item.get("stated_status") not in STATED_STATUSES:
            raise ValidationError(
                _("Choose what the authority states about recommendation %(reference)s.")
                % {"reference": recommendation.reference}
            )
    return seen


def _validate_document(document) -> None:
    if document:
        try:
            validate_attachment(document)
        except ValidationError as error:
            raise ValidationError({"document": error.messages}) from error


def _recommendations_sync_responses(pks, *, by=None) -> None:
    """Keep `responded_on` (the earliest letter answering the recommendation) and the current
    status consistent with the letters, after a letter was recorded or corrected."""
    for pk in sorted(pks):
        recommendation = Recommendation.objects.select_for_update().get(pk=pk)
        first_letter = (
            AuthorityResponse.objects.filter(items__recommendation_id=pk)
            .order_by("received_on")
            .values_list("received_on", flat=True)
            .first()
        )
        if recommendation.responded_on != first_letter:
            recommendation.responded_on = first_letter
            if by is not None:
                recommendation._history_user = by
            recommendation.save(update_fields=["responded_on", "updated_at"])
        recommendation_refresh_status(recommendation=recommendation, by=by)


def response_correctable_recommendations(*, response: AuthorityResponse) -> list[Recommendation]:
    """What a corrected letter may answer: the recommendations it answers, and any other
    recommendation of the same report addressed to the same authority (one forgotten when the
    letter was entered may have been assessed since, so it need not be open)."""
    return list(
        Recommendation.objects.filter(
            Q(visit_id=response.visit_id, addressees=response.authority_id)
            | Q(response_items__response=response)
        )
        .distinct()
        .select_related("visit__report")
        .order_by("number")
    )


@transaction.atomic
def response_correct(
    *,
    response: AuthorityResponse,
    received_on: dt.date,
    reference: str = "",
    note: str = "",
    document=None,
    items: list[dict],
    by=None,
) -> list[str]:
    """Correct a recorded letter: its date, reference, note and document (a new scan replaces
    the old one; none keeps it), what it states about each recommendation, a recommendation of
    the same report and authority it answers but was forgotten, or one ticked by mistake (unless
    an assessment rests on this letter for it).

    `items`: the whole corrected list, as for `response_record`. Every change is kept in the
    history of the letter and its items; the recommendations' first response date and current
    status follow. Returns the names of what changed (empty when nothing did)."""
    response = (
        AuthorityResponse.objects.select_for_update(of=("self",))
        .select_related("visit__report", "authority")
        .get(pk=response.pk)
    )
    report = _require_issued(response.visit)
    if received_on is None:
        raise ValidationError({"received_on": _("Give the date the letter was received.")})
    _require_not_future(received_on, "received_on")
    _require_not_before_issue(received_on, report, "received_on")
    first_assessed = (
        response.assessments.order_by("assessed_on").values_list("assessed_on", flat=True).first()
    )
    if first_assessed is not None and received_on > first_assessed:
        raise ValidationError(
            {
                "received_on": _(
                    "An assessment dated %(date)s is based on this letter: it cannot have been "
                    "received later."
                )
                % {"date": _day(first_assessed)}
            }
        )
    offered = {r.pk: r for r in response_correctable_recommendations(response=response)}
    seen = _validate_items(
        items,
        offered,
        _(
            "Recommendation %(reference)s cannot be answered by this letter: only "
            "recommendations of visit %(visit)s addressed to %(authority)s can."
        ),
        visit=response.visit.reference,
        authority=response.authority,
    )
    existing = {item.recommendation_id: item for item in response.items.all()}
    removed = set(existing) - seen
    kept_by_assessment = (
        response.assessments.filter(recommendation_id__in=removed)
        .order_by("recommendation__number")
        .first()
    )
    if kept_by_assessment is not None:
        raise ValidationError(
            _(
                "Recommendation %(reference)s was assessed on the basis of this letter: it stays "
                "in the letter."
            )
            % {"reference": offered[kept_by_assessment.recommendation_id].reference}
        )
    _validate_document(document)

    changes: list[str] = []
    letter_values = {
        "received_on": received_on,
        "reference": (reference or "").strip(),
        "note": (note or "").strip(),
    }
    for name, value in letter_values.items():
        if getattr(response, name) != value:
            setattr(response, name, value)
            changes.append(name)
    if document:
        response.document.save(document.name, document, save=False)
        changes.append("document")

    for item in items:
        pk = item["recommendation"].pk
        values = {
            "stated_status": item["stated_status"],
            "explanation": (item.get("explanation") or "").strip(),
            "promised_by": item.get("promised_by"),
        }
        row = existing.get(pk)
        if row is None:
            row = ResponseItem(response=response, recommendation=offered[pk], **values)
            changes.append(f"added:{pk}")
        else:
            changed = [name for name, value in values.items() if getattr(row, name) != value]
            if not changed:
                continue
            for name in changed:
                setattr(row, name, values[name])
            changes.append(f"item:{pk}")
        if by is not None:
            row._history_user = by
        row.save()
    for pk in sorted(removed):
        row = existing[pk]
        if by is not None:
            row._history_user = by
        row.delete()
        changes.append(f"removed:{pk}")
    if changes:
        # The letter's history gets a row for every correction, even of its items only.
        if by is not None:
            response._history_user = by
        response._change_reason = "corrected"
        response.save()
        _recommendations_sync_responses(set(existing) | seen, by=by)
    return changes


# --- Assessments --------------------------------------------------------------------------------


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localdate(value)


@transaction.atomic
def assessment_record(
    *,
    recommendation: Recommendation,
    status: str,
    reason: str = "",
    basis: str,
    response: AuthorityResponse | None = None,
    follow_up_visit: Visit | None = None,
    verified_on_site: bool = False,
    note: str = "",
    assessed_on: dt.date,
    by=None,
) -> Assessment:
    """The NPM's verdict on a recommendation; the latest one is its current status."""
    recommendation = (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("visit__place")
        .get(pk=recommendation.pk)
    )
    report = _require_issued(recommendation.visit)
    errors: dict[str, str] = {}
    if status not in ASSESSED_STATUSES:
        errors["status"] = _("Choose the implementation status.")
    reason = reason or ""
    if reason and reason not in Reason.values:
        errors["reason"] = _("Choose a reason from the list.")
    elif reason and status not in REASON_STATUSES:
        errors["reason"] = _(
            "A reason explains partial or non-implementation only; leave it empty for this status."
        )
    elif not reason and status in REASON_REQUIRED:
        errors["reason"] = _("Say why the recommendation is %(status)s.") % {
            "status": Status(status).label.lower()
        }
    if assessed_on is None:
        errors["assessed_on"] = _("Give the date of the assessment.")
    elif assessed_on > timezone.localdate():
        errors["assessed_on"] = _("This date is in the future.")
    elif report.issued_on and assessed_on < report.issued_on:
        errors["assessed_on"] = _(
            "The report was issued on %(date)s: this date cannot be earlier."
        ) % {"date": _day(report.issued_on)}

    if basis not in Basis.values:
        errors["basis"] = _("Choose what the assessment is based on.")
    elif basis == Basis.RESPONSE:
        if response is None:
            errors["response"] = _("Choose the authority's letter the assessment is based on.")
        elif not response.items.filter(recommendation=recommendation).exists():
            errors["response"] = _("This letter does not answer this recommendation.")
        elif assessed_on and assessed_on < response.received_on:
            errors["assessed_on"] = _("The letter was received on %(date)s: assess it after.") % {
                "date": _day(response.received_on)
            }
    elif response is not None:
        errors["response"] = _("A letter goes with the basis “authority response” only.")
    if basis == Basis.RESPONSE and verified_on_site:
        errors["verified_on_site"] = _("A letter cannot verify anything on site.")
    if basis == Basis.FOLLOW_UP_VISIT:
        if follow_up_visit is None:
            errors["follow_up_visit"] = _("Choose the follow-up visit.")
        elif follow_up_visit.pk == recommendation.visit_id:
            errors["follow_up_visit"] = _(
                "Choose a later visit: this is the visit the recommendation came from."
            )
        elif follow_up_visit.place_id != recommendation.visit.place_id:
            errors["follow_up_visit"] = _("The follow-up visit must be to the same place.")
        elif follow_up_visit.status not in VISITED_STATUSES:
            errors["follow_up_visit"] = _("The follow-up visit has not been conducted.")
        elif assessed_on and assessed_on < _local_date(follow_up_visit.start):
            errors["assessed_on"] = _(
                "The follow-up visit took place on %(date)s: this date cannot be earlier."
            ) % {"date": _day(_local_date(follow_up_visit.start))}
        verified_on_site = True
    elif follow_up_visit is not None:
        errors["follow_up_visit"] = _("A visit goes with the basis “follow-up visit” only.")
    if errors:
        raise ValidationError(errors)
    note = (note or "").strip()
    if recommendation.assessments.filter(
        status=status,
        reason=reason,
        basis=basis,
        response=response,
        follow_up_visit=follow_up_visit,
        verified_on_site=verified_on_site,
        note=note,
        assessed_on=assessed_on,
    ).exists():
        # A double submit: the same verdict on the same day is recorded once.
        raise ValidationError(_("This assessment is already recorded."))

    assessment = Assessment.objects.create(
        recommendation=recommendation,
        status=status,
        reason=reason,
        basis=basis,
        response=response,
        follow_up_visit=follow_up_visit,
        verified_on_site=verified_on_site,
        note=note,
        assessed_on=assessed_on,
        assessed_by=by,
    )
    recommendation_refresh_status(recommendation=recommendation, by=by)
    return assessment


# --- Follow-up visits ---------------------------------------------------------------------------


def follow_up_candidates(*, visit: Visit):
    """Open, issued recommendations of earlier visits to the visit's place."""
    return Recommendation.objects.filter(
        visit__place_id=visit.place_id,
        visit__planned_start__lt=visit.planned_start,
        visit__report__status=ReportStatus.ISSUED,
        status__in=OPEN_STATUSES,
    ).exclude(visit=visit)


@transaction.atomic
def follow_up_checklist_prefill(*, visit: Visit) -> int:
    """One checklist line per open recommendation at the place (idempotent: lines already there
    stay as they are). Returns the number of lines added."""
    if visit.kind != VisitKind.FOLLOW_UP:
        raise ValidationError(_("Only follow-up visits have a checklist."))
    if visit.status == VisitStatus.CANCELLED:
        raise ValidationError(_("The visit is cancelled."))
    existing = set(
        FollowUpCheck.objects.filter(visit=visit).values_list("recommendation_id", flat=True)
    )
    missing = [
        pk
        for pk in follow_up_candidates(visit=visit).values_list("pk", flat=True)
        if pk not in existing
    ]
    FollowUpCheck.objects.bulk_create(
        [FollowUpCheck(visit=visit, recommendation_id=pk) for pk in missing],
        ignore_conflicts=True,
    )
    return len(missing)


@transaction.atomic
def follow_up_check_record(
    *, check: FollowUpCheck, observation: str, status: str, reason: str = "", by=None
) -> FollowUpCheck:
    """What the team saw on site becomes an assessment with basis "follow-up visit", verified on
    site, dated the day of the visit. Recording again adds a new assessment and relinks the line
    (the timeline keeps both)."""
    check = (
        FollowUpCheck.objects.select_for_update(of=("self",))
        .select_related("visit", "recommendation")
        .get(pk=check.pk)
    )
    visit = check.visit
    if visit.status not in VISITED_STATUSES:
        raise ValidationError(
            _("Record what was seen once the visit has been conducted (it is %(status)s).")
            % {"status": visit.get_status_display().lower()}
        )
    observation = (observation or "").strip()
    if not observation:
        raise ValidationError({"observation": _("Say what the team saw on site.")})
    assessment = assessment_record(
        recommendation=check.recommendation,
        status=status,
        reason=reason,
        basis=Basis.FOLLOW_UP_VISIT,
        follow_up_visit=visit,
        verified_on_site=True,
        note=observation,
        assessed_on=min(_local_date(visit.start), timezone.localdate()),
        by=by,
    )
    check.observation = observation
    check.assessment = assessment
    check.recorded_by = by
    check.recorded_at = timezone.now()
    check.save(update_fields=["observation", "assessment", "recorded_by", "recorded_at"])
    return check


# --- Timeline -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEvent:
    date: dt.date
    kind: str
    label: str
    detail: str = ""
    url: str | None = None


# Same-day events in the order they happen.
_KIND_ORDER = {
    "created": 0,
    "issued": 1,
    "dispatched": 2,
    "response": 3,
    "follow_up": 4,
    "assessment": 5,
    "due": 6,
}


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def recommendation_timeline(recommendation: Recommendation) -> list[TimelineEvent]:
    """Everything that happened to a recommendation, oldest first."""
    events: list[TimelineEvent] = [
        TimelineEvent(
            _local_date(recommendation.created_at), "created", _("Recommendation drafted")
        )
    ]
    report = issued_report(recommendation.visit)
    if report is not None and report.issued_on:
        events.append(
            TimelineEvent(
                report.issued_on,
                "issued",
                _("Report issued"),
                report.reference,
                reverse("visits:report_detail", args=[recommendation.visit_id])
                if _has_url("visits:report_detail")
                else None,
            )
        )
        addressees = {a.pk for a in recommendation.addressees.all()}
        for dispatch in report.dispatches.select_related("authority"):
            if dispatch.authority_id in addressees:
                events.append(
                    TimelineEvent(
                        dispatch.sent_on,
                        "dispatched",
                        _("Sent to %(authority)s") % {"authority": dispatch.authority},
                        " · ".join(
                            part
                            for part in (dispatch.get_channel_display(), dispatch.reference)
                            if part
                        ),
                    )
                )
    if recommendation.due_date:
        events.append(TimelineEvent(recommendation.due_date, "due", _("Response due"), "", None))
    items = recommendation.response_items.select_related("response__authority")
    for item in items:
        letter = item.response
        detail = _("States: %(status)s") % {"status": item.get_stated_status_display()}
        if item.promised_by:
            detail += " · " + _("promised by %(date)s") % {"date": _day(item.promised_by)}
        events.append(
            TimelineEvent(
                letter.received_on,
                "response",
                _("Response from %(authority)s") % {"authority": letter.authority}
                + (f" ({letter.reference})" if letter.reference else ""),
                detail,
                reverse("recommendations:response_detail", args=[letter.pk]),
            )
        )
    for assessment in recommendation.assessments.select_related("assessed_by"):
        detail = assessment.get_basis_display()
        if assessment.reason:
            detail += " · " + assessment.get_reason_display()
        if assessment.verified_on_site:
            detail += " · " + _("verified on site")
        who = _person(assessment.assessed_by)
        if who:
            detail += " · " + who
        events.append(
            TimelineEvent(
                assessment.assessed_on,
                "assessment",
                _("Assessed: %(status)s") % {"status": assessment.get_status_display()},
                detail,
            )
        )
    for check in recommendation.follow_up_checks.select_related("visit"):
        visit = check.visit
        if visit.status == VisitStatus.CANCELLED:
            continue
        events.append(
            TimelineEvent(
                _local_date(visit.start),
                "follow_up",
                (
                    _("Follow-up visit %(visit)s") % {"visit": visit.reference}
                    if check.recorded_at
                    else _("Follow-up visit %(visit)s planned") % {"visit": visit.reference}
                ),
                check.observation,
                reverse("recommendations:follow_up_checklist", args=[visit.pk]),
            )
        )
    events.sort(key=lambda event: (event.date, _KIND_ORDER.get(event.kind, 9)))
    return events


def _has_url(name: str) -> bool:
    from django.urls import NoReverseMatch

    try:
        reverse(name, args=[1])
    except NoReverseMatch:
        return False
    return True
