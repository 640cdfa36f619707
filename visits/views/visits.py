"""Pages of visits: the list, the agenda, planning, status changes, the overview tab and
follow-up checks. The other tabs are in `tabs`, the report's pages in `reports`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.http import apply_service_errors, form_page, posted
from core.sorting import Sorts

from .. import services
from ..access import can_issue_reports, deny_unless, get_visit_for_user, require_perm
from ..filters import VisitFilter
from ..forms import CancelForm, ConductForm, FollowUpCheckForm, ReasonForm, VisitForm
from ..models import FollowUp, TeamMember, Visit, VisitStatus
from .corrections import confirm_page, is_confirmed
from .tabs import render_tab

PAGE_SIZE = 25


def _crumbs(visit: Visit | None = None) -> list[tuple[str, str]]:
    crumbs = [(_("Visits"), reverse("visits:visit_list"))]
    if visit:
        crumbs.append((visit.reference, visit.get_absolute_url()))
    return crumbs


# --- List, agenda, planning ---------------------------------------------------------------------

# Sortable columns: the date is the visit_list_order index, the reference the (year, number)
# unique index, the status the (status, planned_start) index; the place name orders by a join
# the page makes anyway (a top-N sort of at most 20,000 visits).
VISIT_SORTS = Sorts(
    {
        "date": ("planned_start",),
        "reference": ("year", "number"),
        "status": ("status", "planned_start"),
        "place": ("place__name",),
    },
    default="-date",
    descending_first=("date", "reference"),
)


def visit_list(request: HttpRequest) -> HttpResponse:
    visits = (
        Visit.objects.visible_to(request.user)
        .select_related("place")
        # A correlated count, evaluated for the page's rows only (a `Count("team")` would group
        # every visit before the LIMIT).
        .annotate(
            team_size=Coalesce(
                Subquery(
                    TeamMember.objects.filter(visit=OuterRef("pk"))
                    .order_by()
                    .values("visit")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )
        )
        .order_by("-planned_start", "-pk")
    )
    visit_filter = VisitFilter(request.GET or None, queryset=visits)
    sorting = VISIT_SORTS.from_request(request)
    page = Paginator(visit_filter.qs.order_by(*sorting.order_by), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    template = "visits/visit_list.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {
            "filter": visit_filter,
            "page": page,
            "sorting": sorting,
            "can_add": request.user.has_perm("visits.add_visit"),
        },
    )


def visit_agenda(request: HttpRequest) -> HttpResponse:
    visits = (
        Visit.objects.visible_to(request.user)
        .upcoming()
        .select_related("place")
        .prefetch_related(
            Prefetch("team", queryset=TeamMember.objects.select_related("user", "member"))
        )
        .order_by("planned_start")
    )
    return render(request, "visits/visit_agenda.html", {"visits": visits})


@require_http_methods(["GET", "POST"])
def visit_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "visits.add_visit")
    form = VisitForm(posted(request), initial={"place": request.GET.get("place")})
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Visit %(ref)s planned.") % {"ref": visit.reference})
            return redirect("visits:visit_team", visit.pk)
    return form_page(request, form, _("Plan a visit"), reverse("visits:visit_list"), _crumbs())


@require_http_methods(["GET", "POST"])
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk, write=True)
    if not visit.is_open:
        raise PermissionDenied
    form = VisitForm(posted(request), instance=visit)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Changes to %(ref)s saved.") % {"ref": visit.reference})
        return redirect(visit)
    return form_page(request, form, _("Edit visit"), visit.get_absolute_url(), _crumbs(visit))


# --- Status -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def visit_conduct(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk, write=True)
    initial = {"actual_start": visit.planned_start, "actual_end": visit.planned_end}
    form = ConductForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_conduct(visit=visit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The visit is recorded as conducted."))
            return redirect(visit)
    return form_page(
        request, form, _("Record the visit as conducted"), visit.get_absolute_url(), _crumbs(visit)
    )


@require_http_methods(["GET", "POST"])
def visit_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk, write=True)
    form = CancelForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if not is_confirmed(request):
            form.add_error(None, _("Confirm with the “Cancel the visit” button."))
        else:
            try:
                services.visit_cancel(
                    visit=visit, reason=form.cleaned_data["reason"], by=request.user
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The visit is cancelled."))
                return redirect(visit)
    return confirm_page(
        request,
        visit,
        "overview",
        title=_("Cancel the visit?"),
        consequences=[
            _("The visit is marked as cancelled, with your reason, and will not take place."),
            _("Its team, findings, interviews and attachments can no longer be changed."),
        ],
        irreversible=_("A cancelled visit cannot be planned again: plan a new visit instead."),
        action_url=reverse("visits:visit_cancel", args=[visit.pk]),
        yes_label=_("Cancel the visit"),
        no_label=_("Keep the visit"),
        back_url=visit.get_absolute_url(),
        form=form,
    )


def visit_close_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation before closing (or why the visit cannot be closed yet)."""
    visit = get_visit_for_user(request.user, pk, write=True)
    if not visit.can_become(VisitStatus.CLOSED) or visit.status == VisitStatus.CLOSED:
        messages.error(request, _("This visit cannot be closed."))
        return redirect(visit)
    return confirm_page(
        request,
        visit,
        "overview",
        title=_("Close the visit?"),
        consequences=[
            _("The visit's work is finished: follow-up continues on its recommendations."),
            _("Its team, findings, interviews and attachments can no longer be changed."),
        ],
        irreversible=_("Only the NPM head can reopen a closed visit, giving a reason."),
        refusal=services.close_refusal(visit),
        action_url=reverse("visits:visit_transition", args=[visit.pk, "close"]),
        yes_label=_("Yes, close the visit"),
        back_url=visit.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def visit_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """The NPM head reopens a closed visit (back to reporting), with a reason."""
    visit = get_visit_for_user(request.user, pk, write=True)
    deny_unless(can_issue_reports(request.user))
    if visit.status != VisitStatus.CLOSED:
        messages.error(request, _("Only a closed visit can be reopened."))
        return redirect(visit)
    form = ReasonForm(posted(request))
    if is_confirmed(request) and form.is_valid():
        try:
            services.visit_reopen(visit=visit, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The visit is reopened: it is back in reporting."))
            return redirect(visit)
    return confirm_page(
        request,
        visit,
        "overview",
        title=_("Reopen the visit?"),
        consequences=[
            _("The visit goes back to reporting: its team and attachments can be changed again."),
            _("An issued report stays issued and unchanged."),
            _("Your reason is kept in the visit's history."),
        ],
        action_url=reverse("visits:visit_reopen", args=[visit.pk]),
        yes_label=_("Yes, reopen the visit"),
        back_url=visit.get_absolute_url(),
        danger=False,
        form=form,
    )


TRANSITIONS = {
    "reporting": (
        services.visit_start_reporting,
        gettext_lazy("Reporting on the visit has started."),
    ),
    "close": (services.visit_close, gettext_lazy("The visit is closed.")),
}


@require_POST
def visit_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk, write=True)
    if action not in TRANSITIONS:
        return redirect(visit)
    service, done = TRANSITIONS[action]
    if action == "close" and not is_confirmed(request):
        # Closing is confirmed on its own page first (which also says why it may not be yet).
        return redirect("visits:visit_close_confirm", visit.pk)
    try:
        service(visit=visit, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(visit)


# --- The overview tab ---------------------------------------------------------------------------


def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk)
    team = list(visit.team.select_related("user", "member__organisation"))
    return render_tab(
        request,
        visit,
        "overview",
        "visits/visit_detail.html",
        {
            "team": team,
            "warnings": services.visit_team_warnings(visit=visit, team=team),
            "follow_ups": FollowUp.objects.open()
            .visible_to(request.user)
            .filter(place=visit.place)
            .select_related("visit", "interview")
            .exclude(visit__planned_start__gt=visit.planned_start),
            "history": visit.history.select_related("history_user")[:10],
            "finding_count": visit.findings.count(),
        },
    )


# --- Follow-up checks ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def follow_up_check(request: HttpRequest, pk: int, follow_up_pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk, write=True)
    follow_up = get_object_or_404(
        FollowUp.objects.open().visible_to(request.user), pk=follow_up_pk, place=visit.place
    )
    form = FollowUpCheckForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_record_check(
                follow_up=follow_up, note=form.cleaned_data["note"], by=request.user
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The check is recorded."))
            return redirect(visit)
    return form_page(
        request,
        form,
        _("Record the check: %(what)s") % {"what": follow_up.text},
        visit.get_absolute_url(),
        _crumbs(visit),
    )
