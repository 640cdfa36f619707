"""Cooperation agreements: NPM roles see all, a partner member their own organisation's."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.http import form_page, posted, posted_files
from core.sorting import Sorts

from .. import access
from ..filters import AgreementFilter
from ..forms import AgreementForm
from ..models import Agreement, expiry_window_days
from .common import crumbs, document_download, page_of


def _agreement_crumbs() -> list[tuple[str, str]]:
    return crumbs((_("Agreements"), reverse("partners:agreement_list")))


# Tens of agreements a year: the reference is unique (indexed), the rest a small table.
AGREEMENT_SORTS = Sorts(
    {
        "reference": ("reference_number",),
        "organisation": ("organisation__name", "-valid_from"),
        "signed": ("signed_on",),
        "term": ("valid_from", "valid_until"),
    },
    default="-term",
    descending_first=("signed", "term"),
)


def agreement_list(request: HttpRequest) -> HttpResponse:
    access.require_list_access(request.user, Agreement)
    agreements = Agreement.objects.select_related("organisation", "call")
    agreement_filter = AgreementFilter(request.GET or None, queryset=agreements)
    sorting = AGREEMENT_SORTS.from_request(request)
    return render(
        request,
        "partners/agreement_list.html",
        {
            "filter": agreement_filter,
            "page": page_of(request, agreement_filter.qs.order_by(*sorting.order_by)),
            "sorting": sorting,
            "can_add": access.can_add(request.user, Agreement),
            "can_edit": access.can_change(request.user, Agreement),
            "expiry_days": expiry_window_days(),
            "tab": "agreements",
        },
    )


@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest) -> HttpResponse:
    access.check_can_add(request.user, Agreement)
    initial = {"organisation": request.GET.get("organisation")}
    form = AgreementForm(posted(request), posted_files(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        agreement = form.save()
        messages.success(
            request, _("Agreement %(ref)s recorded.") % {"ref": agreement.reference_number}
        )
        return redirect(agreement.organisation)
    return form_page(
        request,
        form,
        _("Record an agreement"),
        reverse("partners:agreement_list"),
        _agreement_crumbs(),
    )


@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access.get_agreement_for_user(request.user, pk, write=True)
    form = AgreementForm(posted(request), posted_files(request), instance=agreement)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request, _("Changes to agreement %(ref)s saved.") % {"ref": agreement.reference_number}
        )
        return redirect(agreement.organisation)
    return form_page(
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
            "can_edit": access.can_change(request.user, Agreement),
            "overlapping": agreement.overlapping().order_by("valid_from") if reads_all else [],
            "history": agreement.history.select_related("history_user")[:10] if reads_all else [],
            "tab": "agreements" if reads_all else "organisations",
        },
    )


def agreement_document(request: HttpRequest, pk: int) -> FileResponse:
    agreement = access.get_agreement_for_user(request.user, pk)
    return document_download(
        request,
        agreement.document,
        f"agreement-{agreement.reference_number}",
        logged_as=agreement,
    )
