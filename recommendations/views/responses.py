"""Authority response letters: record one (two steps: which report and authority, then the
letter and a row per recommendation), correct it, read it, download its scan."""

from __future__ import annotations

import re
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.http import apply_service_errors, private_file_response
from core.uploads import detect_content_type

from .. import access, services
from ..forms.compliance import ResponseLetterForm, ResponseRowForm, ResponseStartForm
from ..models import AuthorityResponse

ROW_KEY = re.compile(r"^rec-([0-9]+)-")


def _posted_row_pks(post) -> set[int]:
    return {int(match.group(1)) for key in post if (match := ROW_KEY.match(key))}


def _promises_valid(letter: ResponseLetterForm, rows: list[ResponseRowForm]) -> bool:
    """A promised date before the letter's own date is an error next to that row's date (the
    service refuses it too, with a message above the form)."""
    valid = True
    for row in rows:
        if not row.cleaned_data.get("include"):
            continue
        error = services.promise_error(
            promised_by=row.cleaned_data.get("promised_by"),
            received_on=letter.cleaned_data["received_on"],
        )
        if error:
            row.add_error("promised_by", error)
            valid = False
    return valid


def _warn_past_promises(request: HttpRequest, items: list[dict]) -> None:
    for warning in services.past_promises(items):
        messages.warning(request, warning)


@require_http_methods(["GET", "POST"])
def response_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, access.ADD_RESPONSE)
    source = request.POST if request.method == "POST" else request.GET
    if source.get("visit") and source.get("authority"):
        start = ResponseStartForm(source)
    else:
        # Step 1, possibly with the report already chosen (from a visit's page).
        start = ResponseStartForm(initial={"visit": source.get("visit")})
    if not start.is_bound or not start.is_valid():
        return render(request, "recommendations/response_start.html", {"start": start})

    visit = start.cleaned_data["visit"]
    authority = start.cleaned_data["authority"]
    offered = services.response_recommendations(visit=visit, authority=authority)
    posted = request.method == "POST" and "received_on" in request.POST
    data = request.POST if posted else None
    letter = ResponseLetterForm(data, request.FILES if posted else None)
    rows = [ResponseRowForm(data, recommendation=r) for r in offered]
    if posted:
        forged = _posted_row_pks(request.POST) - {r.pk for r in offered}
        if forged:
            # Only the rows the page offered may be answered: anything else is refused.
            messages.error(
                request,
                _(
                    "The letter can answer only open recommendations of %(visit)s addressed to "
                    "%(authority)s; nothing was saved."
                )
                % {"visit": visit.reference, "authority": authority},
            )
        elif (
            letter.is_valid()
            and all([row.is_valid() for row in rows])
            and _promises_valid(letter, rows)
        ):
            items = _items_from_rows(rows)
            try:
                response = services.response_record(
                    visit=visit,
                    authority=authority,
                    received_on=letter.cleaned_data["received_on"],
                    reference=letter.cleaned_data["reference"],
                    document=letter.cleaned_data["document"],
                    note=letter.cleaned_data["note"],
                    items=items,
                    by=request.user,
                )
            except ValidationError as error:
                apply_service_errors(letter, error)
            else:
                messages.success(
                    request,
                    _("Letter from %(authority)s recorded for %(count)d recommendation(s).")
                    % {"authority": authority, "count": len(items)},
                )
                _warn_past_promises(request, items)
                return redirect("recommendations:response_detail", response.pk)
    return render(
        request,
        "recommendations/response_form.html",
        {
            "visit": visit,
            "authority": authority,
            "report": visit.report,
            "letter": letter,
            "rows": rows,
        },
    )


def _items_from_rows(rows: list[ResponseRowForm]) -> list[dict]:
    return [
        {
            "recommendation": row.recommendation,
            "stated_status": row.cleaned_data["stated_status"],
            "explanation": row.cleaned_data["explanation"],
            "promised_by": row.cleaned_data["promised_by"],
        }
        for row in rows
        if row.cleaned_data["include"]
    ]


@require_http_methods(["GET", "POST"])
def response_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a recorded letter: its details and what it says about each recommendation."""
    response = access.get_response_for_user(request.user, pk, write=True)
    offered = services.response_correctable_recommendations(response=response)
    current = {item.recommendation_id: item for item in response.items.all()}
    posted = request.method == "POST"
    data = request.POST if posted else None
    letter = ResponseLetterForm(
        data,
        request.FILES if posted else None,
        initial={
            "received_on": response.received_on,
            "reference": response.reference,
            "note": response.note,
        },
    )
    letter.fields["document"].help_text = _("Leave empty to keep the current scan.")
    rows = []
    for recommendation in offered:
        item = current.get(recommendation.pk)
        initial = (
            {
                "include": True,
                "stated_status": item.stated_status,
                "explanation": item.explanation,
                "promised_by": item.promised_by,
            }
            if item is not None
            else {}
        )
        rows.append(ResponseRowForm(data, recommendation=recommendation, initial=initial))
    if posted:
        forged = _posted_row_pks(request.POST) - {r.pk for r in offered}
        if forged:
            messages.error(
                request,
                _(
                    "The letter can answer only recommendations of %(visit)s addressed to "
                    "%(authority)s; nothing was saved."
                )
                % {"visit": response.visit.reference, "authority": response.authority},
            )
        elif (
            letter.is_valid()
            and all([row.is_valid() for row in rows])
            and _promises_valid(letter, rows)
        ):
            items = _items_from_rows(rows)
            try:
                changes = services.response_correct(
                    response=response,
                    received_on=letter.cleaned_data["received_on"],
                    reference=letter.cleaned_data["reference"],
                    note=letter.cleaned_data["note"],
                    document=letter.cleaned_data["document"],
                    items=items,
                    by=request.user,
                )
            except ValidationError as error:
                apply_service_errors(letter, error)
            else:
                if changes:
                    messages.success(request, _("The letter was corrected."))
                    _warn_past_promises(request, items)
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect("recommendations:response_detail", response.pk)
    return render(
        request,
        "recommendations/response_form.html",
        {
            "visit": response.visit,
            "authority": response.authority,
            "report": response.visit.report,
            "letter": letter,
            "rows": rows,
            "correcting": response,
        },
    )


def response_detail(request: HttpRequest, pk: int) -> HttpResponse:
    response = access.get_response_for_user(request.user, pk)
    items = response.items.select_related("recommendation__visit__report")
    return render(
        request,
        "recommendations/response_detail.html",
        {
            "response": response,
            "response_items": items,
            "assessments": response.assessments.select_related(
                "recommendation__visit__report", "assessed_by"
            ),
            "can_assess": access.can_assess(request.user),
            "can_correct": access.can_correct_response(request.user)
            and not response.came_through_portal,
            "corrections": response.history.filter(history_type="~")
            .select_related("history_user")
            .order_by("-history_date"),
        },
    )


def response_document(request: HttpRequest, pk: int) -> FileResponse:
    response = access.get_response_for_user(request.user, pk)
    if not response.document:
        raise Http404
    return private_file_response(
        request,
        response.document,
        logged_as=response,
        visit=response.visit,
        filename=_letter_filename(response),
        content_type=_content_type(response.document),
    )


def _letter_filename(response: AuthorityResponse) -> str:
    suffix = PurePath(response.document.name).suffix
    name = re.sub(r"[^\w.-]+", "-", response.reference or f"letter-{response.pk}").strip("-")
    return f"{name}{suffix}"


def _content_type(document) -> str:
    try:
        with document.open("rb") as handle:
            return detect_content_type(handle) or "application/octet-stream"
    except FileNotFoundError as error:
        raise Http404 from error
