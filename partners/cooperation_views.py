"""Pages for NPM networks, events and partners' projects: NPM roles only (partner members get a
404, see access.py)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import access
from .filters import EventFilter
from .forms import (
    EventForm,
    EventParticipantForm,
    NetworkChairForm,
    NetworkForm,
    NetworkMeetingForm,
    NetworkMembershipForm,
    ProjectForm,
    ProjectResultForm,
    WorkingGroupForm,
)
from .models import (
    Event,
    EventParticipant,
    Network,
    NetworkChair,
    NetworkMeeting,
    NetworkMembership,
    Project,
    ProjectResult,
    WorkingGroup,
)
from .views import _crumbs, _form_page, _page, _posted

# --- SEE NPM Network and other networks ---------------------------------------------------------


def _network_crumbs(network: Network | None = None) -> list[tuple[str, str]]:
    crumbs = _crumbs((_("Networks"), reverse("partners:network_list")))
    if network:
        crumbs.append((network.name, network.get_absolute_url()))
    return crumbs


def network_list(request: HttpRequest) -> HttpResponse:
    access.require_list_access(request.user, Network)
    networks = Network.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__status="member"), distinct=True),
        observer_count=Count(
            "memberships", filter=Q(memberships__status="observer"), distinct=True
        ),
    ).order_by("name")
    return render(
        request,
        "partners/network_list.html",
        {
            "networks": networks,
            "can_add": request.user.has_perm("partners.add_network"),
            "tab": "network",
        },
    )


def network_detail(request: HttpRequest, pk: int) -> HttpResponse:
    network = access.get_network_for_user(request.user, pk)
    user = request.user
    return render(
        request,
        "partners/network_detail.html",
        {
            "network": network,
            "memberships": network.memberships.select_related("organisation"),
            "chairs": network.chairs.select_related("organisation"),
            "current_chair": network.chair_in(timezone.localdate().year),
            "working_groups": network.working_groups.all(),
            "meetings": network.meetings.select_related("working_group", "host"),
            "can_edit": user.has_perm("partners.change_network"),
            "can_add_membership": user.has_perm("partners.add_networkmembership"),
            "can_add_chair": user.has_perm("partners.add_networkchair"),
            "can_add_meeting": user.has_perm("partners.add_networkmeeting"),
            "can_add_group": user.has_perm("partners.add_workinggroup"),
            "tab": "network",
        },
    )


@require_http_methods(["GET", "POST"])
def network_create(request: HttpRequest) -> HttpResponse:
    access.check_can_add(request.user, Network)
    form = NetworkForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        network = form.save()
        messages.success(request, _("Network added."))
        return redirect(network)
    return _form_page(
        request, form, _("Add a network"), reverse("partners:network_list"), _network_crumbs()
    )


@require_http_methods(["GET", "POST"])
def network_edit(request: HttpRequest, pk: int) -> HttpResponse:
    network = access.get_network_for_user(request.user, pk, write=True)
    form = NetworkForm(_posted(request), instance=network)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Changes to the network saved."))
        return redirect(network)
    return _form_page(
        request, form, _("Edit network"), network.get_absolute_url(), _network_crumbs(network)
    )


# Things added to a network from its page: (model, form, page title).
NETWORK_PARTS = {
    "membership": (NetworkMembership, NetworkMembershipForm, _("Add a member or observer")),
    "chair": (NetworkChair, NetworkChairForm, _("Record a yearly chair")),
    "meeting": (NetworkMeeting, NetworkMeetingForm, _("Record a meeting")),
    "group": (WorkingGroup, WorkingGroupForm, _("Add a working group")),
}


@require_http_methods(["GET", "POST"])
def network_part_create(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    if part not in NETWORK_PARTS:
        raise Http404
    network = access.get_network_for_user(request.user, pk)
    model, form_class, title = NETWORK_PARTS[part]
    access.check_can_add(request.user, model)
    form = form_class(_posted(request), network=network)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect(network)
    return _form_page(
        request, form, str(title), network.get_absolute_url(), _network_crumbs(network)
    )


# --- Events -------------------------------------------------------------------------------------


def _event_crumbs(event: Event | None = None) -> list[tuple[str, str]]:
    crumbs = _crumbs((_("Events"), reverse("partners:event_list")))
    if event:
        crumbs.append((event.title, event.get_absolute_url()))
    return crumbs


def event_list(request: HttpRequest) -> HttpResponse:
    access.require_list_access(request.user, Event)
    events = Event.objects.annotate(
        participant_count=Count("participants", distinct=True)
    ).order_by("-starts_on", "title")
    event_filter = EventFilter(request.GET or None, queryset=events)
    return render(
        request,
        "partners/event_list.html",
        {
            "filter": event_filter,
            "page": _page(request, event_filter.qs),
            "can_add": request.user.has_perm("partners.add_event"),
            "tab": "events",
        },
    )


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = access.get_event_for_user(request.user, pk)
    return render(
        request,
        "partners/event_detail.html",
        {
            "event": event,
            "participants": event.participants.select_related("user", "member__organisation"),
            "organisations": event.organisations.all(),
            "can_edit": request.user.has_perm("partners.change_event"),
            "can_add_participant": request.user.has_perm("partners.add_eventparticipant"),
            "tab": "events",
        },
    )


@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    access.check_can_add(request.user, Event)
    form = EventForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        event = form.save()
        messages.success(request, _("Event recorded."))
        return redirect(event)
    return _form_page(
        request, form, _("Record an event"), reverse("partners:event_list"), _event_crumbs()
    )


@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = access.get_event_for_user(request.user, pk, write=True)
    form = EventForm(_posted(request), instance=event)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Changes to the event saved."))
        return redirect(event)
    return _form_page(
        request, form, _("Edit event"), event.get_absolute_url(), _event_crumbs(event)
    )


@require_http_methods(["GET", "POST"])
def participant_create(request: HttpRequest, pk: int) -> HttpResponse:
    event = access.get_event_for_user(request.user, pk)
    access.check_can_add(request.user, EventParticipant)
    form = EventParticipantForm(_posted(request), event=event)
    if request.method == "POST" and form.is_valid():
        participant = form.save()
        messages.success(request, _("%(name)s added to the participants.") % {"name": participant})
        return redirect(event)
    return _form_page(
        request, form, _("Add a participant"), event.get_absolute_url(), _event_crumbs(event)
    )


# --- Projects -----------------------------------------------------------------------------------


def _project_crumbs(project: Project | None = None) -> list[tuple[str, str]]:
    crumbs = _crumbs((_("Projects"), reverse("partners:project_list")))
    if project:
        crumbs.append((project.title, project.get_absolute_url()))
    return crumbs


def project_list(request: HttpRequest) -> HttpResponse:
    access.require_list_access(request.user, Project)
    projects = Project.objects.select_related("organisation")
    return render(
        request,
        "partners/project_list.html",
        {
            "page": _page(request, projects),
            "can_add": request.user.has_perm("partners.add_project"),
            "tab": "projects",
        },
    )


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_project_for_user(request.user, pk)
    return render(
        request,
        "partners/project_detail.html",
        {
            "project": project,
            "partner_organisations": project.partner_organisations.all(),
            "results": project.results.all(),
            "can_edit": request.user.has_perm("partners.change_project"),
            "can_add_result": request.user.has_perm("partners.add_projectresult"),
            "can_edit_result": request.user.has_perm("partners.change_projectresult"),
            "tab": "projects",
        },
    )


@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    access.check_can_add(request.user, Project)
    form = ProjectForm(_posted(request), initial={"organisation": request.GET.get("organisation")})
    if request.method == "POST" and form.is_valid():
        project = form.save()
        messages.success(request, _("Project recorded."))
        return redirect(project)
    return _form_page(
        request, form, _("Record a project"), reverse("partners:project_list"), _project_crumbs()
    )


@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_project_for_user(request.user, pk, write=True)
    form = ProjectForm(_posted(request), instance=project)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Changes to the project saved."))
        return redirect(project)
    return _form_page(
        request, form, _("Edit project"), project.get_absolute_url(), _project_crumbs(project)
    )


@require_http_methods(["GET", "POST"])
def result_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_project_for_user(request.user, pk)
    access.check_can_add(request.user, ProjectResult)
    next_order = project.results.count() + 1
    form = ProjectResultForm(_posted(request), project=project, initial={"order": next_order})
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Expected result added."))
        return redirect(project)
    return _form_page(
        request,
        form,
        _("Add an expected result"),
        project.get_absolute_url(),
        _project_crumbs(project),
    )


@require_http_methods(["GET", "POST"])
def result_edit(request: HttpRequest, pk: int, result_pk: int) -> HttpResponse:
    project = access.get_project_for_user(request.user, pk)
    access.require_perm(request.user, "partners.change_projectresult")
    try:
        result = project.results.get(pk=result_pk)
    except ProjectResult.DoesNotExist as missing:
        raise Http404 from missing
    form = ProjectResultForm(_posted(request), instance=result, project=project)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Expected result updated."))
        return redirect(project)
    return _form_page(
        request,
        form,
        _("Edit expected result"),
        project.get_absolute_url(),
        _project_crumbs(project),
    )
