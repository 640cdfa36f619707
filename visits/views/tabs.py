"""The visit's tabs: `render_tab` (the frame every tab page is drawn in, for other apps too),
and the tabs for the team, the population on the day, findings, confidential interviews,
attachments and the forced-return operation."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.defaults import permission_denied

from core.http import apply_service_errors, posted, private_file_response

from .. import audit, services
from ..access import (
    can_issue_reports,
    can_see_interview_notes,
    can_see_interviews,
    can_write_visit,
    get_attachment_for_user,
    get_interview,
    get_visit_for_user,
    may_reveal_identity,
)
from ..forms import (
    AttachmentForm,
    FindingForm,
    InterviewForm,
    PopulationForm,
    ReturnOperationForm,
    TeamMemberForm,
)
from ..models import (
    AccessAction,
    Attachment,
    Interview,
    ReturnOperation,
    ReturnPhase,
    TeamMember,
    Visit,
)
from ..tabs import registered_tabs


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
    tabs.append(("report", _("Report"), reverse("visits:report_detail", args=[visit.pk])))
    # Tabs of the apps that build on this one (recommendations), registered in their ready().
    return tabs + registered_tabs(request.user, visit)


def render_tab(request, visit: Visit, tab: str, template: str, context: dict) -> HttpResponse:
    """A page inside the visit's tabs (`visits/visit_base.html`); report pages and the tabs
    other apps register (`visits.tabs`) are rendered with it too."""
    can_write = can_write_visit(request.user)
    context = {
        "visit": visit,
        "tab": tab,
        "tabs": _tabs(request, visit),
        "can_write": can_write,
        "can_edit": can_write and visit.is_open,
        # Reopening a closed visit is the NPM head's (visits.services.visit_reopen).
        "can_reopen": can_write and visit.status == "closed" and can_issue_reports(request.user),
        **context,
    }
    return render(request, template, context)


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


def _can_correct(request, visit: Visit, *, interviews: bool = False) -> bool:
    """Whether to offer editing and deleting findings (or interviews): the rules of
    services.require_correctable and views.corrections."""
    user = request.user
    if not (can_write_visit(user) and visit.is_open):
        return False
    if interviews and not can_see_interview_notes(user):
        return False
    return not visit.report_is_issued


# --- Tabs ---------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def visit_team(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk, write=request.method == "POST")
    if refused := _refuse_if_closed(request, visit, "visits:visit_team"):
        return refused
    form = TeamMemberForm(posted(request), visit=visit)
    saved = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.team_member_add(visit=visit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if not request.htmx:
                messages.success(
                    request, _("%(name)s added to the team.") % {"name": saved.person_name}
                )
                return redirect("visits:visit_team", visit.pk)
            form = TeamMemberForm(visit=visit)
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


def team_member_remove_confirm(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    from .corrections import confirm_page  # it builds on render_tab, above

    visit = get_visit_for_user(request.user, pk, write=True)
    team_member = get_object_or_404(
        TeamMember.objects.select_related("user", "member"), visit=visit, pk=member_pk
    )
    return confirm_page(
        request,
        visit,
        "team",
        title=_("Remove %(name)s from the team?") % {"name": team_member.person_name},
        consequences=[
            _("%(name)s is no longer on the team of %(ref)s (%(role)s).")
            % {
                "name": team_member.person_name,
                "ref": visit.reference,
                "role": team_member.get_role_display(),
            },
            _("A partner member no longer sees this visit, its report or their sections."),
        ],
        irreversible=_("To put them back, add them to the team again."),
        action_url=reverse("visits:team_member_remove", args=[visit.pk, team_member.pk]),
        yes_label=_("Yes, remove from the team"),
        back_url=reverse("visits:visit_team", args=[visit.pk]),
    )


@require_POST
def team_member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk, write=True)
    team_member = get_object_or_404(TeamMember, visit=visit, pk=member_pk)
    if request.POST.get("confirm") != "yes":  # from the confirmation page only
        return redirect("visits:team_member_remove_confirm", visit.pk, team_member.pk)
    try:
        services.team_member_remove(team_member=team_member, by=request.user)
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
    form = PopulationForm(posted(request), instance=visit)
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
    form = FindingForm(posted(request), visit=visit, attachments=attachments)
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
        {
            "form": form,
            "findings": findings,
            "saved": saved,
            "can_correct": _can_correct(request, visit),
        },
    )


@require_http_methods(["GET", "POST"])
def visit_interviews(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk, write=request.method == "POST")
    if refused := _refuse_if_closed(request, visit, "visits:visit_interviews"):
        return refused
    if not can_see_interviews(request.user):
        return audit.denied(request, Interview._meta.label, "*", visit)
    form = InterviewForm(posted(request))
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
            "can_correct": _can_correct(request, visit, interviews=True),
        },
    )


# An identity reveal waiting for a re-authentication: [interview pk, when it was asked for].
REVEAL_PENDING_KEY = "npm_reveal_pending"
REVEAL_PENDING_SECONDS = 15 * 60


def _take_pending_reveal(request, interview: Interview) -> bool:
    """Whether this GET completes a reveal of `interview` asked for before a re-authentication;
    used once (removed from the session whatever it is for)."""
    pending = request.session.pop(REVEAL_PENDING_KEY, None)
    if not isinstance(pending, list) or len(pending) != 2:
        return False
    pk, at = pending
    return pk == interview.pk and 0 <= time.time() - at <= REVEAL_PENDING_SECONDS


@require_http_methods(["GET", "POST"])
def interview_detail(request: HttpRequest, pk: int, interview_pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk)
    if not can_see_interviews(request.user):
        # A 404 whether the interview exists or not: a 403 would tell which ids exist.
        return audit.denied(
            request, Interview._meta.label, str(interview_pk), visit, not_found=True
        )
    interview = get_interview(visit, interview_pk)
    show_notes = can_see_interview_notes(request.user)
    identity = None
    revealed = False
    if request.method == "POST" or _take_pending_reveal(request, interview):
        # A project-level check before revealing (e.g. a fresh password and code), if configured:
        # a dotted path to `guard(request) -> HttpResponse | None`.
        guard = getattr(settings, "NPM_REVEAL_GUARD", "")
        if guard and (refused := import_string(guard)(request)):
            # The reveal asked for (by a POST) is completed once, on the way back from the
            # re-authentication, instead of showing its button again.
            request.session[REVEAL_PENDING_KEY] = [interview.pk, int(time.time())]
            return refused
        # Revealing is a deliberate act (a POST), and is logged whether allowed or not.
        try:
            identity = services.identity_reveal(
                interview=interview, user=request.user, ip=audit.client_ip(request)
            )
        except PermissionDenied as error:
            # Caught, not propagated: the "denied" entry in the access log must be kept.
            return permission_denied(request, error)
        revealed = True
    elif show_notes:
        audit.log_access(request, AccessAction.VIEW_CONFIDENTIAL, interview, visit)
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
            "can_correct": _can_correct(request, visit, interviews=True),
        },
    )


@require_http_methods(["GET", "POST"])
def visit_attachments(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk, write=request.method == "POST")
    if refused := _refuse_if_closed(request, visit, "visits:visit_attachments"):
        return refused
    form = AttachmentForm(posted(request), request.FILES or None)
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
    # Every download is logged (confidential or not), by private_file_response.
    return private_file_response(
        request,
        attachment.file,
        logged_as=attachment,
        visit=visit,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@require_http_methods(["GET", "POST"])
def visit_return(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk, write=request.method == "POST")
    if refused := _refuse_if_closed(request, visit, "visits:visit_return"):
        return refused
    if not visit.is_forced_return:
        return redirect(visit)
    operation = ReturnOperation.objects.filter(visit=visit).first()
    form = ReturnOperationForm(posted(request), instance=operation)
    if request.method == "POST" and form.is_valid():
        try:
            operation = services.return_operation_save(
                visit=visit, operation=form.save(commit=False), by=request.user
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
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
