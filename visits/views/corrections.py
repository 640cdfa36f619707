"""Safeguards on a visit's records: the confirmation page every irreversible step shows first
(`confirm_page`), and correcting findings and confidential interviews (edit, delete with a
reason, kept in their history) while the visit's report is not issued."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.http import apply_service_errors, posted

from .. import audit, services
from ..access import (
    can_see_interview_notes,
    can_see_interviews,
    can_write_visit,
    deny_unless,
    get_interview,
    get_visit_for_user,
)
from ..forms import FindingEditForm, InterviewEditForm, ReasonForm
from ..models import AccessAction, Attachment, Finding, Interview, Visit
from .tabs import render_tab


def is_confirmed(request: HttpRequest) -> bool:
    """The POST comes from a confirmation page (its "Yes" button sends confirm=yes)."""
    return request.method == "POST" and request.POST.get("confirm") == "yes"


def confirm_page(
    request: HttpRequest,
    visit: Visit,
    tab: str,
    *,
    title: str,
    action_url: str,
    yes_label: str,
    back_url: str,
    no_label: str | None = None,
    lead: str = "",
    consequences: tuple[str, ...] | list[str] = (),
    irreversible: str = "",
    refusal: str = "",
    danger: bool = True,
    form=None,
) -> HttpResponse:
    confirm = {
        "title": title,
        "lead": lead,
        "consequences": consequences,
        "irreversible": irreversible,
        "refusal": refusal,
        "action_url": action_url,
        "yes_label": yes_label,
        "no_label": no_label or _("No, go back"),
        "back_url": back_url,
        "danger": danger,
    }
    return render_tab(
        request, visit, tab, "visits/confirm.html", {"confirm": confirm, "form": form}
    )


def _refused(request, error: ValidationError, url: str) -> HttpResponse:
    messages.error(request, " ".join(error.messages))
    return redirect(url)


def _correctable_visit(request, pk: int) -> tuple[Visit, ValidationError | None]:
    visit = get_visit_for_user(request.user, pk, write=True)
    try:
        services.require_correctable(visit)
    except ValidationError as error:
        return visit, error
    return visit, None


# --- Findings -----------------------------------------------------------------------------------


def _fields(form) -> dict:
    """The changed record's fields: everything the form cleaned but the reason."""
    return {name: value for name, value in form.cleaned_data.items() if name != "reason"}


def _corrected(request: HttpRequest, form, service, **arguments) -> bool:
    """Run a correction service with the form's reason; its refusal goes next to the fields."""
    try:
        service(reason=form.cleaned_data["reason"], by=request.user, **arguments)
    except ValidationError as error:
        apply_service_errors(form, error)
        return False
    return True


