"""Pages of visits: list, agenda, planning, the visit's tabs, and its confidential records."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.defaults import permission_denied

from . import services
from .access import (
    can_see_interview_notes,
    can_see_interviews,
    can_write_visit,
    client_ip,
    denied,
    get_attachment_for_user,
    get_interview,
    get_visit_for_user,
    log_access,
    may_reveal_identity,
    require_perm,
)
from .filters import VisitFilter
from .forms import (
    AttachmentForm,
    CancelForm,
    ConductForm,
    FindingForm,
    FollowUpCheckForm,
    InterviewForm,
    PopulationForm,
    ReturnOperationForm,
    TeamMemberForm,
    VisitForm,
    apply_service_errors,
)
from .models import (
    AccessAction,
    Attachment,
    FollowUp,
    Interview,
    ReturnOperation,
    ReturnPhase,
    TeamMember,
    Visit,
    VisitKind,
)

PAGE_SIZE = 25


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _form_page(request, form, title, cancel_url, breadcrumbs) -> HttpResponse:
    return render(
        request,
        "includes/form_page.html",
        {"form": form, "page_title": title, "cancel_url": cancel_url, "breadcrumbs": breadcrumbs},
    )


def _crumbs(visit: Visit | None = None) -> list[tuple[str, str]]:
    crumbs = [(_("Visits"), reverse("visits:visit_list"))]
    if visit:
        crumbs.append((visit.reference, visit.get_absolute_url()))
    return crumbs


def _tabs(request, visit: Visit) -> list[tuple[str, str, str]]:
    tabs = [
        ("overview", _("Overview"), reverse("visits:visit_detail", args=[visit.pk])),
        ("team", _("Team"), reverse("visits:visit_team", args=[visit.pk])),
        ("population", _("Population"), reverse("visits:visit_population", args=[visit.pk])),
        ("findings", _("Findings"), reverse("visits:visit_findings", args=[visit.pk])),
    ]
    if can_see_interviews(request.user):
        tabs.append(
            ("interviews", _("Interviews"), reverse("visits:visit_interviews", args=[visit.pk]))
        )
    tabs.append(
        ("attachments", _("Attachments"), reverse("visits:visit_attachments", args=[visit.pk]))
    )
    if visit.is_forced_return:
        tabs.append(
            ("return", _("Return operation"), reverse("visits:visit_return", args=[visit.pk]))
        )
    for key, label, url_name, shown in VISIT_EXTRA_TABS:
        if shown(request.user, visit):
            try:
                tabs.append((key, label, reverse(url_name, args=[visit.pk])))
            except NoReverseMatch:
                continue
    return tabs


# Tabs of later parts of the product (reports; recommendations, which live in an app that
# builds on this one): shown when the URL exists and the user may see it.
VISIT_EXTRA_TABS = [
    ("report", gettext_lazy("Report"), "visits:report_detail", lambda user, visit: True),
    (
        "recommendations",
        gettext_lazy("Recommendations"),
        "recommendations:visit_recommendations",
        lambda user, visit: user.has_perm("recommendations.view_recommendation"),
    ),
    (
        "checklist",
        gettext_lazy("Follow-up checklist"),
        "recommendations:follow_up_checklist",
        lambda user, visit: (
            visit.kind == VisitKind.FOLLOW_UP
            and user.has_perm("recommendations.view_followupcheck")
        ),
    ),
]


def _refuse_if_closed(request, visit: Visit, tab_url: str) -> HttpResponse | None:
    """A POST to a closed or cancelled visit: say so and go back to the tab."""
    if request.method == "POST" and not visit.is_open:
        messages.error(
            request,
            _("The visit is %(status)s: it can no longer be changed.")
            % {"status": visit.get_status_display().lower()},
        )
        return redirect(tab_url, visit.pk)
    return None


def render_tab(request, visit: Visit, tab: str, template: str, context: dict) -> HttpResponse:
    """A page inside the visit's tabs (`visits/visit_base.html`); used by report views too."""
    can_write = can_write_visit(request.user)
    context = {
        "visit": visit,
        "tab": tab,
        "tabs": _tabs(request, visit),
        "can_write": can_write,
        "can_edit": can_write and visit.is_open,
        **context,
    }
    return render(request, template, context)


# --- List, agenda, planning ---------------------------------------------------------------------


