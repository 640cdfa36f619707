from __future__ import annotations

import mimetypes
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import access, services
from .filters import AgreementFilter, MemberFilter, OrganisationFilter
from .forms import (
    AgreementForm,
    ApplicationForm,
    DecisionForm,
    MemberForm,
    OrganisationForm,
    PublicCallForm,
)
from .models import (
    Agreement,
    Application,
    Member,
    Network,
    Organisation,
    PublicCall,
    expiry_window_days,
)

PAGE_SIZE = 25


def _posted(request: HttpRequest):
    """POST data for a bound form (even an empty POST must show its errors), else None."""
    return request.POST if request.method == "POST" else None


def _files(request: HttpRequest):
    return request.FILES if request.method == "POST" else None


def _form_page(request, form, title, cancel_url, breadcrumbs) -> HttpResponse:
    context = {
        "form": form,
        "page_title": title,
        "cancel_url": cancel_url,
        "breadcrumbs": breadcrumbs,
    }
    return render(request, "includes/form_page.html", context)


def _crumbs(*items: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Partners"), reverse("partners:organisation_list")), *items]


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _download(field: FieldFile, filename_stem: str) -> FileResponse:
    """Send an uploaded document as an attachment (never inline, never through MEDIA_URL)."""
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    extension = PurePath(field.name).suffix.lower()
    content_type = mimetypes.guess_type(f"x{extension}")[0] or "application/octet-stream"
    safe_stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in filename_stem)
    response = FileResponse(
        handle, as_attachment=True, filename=f"{safe_stem}{extension}", content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Organisations ------------------------------------------------------------------------------


def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = (
        access.organisations_visible_to(request.user)
        .annotate(
            active_member_count=Count("members", filter=Q(members__active=True), distinct=True),
        )
        .order_by("name")
    )
    organisations = organisations.prefetch_related(
        Prefetch("agreements", queryset=Agreement.objects.order_by("-valid_until"))
    )
    organisation_filter = OrganisationFilter(request.GET or None, queryset=organisations)
    page = _page(request, organisation_filter.qs)
    template = "partners/organisation_list.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {
            "filter": organisation_filter,
            "page": page,
            "can_add": request.user.has_perm("partners.add_organisation"),
            "tab": "organisations",
        },
    )


def _participation_of(member_pks: list[int]) -> dict[int, list]:
    """The visit teams of these members (as `Member.participation`), in one query, not one per
    member. The relation comes from the visits app, which partners does not import."""
    if not member_pks:
        return {}
    try:
        relation = Member._meta.get_field("team_memberships")
    except FieldDoesNotExist:
        return dict.fromkeys(member_pks, [])
    rows = (
        relation.related_model.objects.filter(**{f"{relation.field.name}__in": member_pks})
        .select_related("visit__place")
        .order_by("-pk")
    )
    participation: dict[int, list] = {pk: [] for pk in member_pks}
    for row in rows:
        participation[getattr(row, relation.field.attname)].append(row)
    return participation


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = access.get_organisation_for_user(request.user, pk)
    user = request.user
    reads_members = access.reads_all(user, Member)
    own = access.own_member(user)
    members = list(organisation.members.select_related("user"))
    # Partner members see their own participation only: a colleague's visits are not theirs.
    shown = [m.pk for m in members if reads_members or (own and own.pk == m.pk)]
    participation = _participation_of(shown)
    member_rows = [(member, participation.get(member.pk)) for member in members]
    return render(
        request,
        "partners/organisation_detail.html",
        {
            "organisation": organisation,
            "agreements": organisation.agreements.select_related("call"),
            "member_rows": member_rows,
            "own_member": own,
            "reads_members": reads_members,
            "applications": organisation.applications.select_related("call")
            if access.reads_all(user, PublicCall)
            else [],
            "projects": organisation.projects.all(),
            "memberships": organisation.network_memberships.select_related("network")
            if access.reads_all(user, Network)
            else [],
            "can_edit": user.has_perm("partners.change_organisation"),
            "can_add_agreement": user.has_perm("partners.add_agreement"),
            "can_add_member": user.has_perm("partners.add_member"),
            "history": organisation.history.select_related("history_user")[:10]
            if access.reads_all(user, Organisation)
            else [],
            "tab": "organisations",
        },
    )


@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    access.check_can_add(request.user, Organisation)
    form = OrganisationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        organisation = form.save()
        messages.success(request, _("Organisation “%(name)s” added.") % {"name": organisation})
        return redirect(organisation)
    return _form_page(
        request,
        form,
        _("Add an organisation"),
        reverse("partners:organisation_list"),
        _crumbs(),
    )