@require_http_methods(["GET", "POST"])
def finding_edit(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    visit, refusal = _correctable_visit(request, pk)
    tab_url = reverse("visits:visit_findings", args=[visit.pk])
    finding = get_object_or_404(Finding.objects.filter(visit=visit), pk=finding_pk)
    if refusal:
        return _refused(request, refusal, tab_url)
    attachments = Attachment.objects.visible_to(request.user).filter(visit=visit)
    form = FindingEditForm(posted(request), instance=finding, visit=visit, attachments=attachments)
    if (
        request.method == "POST"
        and form.is_valid()
        and _corrected(request, form, services.finding_update, finding=finding, **_fields(form))
    ):
        messages.success(request, _("Finding changed."))
        return redirect(tab_url)
    return confirm_page(
        request,
        visit,
        "findings",
        title=_("Edit the finding"),
        lead=_("The earlier text stays in the finding's history, with your reason."),
        action_url=reverse("visits:finding_edit", args=[visit.pk, finding.pk]),
        yes_label=_("Save the changes"),
        no_label=_("Cancel"),
        back_url=tab_url,
        danger=False,
        form=form,
    )


@require_http_methods(["GET", "POST"])
def finding_delete(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    visit, refusal = _correctable_visit(request, pk)
    tab_url = reverse("visits:visit_findings", args=[visit.pk])
    finding = get_object_or_404(Finding.objects.filter(visit=visit), pk=finding_pk)
    if refusal:
        return _refused(request, refusal, tab_url)
    form = ReasonForm(posted(request))
    if (
        is_confirmed(request)
        and form.is_valid()
        and _corrected(request, form, services.finding_delete, finding=finding)
    ):
        messages.success(request, _("Finding deleted."))
        return redirect(tab_url)
    return confirm_page(
        request,
        visit,
        "findings",
        title=_("Delete this finding?"),
        lead=finding.text[:300],
        consequences=[
            _("The finding is removed from the visit and from what the report is written from."),
            _("Its text and your reason are kept in its history."),
        ],
        action_url=reverse("visits:finding_delete", args=[visit.pk, finding.pk]),
        yes_label=_("Yes, delete the finding"),
        back_url=tab_url,
        form=form,
    )


# --- Interviews (confidential) ------------------------------------------------------------------


def _interview_for_correction(request, pk: int, interview_pk: int):
    """404 for those who may not see interviews (as on the interview's page), 403 for those
    who see them but may not read the notes or change the visit (partners, whatever their
    visit)."""
    visit = get_visit_for_user(request.user, pk)
    if not can_see_interviews(request.user):
        return (
            visit,
            None,
            audit.denied(request, Interview._meta.label, str(interview_pk), visit, not_found=True),
        )
    interview = get_interview(visit, interview_pk)
    deny_unless(can_write_visit(request.user) and can_see_interview_notes(request.user))
    return visit, interview, None


@require_http_methods(["GET", "POST"])
def interview_edit(request: HttpRequest, pk: int, interview_pk: int) -> HttpResponse:
    visit, interview, denied = _interview_for_correction(request, pk, interview_pk)
    if denied:
        return denied
    detail_url = reverse("visits:interview_detail", args=[visit.pk, interview.pk])
    try:
        services.require_correctable(visit)
    except ValidationError as error:
        return _refused(request, error, detail_url)
    form = InterviewEditForm(posted(request), instance=interview)
    if request.method == "POST" and form.is_valid():
        fields = _fields(form)
        if _corrected(request, form, services.interview_update, interview=interview, **fields):
            messages.success(request, _("Interview %(code)s changed.") % {"code": interview.code})
            return redirect(detail_url)
    if request.method == "GET":  # the form shows the confidential notes
        audit.log_access(request, AccessAction.VIEW_CONFIDENTIAL, interview, visit)
    return confirm_page(
        request,
        visit,
        "interviews",
        title=_("Edit interview %(code)s") % {"code": interview.code},
        lead=_(
            "The earlier record stays in the interview's (encrypted) history, with your reason. "
            "The identity is not changed here."
        ),
        action_url=reverse("visits:interview_edit", args=[visit.pk, interview.pk]),
        yes_label=_("Save the changes"),
        no_label=_("Cancel"),
        back_url=detail_url,
        danger=False,
        form=form,
    )


@require_http_methods(["GET", "POST"])
def interview_delete(request: HttpRequest, pk: int, interview_pk: int) -> HttpResponse:
    visit, interview, denied = _interview_for_correction(request, pk, interview_pk)
    if denied:
        return denied
    detail_url = reverse("visits:interview_detail", args=[visit.pk, interview.pk])
    try:
        services.require_correctable(visit)
    except ValidationError as error:
        return _refused(request, error, detail_url)
    form = ReasonForm(posted(request))
    if is_confirmed(request) and form.is_valid():
        code = interview.code
        if _corrected(request, form, services.interview_delete, interview=interview):
            messages.success(request, _("Interview %(code)s deleted.") % {"code": code})
            return redirect("visits:visit_interviews", visit.pk)
    return confirm_page(
        request,
        visit,
        "interviews",
        title=_("Delete interview %(code)s?") % {"code": interview.code},
        consequences=[
            _("The interview and the identity recorded with it are deleted."),
            _("Its code is not given to another interview."),
            _("The record and your reason are kept in its encrypted history."),
        ],
        irreversible=_("The identity of the interviewee cannot be recovered."),
        action_url=reverse("visits:interview_delete", args=[visit.pk, interview.pk]),
        yes_label=_("Yes, delete the interview"),
        back_url=detail_url,
        form=form,
    )
