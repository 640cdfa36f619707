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

from core.http import form_page, posted, save_form_page
from core.sorting import Sorts

from .. import access
from ..filters import EventFilter
from ..forms import (
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
from ..models import (
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
from .common import crumbs, page_of

# --- SEE NPM Network and other networks ---------------------------------------------------------


def _network_crumbs(network: Network | None = None) -> list[tuple[str, str]]:
    trail = crumbs((_("Networks"), reverse("partners:network_list")))
    if network:
        trail.append((network.name, network.get_absolute_url()))
    return trail


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
            "can_add": access.can_add(request.user, Network),
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
            "can_edit": access.can_change(user, Network),
            "can_add_membership": access.can_add(user, NetworkMembership),
            "can_add_chair": access.can_add(user, NetworkChair),
            "can_add_meeting": access.can_add(user, NetworkMeeting),
            "can_add_group": access.can_add(user, WorkingGroup),
            "tab": "network",
        },
    )


@require_http_methods(["GET", "POST"])
def network_create(request: HttpRequest) -> HttpResponse:
    access.check_can_add(request.user, Network)
    form = NetworkForm(posted(request))
    return save_form_page(
        request,
        form,
        _("Network added."),
        None,
        _("Add a network"),
        reverse("partners:network_list"),
        _network_crumbs(),
    )


@require_http_methods(["GET", "POST"])
def network_edit(request: HttpRequest, pk: int) -> HttpResponse:
    network = access.get_network_for_user(request.user, pk, write=True)
    form = NetworkForm(posted(request), instance=network)
    return save_form_page(
        request,
        form,
        _("Changes to the network saved."),
        network,
        _("Edit network"),
        network.get_absolute_url(),
        _network_crumbs(network),
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
    form = form_class(posted(request), network=network)
    return save_form_page(
        request,
        form,
        _("Saved."),
        network,
        str(title),
        network.get_absolute_url(),
        _network_crumbs(network),
    )


# --- Events -------------------------------------------------------------------------------------


def _event_crumbs(event: Event | None = None) -> list[tuple[str, str]]:
    trail = crumbs((_("Events"), reverse("partners:event_list")))
    if event:
        trail.append((event.title, event.get_absolute_url()))
    return trail


# Events and projects: tens a year, every column orders cheaply.
EVENT_SORTS = Sorts(
    {
        "date": ("starts_on",),
        "title": ("title",),
        "kind": ("kind", "-starts_on"),
        "participants": ("participant_count",),
    },
    default="-date",
    descending_first=("date", "participants"),
)
PROJECT_SORTS = Sorts(
    {
        "title": ("title",),
        "organisation": ("organisation__name", "title"),
        "donor": ("donor", "title"),
        "period": ("starts_on", "ends_on"),
        "budget": ("budget",),
    },
    default="-period",
    descending_first=("period", "budget"),
)


def event_list(request: HttpRequest) -> HttpResponse:
    access.require_list_access(request.user, Event)
    events = Event.objects.annotate(
        participant_count=Count("participants", distinct=True)
    ).order_by("-starts_on", "title")
    event_filter = EventFilter(request.GET or None, queryset=events)
    sorting = EVENT_SORTS.from_request(request)
    return render(
        request,
        "partners/event_list.html",
        {
            "filter": event_filter,
            "page": page_of(request, event_filter.qs.order_by(*sorting.order_by)),
            "sorting": sorting,
            "can_add": access.can_add(request.user, Event),
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
            "can_edit": access.can_change(request.user, Event),
            "can_add_participant": access.can_add(request.user, EventParticipant),
            "tab": "events",
        },
    )


@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    access.check_can_add(request.user, Event)
    form = EventForm(posted(request))
    return save_form_page(
        request,
        form,
        _("Event recorded."),
        None,
        _("Record an event"),
        reverse("partners:event_list"),
        _event_crumbs(),
    )


@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = access.get_event_for_user(request.user, pk, write=True)
    form = EventForm(posted(request), instance=event)
    return save_form_page(
        request,
        form,
        _("Changes to the event saved."),
        event,
        _("Edit event"),
        event.get_absolute_url(),
        _event_crumbs(event),
    )


@require_http_methods(["GET", "POST"])
def participant_create(request: HttpRequest, pk: int) -> HttpResponse:
    event = access.get_event_for_user(request.user, pk)
    access.check_can_add(request.user, EventParticipant)
    form = EventParticipantForm(posted(request), event=event)
    if request.method == "POST" and form.is_valid():
        participant = form.save()
        messages.success(request, _("%(name)s added to the participants.") % {"name": participant})
        return redirect(event)
    return form_page(
        request, form, _("Add a participant"), event.get_absolute_url(), _event_crumbs(event)
    )


# --- Projects -----------------------------------------------------------------------------------


def _project_crumbs(project: Project | None = None) -> list[tuple[str, str]]:
    trail = crumbs((_("Projects"), reverse("partners:project_list")))
    if project:
        trail.append((project.title, project.get_absolute_url()))
    return trail


def project_list(request: HttpRequest) -> HttpResponse:
    access.require_list_access(request.user, Project)
    sorting = PROJECT_SORTS.from_request(request)
    projects = Project.objects.select_related("organisation").order_by(*sorting.order_by)
    return render(
        request,
        "partners/project_list.html",
        {
            "page": page_of(request, projects),
            "sorting": sorting,
            "can_add": access.can_add(request.user, Project),
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
            "can_edit": access.can_change(request.user, Project),
            "can_add_result": access.can_add(request.user, ProjectResult),
            "can_edit_result": access.can_change(request.user, ProjectResult),
            "tab": "projects",
        },
    )


@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    access.check_can_add(request.user, Project)
    form = ProjectForm(posted(request), initial={"organisation": request.GET.get("organisation")})
    return save_form_page(
        request,
        form,
        _("Project recorded."),
        None,
        _("Record a project"),
        reverse("partners:project_list"),
        _project_crumbs(),
    )


@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_project_for_user(request.user, pk, write=True)
    form = ProjectForm(posted(request), instance=project)
    return save_form_page(
        request,
        form,
        _("Changes to the project saved."),
        project,
        _("Edit project"),
        project.get_absolute_url(),
        _project_crumbs(project),
    )


@require_http_methods(["GET", "POST"])
def result_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_project_for_user(request.user, pk)
    access.check_can_add(request.user, ProjectResult)
    next_order = project.results.count() + 1
    form = ProjectResultForm(posted(request), project=project, initial={"order": next_order})
    return save_form_page(
        request,
        form,
        _("Expected result added."),
        project,
        _("Add an expected result"),
        project.get_absolute_url(),
        _project_crumbs(project),
    )


@require_http_methods(["GET", "POST"])
def result_edit(request: HttpRequest, pk: int, result_pk: int) -> HttpResponse:
    project = access.get_project_for_user(request.user, pk)
    result = access.get_result_for_user(request.user, project, result_pk)
    form = ProjectResultForm(posted(request), instance=result, project=project)
    return save_form_page(
        request,
        form,
        _("Expected result updated."),
        project,
        _("Edit expected result"),
        project.get_absolute_url(),
        _project_crumbs(project),
    )