def visit_list(request: HttpRequest) -> HttpResponse:
    visits = (
        Visit.objects.visible_to(request.user)
        .select_related("place")
        .annotate(team_size=Count("team"))
        .order_by("-planned_start", "-pk")
    )
    visit_filter = VisitFilter(request.GET or None, queryset=visits)
    page = Paginator(visit_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "visits/visit_list.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {
            "filter": visit_filter,
            "page": page,
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
    form = VisitForm(_posted(request), initial={"place": request.GET.get("place")})
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Visit %(ref)s planned.") % {"ref": visit.reference})
            return redirect("visits:visit_team", visit.pk)
    return _form_page(request, form, _("Plan a visit"), reverse("visits:visit_list"), _crumbs())


@require_http_methods(["GET", "POST"])
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk, write=True)
    if not visit.is_open:
        raise PermissionDenied
    form = VisitForm(_posted(request), instance=visit)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Changes to %(ref)s saved.") % {"ref": visit.reference})
        return redirect(visit)
    return _form_page(request, form, _("Edit visit"), visit.get_absolute_url(), _crumbs(visit))


# --- Status -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def visit_conduct(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk, write=True)
    initial = {"actual_start": visit.planned_start, "actual_end": visit.planned_end}
    form = ConductForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_conduct(visit=visit, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The visit is recorded as conducted."))
            return redirect(visit)
    return _form_page(
        request, form, _("Record the visit as conducted"), visit.get_absolute_url(), _crumbs(visit)
    )


@require_http_methods(["GET", "POST"])
def visit_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk, write=True)
    form = CancelForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_cancel(visit=visit, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The visit is cancelled."))
            return redirect(visit)
    return _form_page(
        request, form, _("Cancel the visit"), visit.get_absolute_url(), _crumbs(visit)
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
    try:
        service(visit=visit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(visit)


# --- Tabs ---------------------------------------------------------------------------------------


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
            .select_related("visit")
            .exclude(visit__planned_start__gt=visit.planned_start),
            "history": visit.history.select_related("history_user")[:10],
            "finding_count": visit.findings.count(),
        },
    )


@require_http_methods(["GET", "POST"])
def visit_team(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk, write=request.method == "POST")
    if refused := _refuse_if_closed(request, visit, "visits:visit_team"):
        return refused
    form = TeamMemberForm(_posted(request))
    saved = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.team_member_add(visit=visit, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if not request.htmx:
                messages.success(
                    request, _("%(name)s added to the team.") % {"name": saved.person_name}
                )
                return redirect("visits:visit_team", visit.pk)
            form = TeamMemberForm()
    team = list(visit.team.select_related("user", "member__organisation"))
    template = "visits/visit_team.html"
    if request.htmx:
        template += "#team-section"
    return render_tab(
        request,
        visit,
        "team",
        template,
        {
            "form": form,
            "team": team,
            "saved": saved,
            "warnings": services.visit_team_warnings(visit=visit, team=team),
        },
    )


@require_POST
def team_member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk, write=True)
    team_member = get_object_or_404(TeamMember, visit=visit, pk=member_pk)
    try:
        services.team_member_remove(team_member=team_member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Removed from the team."))
    return redirect("visits:visit_team", visit.pk)


@require_http_methods(["GET", "POST"])
def visit_population(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk, write=request.method == "POST")
    if refused := _refuse_if_closed(request, visit, "visits:visit_population"):
        return refused
    form = PopulationForm(_posted(request), instance=visit)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Population on the day saved."))
            return redirect("visits:visit_population", visit.pk)
        visit.refresh_from_db()  # show the stored figures beside the form's errors
    return render_tab(request, visit, "population", "visits/visit_population.html", {"form": form})


@require_http_methods(["GET", "POST"])
def visit_findings(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk, write=request.method == "POST")
    if refused := _refuse_if_closed(request, visit, "visits:visit_findings"):
        return refused
    attachments = Attachment.objects.visible_to(request.user).filter(visit=visit)
    form = FindingForm(_posted(request), visit=visit, attachments=attachments)
    saved = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.finding_add(visit=visit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if not request.htmx:
                messages.success(request, _("Finding recorded."))
                return redirect("visits:visit_findings", visit.pk)
            form = FindingForm(visit=visit, attachments=attachments)
    findings = visit.findings.select_related("theme").prefetch_related(
        Prefetch("attachments", queryset=attachments)
    )
    template = "visits/visit_findings.html"
    if request.htmx:
        template += "#findings-section"
    return render_tab(
        request,
        visit,
        "findings",
        template,
        {"form": form, "findings": findings, "saved": saved},
    )


@require_http_methods(["GET", "POST"])
def visit_interviews(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk, write=request.method == "POST")
    if refused := _refuse_if_closed(request, visit, "visits:visit_interviews"):
        return refused
    if not can_see_interviews(request.user):
        return denied(request, Interview._meta.label, "*", visit)
    form = InterviewForm(_posted(request))
    saved = None
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k not in form.IDENTITY_FIELDS}
        try:
            saved = services.interview_create(
                visit=visit, identity=form.identity(), by=request.user, **fields
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if not request.htmx:
                messages.success(request, _("Interview %(code)s recorded.") % {"code": saved.code})
                return redirect("visits:visit_interviews", visit.pk)
            form = InterviewForm()
    template = "visits/visit_interviews.html"
    if request.htmx:
        template += "#interviews-section"
    return render_tab(
        request,
        visit,
        "interviews",
        template,
        {
            "form": form,
            "saved": saved,
            "interviews": visit.interviews.all(),
            "show_notes": can_see_interview_notes(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def interview_detail(request: HttpRequest, pk: int, interview_pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk)
    interview = get_interview(visit, interview_pk)
    if not can_see_interviews(request.user):
        return denied(request, Interview._meta.label, interview.code, visit)
    show_notes = can_see_interview_notes(request.user)
    identity = None
    revealed = False
    if request.method == "POST":
        # A project-level check before revealing (e.g. a fresh password and code), if configured:
        # a dotted path to `guard(request) -> HttpResponse | None`.
        guard = getattr(settings, "NPM_REVEAL_GUARD", "")
        if guard and (refused := import_string(guard)(request)):
            return refused
        # Revealing is a deliberate act (a POST), and is logged whether allowed or not.
        try:
            identity = services.identity_reveal(
                interview=interview, user=request.user, ip=client_ip(request)
            )
        except PermissionDenied as error:
            # Caught, not propagated: the "denied" entry in the access log must be kept.
            return permission_denied(request, error)
        revealed = True
    elif show_notes:
        log_access(request, AccessAction.VIEW_CONFIDENTIAL, interview, visit)
    return render_tab(
        request,
        visit,
        "interviews",
        "visits/interview_detail.html",
        {
            "interview": interview,
            "show_notes": show_notes,
            "may_reveal": may_reveal_identity(request.user, visit),
            "identity": identity,
            "revealed": revealed,
        },
    )


@require_http_methods(["GET", "POST"])
def visit_attachments(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk, write=request.method == "POST")
    if refused := _refuse_if_closed(request, visit, "visits:visit_attachments"):
        return refused
    form = AttachmentForm(_posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            attachment = services.attachment_add(
                visit=visit,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                confidential=form.cleaned_data["confidential"],
                by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("“%(title)s” attached.") % {"title": attachment.title})
            return redirect("visits:visit_attachments", visit.pk)
    attachments = Attachment.objects.visible_to(request.user).filter(visit=visit)
    return render_tab(
        request,
        visit,
        "attachments",
        "visits/visit_attachments.html",
        {"form": form, "attachments": attachments},
    )


def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    visit = get_visit_for_user(request.user, pk)
    attachment = get_attachment_for_user(request.user, visit, attachment_pk)
    if attachment.confidential:
        log_access(request, AccessAction.DOWNLOAD, attachment, visit)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def visit_return(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk, write=request.method == "POST")
    if refused := _refuse_if_closed(request, visit, "visits:visit_return"):
        return refused
    if not visit.is_forced_return:
        return redirect(visit)
    operation = ReturnOperation.objects.filter(visit=visit).first()
    form = ReturnOperationForm(_posted(request), instance=operation)
    if request.method == "POST" and form.is_valid():
        operation = form.save(commit=False)
        operation.visit = visit
        operation.save()
        messages.success(request, _("Return operation saved."))
        return redirect("visits:visit_return", visit.pk)
    order = {phase: i for i, phase in enumerate(ReturnPhase.values)}
    findings = sorted(
        visit.findings.select_related("theme"), key=lambda f: (order.get(f.phase, 99), f.pk)
    )
    return render_tab(
        request,
        visit,
        "return",
        "visits/visit_return.html",
        {"form": form, "operation": operation, "findings": findings},
    )


# --- Follow-up checks ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def follow_up_check(request: HttpRequest, pk: int, follow_up_pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk, write=True)
    follow_up = get_object_or_404(
        FollowUp.objects.open().visible_to(request.user), pk=follow_up_pk, place=visit.place
    )
    form = FollowUpCheckForm(_posted(request))
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
    return _form_page(
        request,
        form,
        _("Record the check: %(what)s") % {"what": follow_up.description},
        visit.get_absolute_url(),
        _crumbs(visit),
    )
