"""The authority area (/authority/): what an authority user sees (their recommendations, the
reports dispatched to them) and the invitation link; answering is in `answering`.

Every view starts from `access.require_account` (404 for everyone who is not an active authority
user) and reaches rows only through the `access` querysets, so another authority's row is a 404.
Every change goes through `services`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.http import private_file_response
from recommendations.models import OPEN_STATUSES, ResponseItem, Status
from visits.models import Authority

from .. import access, invitations
from ..forms.authority import (
    RecommendationFilterForm,
    Show,
)
from ..models import Answer, Escalation, Submission
from .common import page_of


def _last_answer(account, field: str):
    """The latest letter item of the account's subtree on the recommendation (a letter entered by
    compliance counts as much as a submission: both are letters)."""
    items = ResponseItem.objects.filter(
        recommendation=OuterRef("pk"),
        response__authority_id__in=access.subtree_ids(account),
    ).order_by("-response__received_on", "-pk")
    return Subquery(items.values(field)[:1])


def _with_answers(account, queryset):
    return queryset.annotate(
        last_stated_status=_last_answer(account, "stated_status"),
        last_answered_on=_last_answer(account, "response__received_on"),
    )


def _subtree_addressees(account) -> Prefetch:
    return Prefetch(
        "addressees",
        queryset=Authority.objects.filter(pk__in=access.subtree_ids(account)).order_by("name"),
        to_attr="subtree_addressees",
    )


def _status_label(value: str | None) -> str:
    return Status(value).label if value else ""


# --- My recommendations -------------------------------------------------------------------------


def _filtered_recommendations(account, filters: dict):
    today = timezone.localdate()
    queryset = _with_answers(account, access.recommendations_for(account))
    show = filters["show"]
    if show == Show.OPEN:
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    elif show == Show.OVERDUE:
        queryset = queryset.overdue(today)
    elif show == Show.DUE_SOON:
        queryset = queryset.due_soon(settings.NPM_AUTHORITY_REMINDER_DAYS, today)
    elif show == Show.ANSWERED:
        queryset = queryset.filter(last_answered_on__isnull=False)
    q = (filters["q"] or "").strip()
    if q:
        reference, _sep, number = q.rpartition("/")
        if reference and number.strip().isdigit():
            queryset = queryset.filter(
                visit__report__reference__icontains=reference.strip(), number=int(number)
            )
        else:
            queryset = queryset.filter(visit__report__reference__icontains=q)
    if filters.get("addressee") is not None:
        queryset = queryset.filter(addressees=filters["addressee"])
    return (
        queryset.select_related("visit__report", "visit__place")
        .prefetch_related(_subtree_addressees(account))
        .order_by("due_date", "visit__report__reference", "number", "pk")
    )


def _task_panels(account) -> dict:
    own = Submission.objects.filter(authority_id=account.authority_id).select_related(
        "visit__report", "visit__place"
    )
    subtree = access.submissions_for(account)
    drafts = (
        own.filter(state=Submission.State.DRAFT).annotate(answer_count=Count("answers"))
        if account.may_draft
        else own.none()
    )
    to_sign = (
        own.filter(state=Submission.State.AWAITING_SIGNOFF)
        .annotate(answer_count=Count("answers"))
        .select_related("sent_by")
        if account.may_sign_off
        else own.none()
    )
    questions = (
        subtree.filter(state=Submission.State.SUBMITTED, review=Submission.Review.CLARIFICATION)
        .exclude(
            Exists(
                Submission.objects.filter(
                    replies_to=OuterRef("pk"),
                    state=Submission.State.SUBMITTED,
                    submitted_at__gte=OuterRef("reviewed_at"),
                )
            )
        )
        .select_related("authority", "visit__report")
    )
    escalated = (
        Escalation.objects.filter(
            escalated_to_id__in=access.subtree_ids(account),
            recommendation__in=access.recommendations_for(account),
        )
        .exclude(
            Exists(
                ResponseItem.objects.filter(
                    recommendation=OuterRef("recommendation_id"),
                    response__authority=OuterRef("authority_id"),
                )
            )
        )
        .select_related("recommendation__visit__report", "authority")
    )
    return {
        "drafts": list(drafts[:20]),
        "to_sign": list(to_sign[:20]),
        "questions": list(questions[:20]),
        "escalated": list(escalated[:20]),
    }


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    account = access.require_account(request.user)
    form = RecommendationFilterForm(
        request.GET or None,
        subtree=access.subtree_ids(account),
        due_days=settings.NPM_AUTHORITY_REMINDER_DAYS,
    )
    filters = form.cleaned()
    page = page_of(request, _filtered_recommendations(account, filters))
    today = timezone.localdate()
    for rec in page:
        rec.overdue = rec.is_overdue(today)
        rec.last_stated_label = _status_label(rec.last_stated_status)
    return render(
        request,
        "authority_portal/authority/home.html",
        {
            "account": account,
            "form": form,
            "filters": filters,
            "page": page,
            "rows": page.object_list,
            **_task_panels(account),
        },
    )


# --- One recommendation -------------------------------------------------------------------------


@require_GET
def recommendation(request: HttpRequest, pk: int) -> HttpResponse:
    account = access.require_account(request.user)
    rec = access.get_recommendation(account, pk)
    subtree = access.subtree_ids(account)
    answers = (
        Answer.objects.filter(
            recommendation=rec,
            submission__state=Submission.State.SUBMITTED,
            submission__authority_id__in=subtree,
        )
        .select_related("submission__authority")
        .prefetch_related("evidence")
        .order_by("-submission__submitted_at", "-pk")
    )
    # Letters entered by hand by the NPM (not through this portal): what they said, never the
    # letter's note or scan.
    letters = (
        ResponseItem.objects.filter(
            recommendation=rec,
            response__authority_id__in=subtree,
            response__submission__isnull=True,
        )
        .select_related("response__authority")
        .order_by("-response__received_on", "-pk")
    )
    assessments = rec.assessments.only("status", "assessed_on", "progress", "recommendation")
    answerable = (
        access.may_start(account)
        and access.answerable_recommendations(account).filter(pk=rec.pk).exists()
    )
    return render(
        request,
        "authority_portal/authority/recommendation.html",
        {
            "account": account,
            "rec": rec,
            "report": rec.visit.report,
            "addressees": rec.addressees.filter(pk__in=subtree).order_by("name"),
            "overdue": rec.is_overdue(),
            "answers": answers,
            "letters": letters,
            "assessments": assessments,
            "answerable": answerable,
        },
    )


# --- Reports ------------------------------------------------------------------------------------


@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    account = access.require_account(request.user)
    queryset = (
        access.reports_for(account)
        .select_related("visit__place")
        .annotate(
            rec_count=Count(
                "visit__recommendations",
                filter=Q(visit__recommendations__in=access.recommendations_for(account)),
                distinct=True,
            )
        )
        .order_by("-issued_on", "-pk")
    )
    page = page_of(request, queryset)
    return render(
        request,
        "authority_portal/authority/reports.html",
        {"account": account, "page": page, "rows": page.object_list},
    )


@require_GET
def report(request: HttpRequest, pk: int) -> HttpResponse:
    account = access.require_account(request.user)
    report = access.get_report(account, pk)
    recs = list(
        _with_answers(account, access.recommendations_for(account).filter(visit=report.visit))
        .select_related("visit__report")
        .prefetch_related(_subtree_addressees(account))
        .order_by("number")
    )
    today = timezone.localdate()
    for rec in recs:
        rec.overdue = rec.is_overdue(today)
        rec.last_stated_label = _status_label(rec.last_stated_status)
    answerable = (
        access.may_start(account)
        and access.answerable_recommendations(account, report.visit).exists()
    )
    return render(
        request,
        "authority_portal/authority/report.html",
        {
            "account": account,
            "report": report,
            "recs": recs,
            "may_full": access.may_download_full(account, report) and report.pdf_ready,
            "answerable": answerable,
        },
    )


def _pdf(request, report, field, filename: str, sha256: str) -> FileResponse:
    return private_file_response(
        request,
        field,
        logged_as=report,
        visit=report.visit,
        filename=filename,
        content_type="application/pdf",
        sha256=sha256,
    )


@require_GET
def report_public_pdf(request: HttpRequest, pk: int) -> FileResponse:
    account = access.require_account(request.user)
    report = access.get_report(account, pk)
    return _pdf(
        request,
        report,
        report.public_pdf,
        f"{report.reference}-public.pdf",
        report.public_pdf_sha256,
    )


@require_GET
def report_full_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """The full issued PDF: only where the NPM shared it with an addressee of the subtree (404
    otherwise, as if it did not exist)."""
    account = access.require_account(request.user)
    report = access.get_report(account, pk)
    if not access.may_download_full(account, report) or not report.pdf_ready:
        raise Http404
    return _pdf(request, report, report.pdf, f"{report.reference}.pdf", report.pdf_sha256)


# --- The invitation link ------------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link in the invitation e-mail: choose a password. A bad, expired or used link is a
    404 page that says so."""
    user = invitations.user_for(uidb64, token)
    if user is None:
        return render(request, "authority_portal/authority/invitation_invalid.html", status=404)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request,
            _("Your password is set. Log in with your user name %(username)s and the new password.")
            % {"username": user.get_username()},
        )
        return redirect("login")
    return render(
        request,
        "authority_portal/authority/invitation.html",
        {"form": form, "invited": user},
    )
