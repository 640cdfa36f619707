"""The authority area's answering (/authority/submissions/...): a draft per report, its answers
and evidence, sending for sign-off, returning, signing off, and following up a submitted answer.

Every view starts from `access.require_account` and reaches submissions only through the
`access` querysets (another authority's is a 404); every change goes through `services`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.http import apply_service_errors, private_file_response

from .. import access, services
from ..forms.authority import (
    AnswerForm,
    EvidenceForm,
    ReturnForm,
)
from ..models import Answer, Evidence, Submission
from .common import error_text, page_of

# --- Submissions --------------------------------------------------------------------------------


def _submission_url(submission: Submission) -> str:
    return reverse("authority:submission", args=[submission.pk])


def _requested_recommendation(request: HttpRequest) -> int | None:
    value = request.POST.get("recommendation") or request.GET.get("rec")
    return int(value) if value and value.isdigit() else None


@require_POST
def submission_start(request: HttpRequest, pk: int) -> HttpResponse:
    account = access.require_account(request.user)
    report = access.get_report(account, pk)
    if not access.may_start(account):
        raise PermissionDenied
    try:
        submission = services.submission_start(visit=report.visit, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("authority:report", report.pk)
    rec_pk = _requested_recommendation(request)
    if rec_pk is not None:
        return redirect("authority:answer_edit", submission.pk, rec_pk)
    return redirect(_submission_url(submission))


@require_POST
def submission_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """A new submission that answers the NPM's question on (or corrects) a submitted one."""
    account = access.require_account(request.user)
    earlier = access.get_submission(account, pk)
    if not access.may_start(account) or earlier.authority_id != account.authority_id:
        raise PermissionDenied
    try:
        submission = services.submission_start(
            visit=earlier.visit, by=request.user, replies_to=earlier
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(_submission_url(earlier))
    return redirect(_submission_url(submission))


@require_GET
def submissions(request: HttpRequest) -> HttpResponse:
    account = access.require_account(request.user)
    queryset = (
        access.submissions_for(account)
        .select_related("authority", "visit__report", "visit__place")
        .annotate(answer_count=Count("answers"))
        # Meta.ordering does not apply to a grouped query: drafts (not yet submitted) first.
        .order_by(F("submitted_at").desc(nulls_first=True), "-created_at", "-pk")
    )
    page = page_of(request, queryset)
    return render(
        request,
        "authority_portal/authority/submissions.html",
        {"account": account, "page": page, "rows": page.object_list},
    )


def _submission_context(account, submission: Submission) -> dict:
    answers = list(
        submission.answers.select_related("recommendation__visit__report").prefetch_related(
            "evidence"
        )
    )
    may_draft = access.may_draft(account, submission)
    unanswered = []
    if may_draft:
        answered = {a.recommendation_id for a in answers}
        unanswered = [
            rec
            for rec in access.answerable_recommendations(account, submission.visit)
            .select_related("visit__report")
            .order_by("number")
            if rec.pk not in answered
        ]
    for answer in answers:
        answer.evidence_form = EvidenceForm(auto_id=f"id_%s_{answer.pk}") if may_draft else None
    replies = submission.replies.select_related("authority").order_by("created_at")
    return {
        "account": account,
        "submission": submission,
        "report": submission.visit.report,
        "answers": answers,
        "unanswered": unanswered,
        "may_draft": may_draft,
        "may_sign_off": access.may_sign_off(account, submission),
        "may_follow_up": (
            submission.is_submitted
            and access.may_start(account)
            and submission.authority_id == account.authority_id
            and not submission.replies.open().exists()
        ),
        "open_reply": submission.replies.open().first(),
        "replies": replies,
        "return_form": ReturnForm(initial={"version": submission.version}),
    }


@require_GET
def submission(request: HttpRequest, pk: int) -> HttpResponse:
    account = access.require_account(request.user)
    sub = get_object_or_404(
        access.submissions_for(account).select_related(
            "authority",
            "visit__report",
            "visit__place",
            "created_by",
            "sent_by",
            "signed_off_by",
            "replies_to",
        ),
        pk=pk,
    )
    return render(
        request, "authority_portal/authority/submission.html", _submission_context(account, sub)
    )


def _version(request: HttpRequest) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


def _conflict_redirect(request, submission: Submission, error: ValidationError) -> HttpResponse:
    messages.error(request, error_text(error))
    return redirect(_submission_url(submission))


def _same_answer(answer: Answer, data: dict) -> bool:
    return (
        answer.position == data["position"]
        and answer.stated_status == data["stated_status"]
        and answer.measures == (data["measures"] or "").strip()
        and answer.promised_by == data["promised_by"]
    )


@require_http_methods(["GET", "POST"])
def answer_edit(request: HttpRequest, pk: int, rec_pk: int) -> HttpResponse:
    account = access.require_account(request.user)
    sub = access.get_submission(account, pk)
    rec = get_object_or_404(
        access.recommendations_for(account).select_related("visit__report", "visit__place"),
        pk=rec_pk,
    )
    if not access.may_draft(account, sub):
        if sub.authority_id == account.authority_id and not sub.is_submitted:
            messages.info(
                request, _("This answer is with the validating authority: it is read-only.")
            )
            return redirect(_submission_url(sub))
        raise PermissionDenied
    if not (
        rec.visit_id == sub.visit_id
        and access.answerable_recommendations(account, sub.visit).filter(pk=rec.pk).exists()
    ):
        raise Http404
    answer = Answer.objects.filter(submission=sub, recommendation=rec).first()
    context = {"account": account, "submission": sub, "rec": rec, "answer": answer}
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.answer_save(
                    submission=sub,
                    recommendation=rec,
                    position=data["position"],
                    stated_status=data["stated_status"],
                    measures=data["measures"],
                    promised_by=data["promised_by"],
                    version=data["version"],
                    by=request.user,
                )
            except services.SubmissionConflict as conflict:
                current = Answer.objects.filter(submission=sub, recommendation=rec).first()
                if current is not None and _same_answer(current, data):
                    # A double submit: the first one saved exactly this.
                    return redirect(_submission_url(sub))
                return render(
                    request,
                    "authority_portal/authority/answer_conflict.html",
                    {
                        **context,
                        "submission": conflict.submission,
                        "answer": current,
                        "mine": data,
                        "form": AnswerForm(
                            initial={**data, "version": conflict.submission.version}
                        ),
                    },
                    status=409,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Your answer to %(reference)s is saved.") % {"reference": rec.reference},
                )
                return redirect(_submission_url(sub))
    else:
        initial = {"version": sub.version}
        if answer is not None:
            initial.update(
                position=answer.position,
                stated_status=answer.stated_status,
                measures=answer.measures,
                promised_by=answer.promised_by,
            )
        form = AnswerForm(initial=initial)
    return render(request, "authority_portal/authority/answer_form.html", {**context, "form": form})


@require_POST
def answer_remove(request: HttpRequest, pk: int, answer_pk: int) -> HttpResponse:
    account = access.require_account(request.user)
    sub = access.get_submission(account, pk)
    answer = Answer.objects.filter(submission=sub, pk=answer_pk).first()
    if answer is None:
        # Already removed (a double submit) or never there.
        if Answer.objects.filter(pk=answer_pk).exists():
            raise Http404
        messages.info(request, _("That answer is no longer in the draft."))
        return redirect(_submission_url(sub))
    try:
        services.answer_remove(
            submission=sub, answer=answer, version=_version(request), by=request.user
        )
    except ValidationError as error:
        return _conflict_redirect(request, sub, error)
    messages.success(request, _("The answer is removed from the draft."))
    return redirect(_submission_url(sub))


@require_POST
def evidence_add(request: HttpRequest, pk: int, answer_pk: int) -> HttpResponse:
    account = access.require_account(request.user)
    sub = access.get_submission(account, pk)
    answer = get_object_or_404(Answer.objects.filter(submission=sub), pk=answer_pk)
    if not access.may_draft(account, sub):
        raise PermissionDenied
    form = EvidenceForm(request.POST, request.FILES, auto_id=f"id_%s_{answer.pk}")
    if form.is_valid():
        try:
            services.evidence_add(answer=answer, upload=form.cleaned_data["file"], by=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The evidence file is added."))
            return redirect(f"{_submission_url(sub)}#answer-{answer.pk}")
    context = _submission_context(account, sub)
    for item in context["answers"]:
        if item.pk == answer.pk:
            item.evidence_form = form
    return render(request, "authority_portal/authority/submission.html", context, status=400)


@require_GET
def evidence(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    account = access.require_account(request.user)
    sub = access.get_submission(account, pk)
    item = access.get_evidence(sub, evidence_pk)
    return private_file_response(
        request,
        item.file,
        logged_as=item,
        visit=sub.visit,
        filename=item.original_name,
        content_type=item.content_type or "application/octet-stream",
    )


@require_POST
def evidence_remove(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    account = access.require_account(request.user)
    sub = access.get_submission(account, pk)
    item = Evidence.objects.filter(answer__submission=sub, pk=evidence_pk).first()
    if item is None:
        if Evidence.objects.filter(pk=evidence_pk).exists():
            raise Http404
        messages.info(request, _("That file is no longer in the draft."))
        return redirect(_submission_url(sub))
    try:
        services.evidence_remove(evidence=item, by=request.user)
    except ValidationError as error:
        return _conflict_redirect(request, sub, error)
    messages.success(request, _("The evidence file is removed."))
    return redirect(_submission_url(sub))


@require_http_methods(["GET", "POST"])
def submission_send(request: HttpRequest, pk: int) -> HttpResponse:
    account = access.require_account(request.user)
    sub = access.get_submission(account, pk)
    if sub.state == Submission.State.AWAITING_SIGNOFF and request.method == "POST":
        # A double submit: it is sent already.
        return redirect(_submission_url(sub))
    if not access.may_draft(account, sub):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.submission_send(submission=sub, version=_version(request), by=request.user)
        except ValidationError as error:
            return _conflict_redirect(request, sub, error)
        messages.success(request, _("The answer is sent to the validating authority."))
        return redirect(_submission_url(sub))
    return render(
        request,
        "authority_portal/authority/submission_confirm.html",
        {**_submission_context(account, sub), "action": "send"},
    )


@require_http_methods(["GET", "POST"])
def submission_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    account = access.require_account(request.user)
    sub = access.get_submission(account, pk)
    if sub.is_submitted and request.method == "POST":
        # A double submit: it is submitted already, nothing more to do.
        return redirect(_submission_url(sub))
    if not access.may_sign_off(account, sub):
        raise PermissionDenied
    if request.method == "POST":
        try:
            sub = services.submission_sign_off(
                submission=sub, version=_version(request), by=request.user
            )
        except ValidationError as error:
            return _conflict_redirect(request, sub, error)
        messages.success(
            request,
            _("The answer is submitted to the NPM as letter %(reference)s.")
            % {"reference": sub.reference},
        )
        return redirect(_submission_url(sub))
    return render(
        request,
        "authority_portal/authority/submission_confirm.html",
        {**_submission_context(account, sub), "action": "sign_off"},
    )


@require_http_methods(["GET", "POST"])
def submission_return(request: HttpRequest, pk: int) -> HttpResponse:
    account = access.require_account(request.user)
    sub = access.get_submission(account, pk)
    if not access.may_sign_off(account, sub):
        if request.method == "POST" and sub.state == Submission.State.DRAFT:
            return redirect(_submission_url(sub))
        raise PermissionDenied
    form = ReturnForm(request.POST or None, initial={"version": sub.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.submission_return(
                submission=sub,
                comment=form.cleaned_data["comment"],
                version=form.cleaned_data["version"],
                by=request.user,
            )
        except services.SubmissionConflict as error:
            return _conflict_redirect(request, sub, error)
        except ValidationError as error:
            form.add_error("comment" if hasattr(error, "error_dict") else None, error.messages)
        else:
            messages.success(request, _("The answer is returned to the focal point."))
            return redirect(_submission_url(sub))
    return render(
        request,
        "authority_portal/authority/submission_return.html",
        {"account": account, "submission": sub, "form": form},
    )
