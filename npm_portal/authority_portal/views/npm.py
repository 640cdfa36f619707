"""The NPM side of the authority portal (/answers/): the inbox of submitted answers and their
review, evidence downloads, authority accounts.

Partner-only and authority users get 404 everywhere here (`access.require_npm`); NPM users
without the permission a page needs get 403. Viewing is by permission (head, staff,
compliance); accepting and asking questions need `review_submission`; accounts are managed by
head and staff.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Prefetch, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.http import apply_service_errors, posted, private_file_response
from recommendations import access as recommendation_access
from recommendations.models import Basis
from visits.models import Authority

from .. import access, accounts, services
from ..forms.npm import AccountFilterForm, AccountInviteForm, ClarifyForm, InboxFilterForm
from ..models import AuthorityAccount, Evidence, ReviewState, Submission

PAGE_SIZE = 50


# --- Submissions --------------------------------------------------------------------------------


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    access.require_npm(request.user, access.VIEW_SUBMISSION)
    form = InboxFilterForm(request.GET or None)
    submissions = access.npm_submissions().select_related(
        "authority", "visit__report", "visit__place"
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["review"]:
            submissions = submissions.filter(review=data["review"])
        if data["authority"]:
            submissions = submissions.filter(authority__name__icontains=data["authority"])
        if data["report"]:
            submissions = submissions.filter(visit__report__reference__icontains=data["report"])
    submissions = submissions.annotate(
        answer_count=Count("answers"),
        waiting=Case(
            When(review=ReviewState.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
    ).order_by("waiting", "-submitted_at", "-pk")
    page = Paginator(submissions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "authority_portal/npm/inbox.html",
        {"form": form, "page": page, "can_view_accounts": access.can_view_accounts(request.user)},
    )


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = access.get_npm_submission(request.user, pk)
    answers = (
        submission.answers.select_related("recommendation__theme")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
        .order_by("recommendation__number")
    )
    can_assess = recommendation_access.can_assess(request.user)
    assess_query = ""
    if submission.letter_id:
        assess_query = f"?basis={Basis.RESPONSE}&response={submission.letter_id}"
    later = (
        access.npm_submissions()
        .filter(replies_to=submission)
        .select_related("authority")
        .order_by("submitted_at", "pk")
    )
    earlier = None
    if submission.replies_to_id:
        earlier = access.npm_submissions().filter(pk=submission.replies_to_id).first()
    return render(
        request,
        "authority_portal/npm/detail.html",
        {
            "submission": submission,
            "answers": answers,
            "can_assess": can_assess,
            "assess_query": assess_query,
            "earlier": earlier,
            "later": later,
            "can_review": access.can_review_submissions(request.user),
            "clarify_form": ClarifyForm(initial={"question": submission.clarification_question}),
        },
    )


def _reviewable(request: HttpRequest, pk: int) -> Submission:
    submission = access.get_npm_submission(request.user, pk)
    access.deny_unless(access.can_review_submissions(request.user))
    return submission


@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _reviewable(request, pk)
    try:
        services.submission_accept(submission=submission, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(reference)s accepted as the authority's response.")
            % {"reference": submission.reference},
        )
    return redirect("answers:detail", submission.pk)


@require_http_methods(["GET", "POST"])
def clarify(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _reviewable(request, pk)
    form = ClarifyForm(posted(request), initial={"question": submission.clarification_question})
    if request.method == "POST" and form.is_valid():
        try:
            services.submission_request_clarification(
                submission=submission, question=form.cleaned_data["question"], by=request.user
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Question sent to %(authority)s.") % {"authority": submission.authority},
            )
            return redirect("answers:detail", submission.pk)
    return render(
        request, "authority_portal/npm/clarify.html", {"submission": submission, "form": form}
    )


@require_GET
def evidence(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    submission = access.get_npm_submission(request.user, pk)
    item = access.get_evidence(submission, evidence_pk)
    return private_file_response(
        request,
        item.file,
        logged_as=item,
        visit=submission.visit,
        filename=item.original_name,
        content_type=item.content_type or "application/octet-stream",
    )


# --- Accounts -----------------------------------------------------------------------------------


@require_GET
def account_list(request: HttpRequest) -> HttpResponse:
    access.require_npm(request.user, access.VIEW_ACCOUNT)
    form = AccountFilterForm(request.GET or None)
    rows = AuthorityAccount.objects.select_related("user", "authority")
    if form.is_valid():
        data = form.cleaned_data
        if data["authority"]:
            rows = rows.filter(authority__name__icontains=data["authority"])
        if data["function"]:
            rows = rows.filter(function=data["function"])
        if data["active"] == "yes":
            rows = rows.active()
        elif data["active"] == "no":
            rows = rows.exclude(pk__in=AuthorityAccount.objects.active().values("pk"))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "authority_portal/npm/account_list.html",
        {"form": form, "page": page, "can_manage": access.can_manage_accounts(request.user)},
    )


def _invited_page(request: HttpRequest, invitation: accounts.Invitation) -> HttpResponse:
    # The links are shown once, here (for when the mail did not go); they are not stored.
    return render(request, "authority_portal/npm/account_invited.html", {"invitation": invitation})


@require_http_methods(["GET", "POST"])
def account_create(request: HttpRequest) -> HttpResponse:
    access.require_npm(request.user, access.VIEW_ACCOUNT)
    access.deny_unless(access.can_manage_accounts(request.user))
    initial = {}
    authority_pk = request.GET.get("authority", "")
    if authority_pk.isdigit():
        initial["authority"] = Authority.objects.filter(pk=int(authority_pk), active=True).first()
    form = AccountInviteForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = accounts.account_invite(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _invited_page(request, invitation)
    return render(request, "authority_portal/npm/account_form.html", {"form": form})


@require_GET
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = access.get_npm_account(request.user, pk)
    history = account.history.select_related("history_user").order_by("-history_date")
    return render(
        request,
        "authority_portal/npm/account_detail.html",
        {
            "account": account,
            "history": history,
            "can_manage": access.can_manage_accounts(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def account_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    account = access.get_npm_account(request.user, pk, write=True)
    if account.deactivated_at is not None:
        messages.info(request, _("This account is already deactivated."))
        return redirect("answers:account_detail", account.pk)
    if request.method == "POST":
        accounts.account_deactivate(account=account, by=request.user)
        messages.success(
            request,
            _("%(name)s can no longer log in.")
            % {"name": account.user.get_full_name() or account.user.username},
        )
        return redirect("answers:account_detail", account.pk)
    return render(request, "authority_portal/npm/account_deactivate.html", {"account": account})


@require_POST
def account_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """A fresh invitation link; for a deactivated account, reactivate it and invite again."""
    account = access.get_npm_account(request.user, pk, write=True)
    try:
        if not account.is_active:
            account = accounts.account_reactivate(account=account, by=request.user)
        invitation = accounts.account_reinvite(account=account, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("answers:account_detail", account.pk)
    return _invited_page(request, invitation)
