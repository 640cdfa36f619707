"""Public calls, the applications to them and the selection decision: NPM roles only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.http import apply_service_errors, form_page, posted, save_form_page
from core.sorting import Sorts

from .. import access, services
from ..forms import ApplicationForm, DecisionForm, PublicCallForm
from ..models import Application, PublicCall
from .common import crumbs, page_of


def _call_crumbs(call: PublicCall | None = None) -> list[tuple[str, str]]:
    trail = crumbs((_("Public calls"), reverse("partners:call_list")))
    if call:
        trail.append((call.title, call.get_absolute_url()))
    return trail


# One public call every year or two: any column orders cheaply.
CALL_SORTS = Sorts(
    {
        "title": ("title",),
        "published": ("published_on",),
        "deadline": ("application_deadline",),
        "applications": ("application_count",),
    },
    default="-published",
    descending_first=("published", "deadline", "applications"),
)


def call_list(request: HttpRequest) -> HttpResponse:
    access.require_list_access(request.user, PublicCall)
    sorting = CALL_SORTS.from_request(request)
    calls = PublicCall.objects.annotate(
        application_count=Count("applications", distinct=True),
        selected_count=Count(
            "applications",
            filter=Q(applications__outcome="selected"),
            distinct=True,
        ),
    ).order_by(*sorting.order_by)
    return render(
        request,
        "partners/call_list.html",
        {
            "page": page_of(request, calls),
            "sorting": sorting,
            "can_add": access.can_add(request.user, PublicCall),
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
            "can_edit": access.can_change(request.user, PublicCall),
            "can_add_application": access.can_add(request.user, Application),
            "can_decide": access.can_change(request.user, Application),
            "tab": "calls",
        },
    )


@require_http_methods(["GET", "POST"])
def call_create(request: HttpRequest) -> HttpResponse:
    access.check_can_add(request.user, PublicCall)
    form = PublicCallForm(posted(request))
    return save_form_page(
        request,
        form,
        _("Public call recorded."),
        None,
        _("Record a public call"),
        reverse("partners:call_list"),
        _call_crumbs(),
    )


@require_http_methods(["GET", "POST"])
def call_edit(request: HttpRequest, pk: int) -> HttpResponse:
    call = access.get_call_for_user(request.user, pk, write=True)
    form = PublicCallForm(posted(request), instance=call)
    return save_form_page(
        request,
        form,
        _("Changes to the public call saved."),
        call,
        _("Edit public call"),
        call.get_absolute_url(),
        _call_crumbs(call),
    )


@require_http_methods(["GET", "POST"])
def application_create(request: HttpRequest, pk: int) -> HttpResponse:
    call = access.get_call_for_user(request.user, pk)
    access.check_can_add(request.user, Application)
    form = ApplicationForm(posted(request), call=call)
    if request.method == "POST" and form.is_valid():
        application = form.save()
        messages.success(
            request,
            _("Application of “%(name)s” recorded.") % {"name": application.organisation},
        )
        return redirect(call)
    return form_page(
        request, form, _("Record an application"), call.get_absolute_url(), _call_crumbs(call)
    )


@require_http_methods(["GET", "POST"])
def call_decision(request: HttpRequest, pk: int) -> HttpResponse:
    call = access.get_call_for_user(request.user, pk)
    access.check_can_decide(request.user)
    form = DecisionForm(posted(request), call=call)
    if request.method == "POST" and form.is_valid():
        try:
            services.call_record_decision(
                call=call,
                number=form.cleaned_data["number"],
                decided_on=form.cleaned_data["decided_on"],
                selected=form.cleaned_data["selected"],
                by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Selection decision recorded."))
            return redirect(call)
    return form_page(
        request,
        form,
        _("Record the selection decision"),
        call.get_absolute_url(),
        _call_crumbs(call),
    )
