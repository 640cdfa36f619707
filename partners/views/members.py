"""Members of partner organisations: NPM roles see all, a partner member their own profile."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.http import form_page, posted, posted_files
from core.sorting import Sorts

from .. import access, services
from ..filters import MemberFilter
from ..forms import MemberForm
from ..models import Member
from .common import crumbs, document_download, page_of


def _member_crumbs(member: Member | None = None) -> list[tuple[str, str]]:
    trail = crumbs((_("Members"), reverse("partners:member_list")))
    if member:
        trail.append((member.full_name, member.get_absolute_url()))
    return trail


# Hundreds of members: the name is the table's own order, the organisation a small join.
MEMBER_SORTS = Sorts(
    {
        "name": ("last_name", "first_name"),
        "organisation": ("organisation__name", "last_name", "first_name"),
        "expertise": ("expertise", "last_name", "first_name"),
        "pledge": ("pledge_signed_on",),
    },
    default="name",
)


def member_list(request: HttpRequest) -> HttpResponse:
    access.require_list_access(request.user, Member)
    members = Member.objects.select_related("organisation")
    member_filter = MemberFilter(request.GET or None, queryset=members)
    sorting = MEMBER_SORTS.from_request(request)
    template = "partners/member_list.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {
            "filter": member_filter,
            "page": page_of(request, member_filter.qs.order_by(*sorting.order_by)),
            "sorting": sorting,
            "can_add": access.can_add(request.user, Member),
            "today": timezone.localdate(),
            "tab": "members",
        },
    )


def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.get_member_for_user(request.user, pk)
    today = timezone.localdate()
    reads_all = access.reads_all(request.user, Member)
    return render(
        request,
        "partners/member_detail.html",
        {
            "member": member,
            "participation": member.participation(),
            "eligibility": services.member_team_eligibility(member=member, on_date=today),
            "today": today,
            "can_edit": access.can_change(request.user, Member),
            "reads_all": reads_all,
            "history": member.history.select_related("history_user")[:10] if reads_all else [],
            "tab": "members" if reads_all else "organisations",
        },
    )


def _save_member(request: HttpRequest, form: MemberForm) -> Member | None:
    """Save the form and link its login through the service; None (with the service's error on
    the form, nothing saved) when the login may not be linked."""
    try:
        with transaction.atomic():
            member = form.save()
            if member.user is not None:
                services.member_link_user(member=member, user=member.user)
    except ValidationError as error:
        form.add_error(None, error)
        return None
    return member


def _create_member(request: HttpRequest, form: MemberForm) -> tuple[Member | None, bool]:
    """Save a new member unless the same one was just added (a double click on Save): then the
    one already there, and False for "not created now"."""
    with transaction.atomic():
        data = form.cleaned_data
        duplicate = services.member_recent_duplicate(
            organisation_id=data["organisation"].pk,
            first_name=data["first_name"],
            last_name=data["last_name"],
        )
        if duplicate is not None:
            return duplicate, False
        return _save_member(request, form), True


@require_http_methods(["GET", "POST"])
def member_create(request: HttpRequest) -> HttpResponse:
    access.check_can_add(request.user, Member)
    initial = {"organisation": request.GET.get("organisation")}
    form = MemberForm(posted(request), posted_files(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        member, created = _create_member(request, form)
        if member is not None and not created:
            messages.info(
                request,
                _("%(name)s was already added a moment ago: not added a second time.")
                % {"name": member.full_name},
            )
            return redirect(member)
        if member is not None:
            messages.success(request, _("Member %(name)s added.") % {"name": member.full_name})
            return redirect(member)
    return form_page(
        request, form, _("Add a member"), reverse("partners:member_list"), _member_crumbs()
    )


@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.get_member_for_user(request.user, pk, write=True)
    form = MemberForm(posted(request), posted_files(request), instance=member)
    if request.method == "POST" and form.is_valid() and _save_member(request, form):
        messages.success(request, _("Changes to %(name)s saved.") % {"name": member.full_name})
        return redirect(member)
    return form_page(
        request, form, _("Edit member"), member.get_absolute_url(), _member_crumbs(member)
    )


def member_pledge(request: HttpRequest, pk: int) -> FileResponse:
    member = access.get_member_for_user(request.user, pk)
    return document_download(
        request,
        member.pledge_document,
        f"pledge-{member.last_name}-{member.first_name}",
        logged_as=member,
    )