@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = access.get_organisation_for_user(request.user, pk, write=True)
    form = OrganisationForm(_posted(request), instance=organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Changes to “%(name)s” saved.") % {"name": organisation})
        return redirect(organisation)
    return _form_page(
        request,
        form,
        _("Edit organisation"),
        organisation.get_absolute_url(),
        _crumbs((organisation.name, organisation.get_absolute_url())),
    )


# --- Public calls -------------------------------------------------------------------------------


def _call_crumbs(call: PublicCall | None = None) -> list[tuple[str, str]]:
    crumbs = _crumbs((_("Public calls"), reverse("partners:call_list")))
    if call:
        crumbs.append((call.title, call.get_absolute_url()))
    return crumbs


def call_list(request: HttpRequest) -> HttpResponse:
    access.require_list_access(request.user, PublicCall)
    calls = PublicCall.objects.annotate(
        application_count=Count("applications", distinct=True),
        selected_count=Count(
            "applications",
            filter=Q(applications__outcome="selected"),
            distinct=True,
        ),
    ).order_by("-published_on", "-pk")
    return render(
        request,
        "partners/call_list.html",
        {
            "page": _page(request, calls),
            "can_add": request.user.has_perm("partners.add_publiccall"),
            "today": timezone.localdate(),
            "tab": "calls",
        },
    )


def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = access.get_call_for_user(request.user, pk)
    return render(
        request,
        "partners/call_detail.html",
        {
            "call": call,
            "applications": call.applications.select_related("organisation"),
            "agreements": call.agreements.select_related("organisation"),
            "can_edit": request.user.has_perm("partners.change_publiccall"),
            "can_add_application": request.user.has_perm("partners.add_application"),
            "can_decide": request.user.has_perm("partners.change_application"),
            "tab": "calls",
        },
    )


@require_http_methods(["GET", "POST"])
def call_create(request: HttpRequest) -> HttpResponse:
    access.check_can_add(request.user, PublicCall)
    form = PublicCallForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        call = form.save()
        messages.success(request, _("Public call recorded."))
        return redirect(call)
    return _form_page(
        request, form, _("Record a public call"), reverse("partners:call_list"), _call_crumbs()
    )


@require_http_methods(["GET", "POST"])
def call_edit(request: HttpRequest, pk: int) -> HttpResponse:
    call = access.get_call_for_user(request.user, pk, write=True)
    form = PublicCallForm(_posted(request), instance=call)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Changes to the public call saved."))
        return redirect(call)
    return _form_page(
        request, form, _("Edit public call"), call.get_absolute_url(), _call_crumbs(call)
    )


@require_http_methods(["GET", "POST"])
def application_create(request: HttpRequest, pk: int) -> HttpResponse:
    call = access.get_call_for_user(request.user, pk)
    access.check_can_add(request.user, Application)
    form = ApplicationForm(_posted(request), call=call)
    if request.method == "POST" and form.is_valid():
        application = form.save()
        messages.success(
            request,
            _("Application of “%(name)s” recorded.") % {"name": application.organisation},
        )
        return redirect(call)
    return _form_page(
        request, form, _("Record an application"), call.get_absolute_url(), _call_crumbs(call)
    )


@require_http_methods(["GET", "POST"])
def call_decision(request: HttpRequest, pk: int) -> HttpResponse:
    call = access.get_call_for_user(request.user, pk)
    access.require_perm(request.user, "partners.change_publiccall")
    access.require_perm(request.user, "partners.change_application")
    form = DecisionForm(_posted(request), call=call)
    if request.method == "POST" and form.is_valid():
        try:
            services.call_record_decision(
                call=call,
                number=form.cleaned_data["number"],
                decided_on=form.cleaned_data["decided_on"],
                selected=form.cleaned_data["selected"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Selection decision recorded."))
            return redirect(call)
    return _form_page(
        request,
        form,
        _("Record the selection decision"),
        call.get_absolute_url(),
        _call_crumbs(call),
    )


# --- Agreements ---------------------------------------------------------------------------------


def _agreement_crumbs() -> list[tuple[str, str]]:
    return _crumbs((_("Agreements"), reverse("partners:agreement_list")))


def agreement_list(request: HttpRequest) -> HttpResponse:
    access.require_list_access(request.user, Agreement)
    agreements = Agreement.objects.select_related("organisation", "call")
    agreement_filter = AgreementFilter(request.GET or None, queryset=agreements)
    return render(
        request,
        "partners/agreement_list.html",
        {
            "filter": agreement_filter,
            "page": _page(request, agreement_filter.qs),
            "can_add": request.user.has_perm("partners.add_agreement"),
            "can_edit": request.user.has_perm("partners.change_agreement"),
            "expiry_days": expiry_window_days(),
            "tab": "agreements",
        },
    )


@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest) -> HttpResponse:
    access.check_can_add(request.user, Agreement)
    initial = {"organisation": request.GET.get("organisation")}
    form = AgreementForm(_posted(request), _files(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        agreement = form.save()
        messages.success(
            request, _("Agreement %(ref)s recorded.") % {"ref": agreement.reference_number}
        )
        return redirect(agreement.organisation)
    return _form_page(
        request,
        form,
        _("Record an agreement"),
        reverse("partners:agreement_list"),
        _agreement_crumbs(),
    )


@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access.get_agreement_for_user(request.user, pk, write=True)
    form = AgreementForm(_posted(request), _files(request), instance=agreement)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request, _("Changes to agreement %(ref)s saved.") % {"ref": agreement.reference_number}
        )
        return redirect(agreement.organisation)
    return _form_page(
        request,
        form,
        _("Edit agreement %(ref)s") % {"ref": agreement.reference_number},
        agreement.organisation.get_absolute_url(),
        _agreement_crumbs(),
    )


def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One agreement: terms, scope, state, document. Partner members see their own
    organisation's only (as the document download); anything else is a 404."""
    agreement = access.get_agreement_for_user(request.user, pk)
    reads_all = access.reads_all(request.user, Agreement)
    return render(
        request,
        "partners/agreement_detail.html",
        {
            "agreement": agreement,
            "scope": [
                (Agreement._meta.get_field(name).verbose_name, getattr(agreement, name))
                for name in Agreement.SCOPE_FIELDS
            ],
            "reads_all": reads_all,
            "can_edit": request.user.has_perm("partners.change_agreement"),
            "overlapping": agreement.overlapping().order_by("valid_from") if reads_all else [],
            "history": agreement.history.select_related("history_user")[:10] if reads_all else [],
            "tab": "agreements" if reads_all else "organisations",
        },
    )


def agreement_document(request: HttpRequest, pk: int) -> FileResponse:
    agreement = access.get_agreement_for_user(request.user, pk)
    # Written to the access log by npm_portal's middleware once the file is on its way.
    request.npm_access_log = {"action": "download", "object": agreement}
    return _download(agreement.document, f"agreement-{agreement.reference_number}")


# --- Members ------------------------------------------------------------------------------------


def _member_crumbs(member: Member | None = None) -> list[tuple[str, str]]:
    crumbs = _crumbs((_("Members"), reverse("partners:member_list")))
    if member:
        crumbs.append((member.full_name, member.get_absolute_url()))
    return crumbs


def member_list(request: HttpRequest) -> HttpResponse:
    access.require_list_access(request.user, Member)
    members = Member.objects.select_related("organisation")
    member_filter = MemberFilter(request.GET or None, queryset=members)
    template = "partners/member_list.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {
            "filter": member_filter,
            "page": _page(request, member_filter.qs),
            "can_add": request.user.has_perm("partners.add_member"),
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
            "can_edit": request.user.has_perm("partners.change_member"),
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


@require_http_methods(["GET", "POST"])
def member_create(request: HttpRequest) -> HttpResponse:
    access.check_can_add(request.user, Member)
    initial = {"organisation": request.GET.get("organisation")}
    form = MemberForm(_posted(request), _files(request), initial=initial)
    if request.method == "POST" and form.is_valid() and (member := _save_member(request, form)):
        messages.success(request, _("Member %(name)s added.") % {"name": member.full_name})
        return redirect(member)
    return _form_page(
        request, form, _("Add a member"), reverse("partners:member_list"), _member_crumbs()
    )


@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.get_member_for_user(request.user, pk, write=True)
    form = MemberForm(_posted(request), _files(request), instance=member)
    if request.method == "POST" and form.is_valid() and _save_member(request, form):
        messages.success(request, _("Changes to %(name)s saved.") % {"name": member.full_name})
        return redirect(member)
    return _form_page(
        request, form, _("Edit member"), member.get_absolute_url(), _member_crumbs(member)
    )


def member_pledge(request: HttpRequest, pk: int) -> FileResponse:
    member = access.get_member_for_user(request.user, pk)
    request.npm_access_log = {"action": "download", "object": member}
    return _download(member.pledge_document, f"pledge-{member.last_name}-{member.first_name}")
