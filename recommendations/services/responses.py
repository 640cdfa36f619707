"""Authority responses: recording a letter that answers some of a visit's recommendations, and
correcting it later.

`responded_on` (the earliest letter answering a recommendation) is kept by
`_recommendations_sync_responses` after every record or correction, which then refreshes the
current status (`status.recommendation_refresh_status`)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.uploads import validate_attachment
from visits.models import Report, Visit

from .. import access
from ..events import response_recorded
from ..models import (
    STATED_STATUSES,
    AuthorityResponse,
    Recommendation,
    ResponseItem,
    issued_report,
)
from .due_dates import day_label
from .promises import promised_dates_check
from .status import recommendation_refresh_status, require_issued


def _refuse_future(value: dt.date, field: str) -> None:
    if value > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})


def _refuse_before_issue(value: dt.date, report: Report, field: str) -> None:
    if report.issued_on and value < report.issued_on:
        raise ValidationError(
            {
                field: _("The report was issued on %(date)s: this date cannot be earlier.")
                % {"date": day_label(report.issued_on)}
            }
        )


def response_recommendations(*, visit: Visit, authority) -> list[Recommendation]:
    """What a letter from `authority` about `visit` may answer: its open recommendations
    addressed to that authority, once the report is issued."""
    if issued_report(visit) is None:
        return []
    return list(
        Recommendation.objects.open()
        .filter(visit=visit, addressees=authority)
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
    recorded_by=None,
) -> AuthorityResponse:
    """Record an authority's letter answering one or more of a visit's recommendations.

    `items`: dicts with recommendation, stated_status, explanation, promised_by. `recorded_by`:
    who the letter is recorded as coming in through when that is not `by` (a submission of the
    authority portal is recorded by the system, `by=None`, as signed off by the authority's
    validating user).
    """
    access.require_that(by is None or access.can_record_response(by))
    report = require_issued(visit)
    if received_on is None:
        raise ValidationError({"received_on": _("Give the date the letter was received.")})
    _refuse_future(received_on, "received_on")
    _refuse_before_issue(received_on, report, "received_on")
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
    promised_dates_check(items, received_on=received_on)
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
            % {"authority": authority, "date": day_label(received_on)}
        )

    response = AuthorityResponse(
        visit=visit,
        authority=authority,
        received_on=received_on,
        reference=reference,
        note=(note or "").strip(),
        recorded_by=recorded_by or by,
    )
    if document:
        response.document.save(document.name, document, save=False)
    # Who the history rows name: the user, or whoever the letter came in through.
    actor = by or recorded_by
    if actor is not None:
        response._history_user = actor
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
        default_user=actor,
    )
    _recommendations_sync_responses(seen, by=actor)
    response_recorded.send(sender=AuthorityResponse, response=response, corrected=False)
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
    access.require_that(by is None or access.can_correct_response(by))
    response = (
        AuthorityResponse.objects.select_for_update(of=("self",))
        .select_related("visit__report", "authority")
        .get(pk=response.pk)
    )
    if response.came_through_portal:
        raise ValidationError(
            _(
                "This letter was signed off by the authority in its portal: it cannot be "
                "corrected here. Ask the authority to submit a correction."
            )
        )
    report = require_issued(response.visit)
    if received_on is None:
        raise ValidationError({"received_on": _("Give the date the letter was received.")})
    _refuse_future(received_on, "received_on")
    _refuse_before_issue(received_on, report, "received_on")
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
                % {"date": day_label(first_assessed)}
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
    promised_dates_check(items, received_on=received_on)
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
        response_recorded.send(sender=AuthorityResponse, response=response, corrected=True)
    return changes
