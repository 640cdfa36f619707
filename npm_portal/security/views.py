"""Login, two-factor enrolment (through one-time enrolment links) and verification, backup codes,
re-authentication, the lockout page and the access log viewer."""

from __future__ import annotations

import time
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.roles import is_partner_only
from core.sorting import Sorts
from visits import audit
from visits.models import AccessAction, AccessLog

from .enrolment import link_consume, link_issue, link_open, may_issue, session_link
from .filters import AccessLogFilter
from .forms import EnrolForm, EnrolmentLinkForm, OTPVerifyForm, ReauthenticateForm
from .lockout import remember_browser
from .log_export import require_log_reader
from .middleware import otp_not_required
from .models import EnrolmentLink
from .network import client_ip
from .twofactor import (
    REAUTH_SESSION_KEY,
    authenticator_confirm,
    backup_codes_create,
    backup_codes_left,
    has_confirmed_device,
    is_backup_code_device,
    pending_authenticator,
    qr_code_data_uri,
    reauth_redirect,
    secret_for_display,
)

LOW_BACKUP_CODES = 3
# Enrolment links listed on the page that issues them.
RECENT_LINKS = 20


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("dashboard")


class LoginView(auth_views.LoginView):
    """Django's login page; a successful login marks the browser as known for the account, so
    the account-wide lockout does not keep its owner out (`lockout`)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        remember_browser(response, form.get_user().get_username())
        return response


@otp_not_required
@never_cache
@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of the login."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not has_confirmed_device(request.user):
        return redirect(reverse("otp_setup") + "?" + urlencode({"next": _next_url(request)}))
    form = OTPVerifyForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        django_otp.login(request, form.device)
        left = backup_codes_left(request.user)
        if is_backup_code_device(form.device) and left <= LOW_BACKUP_CODES:
            messages.warning(
                request,
                _("You have %(n)d backup codes left. Make new ones on the two-factor page.")
                % {"n": left},
            )
        return redirect(_next_url(request))
    return render(
        request, "registration/otp_verify.html", {"form": form, "next": _next_url(request)}
    )


@otp_not_required
@never_cache
@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: with an enrolment link opened in this session (a first
    authenticator, or a lost phone's replacement), or, to move to a new phone, when verified and
    re-authenticated a moment ago. A password alone never is enough: the page then says to ask
    for an enrolment link."""
    link = session_link(request)
    if link is None:
        if not has_confirmed_device(request.user):
            return render(
                request,
                "registration/enrolment_needed.html",
                {"hours": settings.NPM_ENROLMENT_LINK_HOURS},
            )
        if not request.user.is_verified():
            return redirect("otp_verify")
        if refused := reauth_redirect(request):
            return refused
    device = pending_authenticator(request.user)
    form = EnrolForm(request.POST if request.method == "POST" else None, device=device)
    if request.method == "POST" and form.is_valid():
        if link is not None and not link_consume(request, link):
            messages.error(request, _("This enrolment link has just been used or has expired."))
            return redirect("otp_setup")
        authenticator_confirm(user=request.user, device=device)
        django_otp.login(request, device)
        codes = backup_codes_create(user=request.user)
        messages.success(request, _("Two-factor login is on for your account."))
        return render(
            request,
            "registration/backup_codes.html",
            {"codes": codes, "next": _next_url(request)},
        )
    return render(
        request,
        "registration/otp_setup.html",
        {
            "form": form,
            "qr_code": qr_code_data_uri(device.config_url),
            "secret": secret_for_display(device),
            "next": _next_url(request),
        },
    )


@otp_not_required
@never_cache
@require_GET
def enrolment_link(request: HttpRequest, token: str) -> HttpResponse:
    """An enrolment link, opened after logging in with the password (the login page comes first
    for anyone not logged in). The same page for an unknown, used, expired or someone else's
    link."""
    if link_open(request, token) is None:
        # Logged here, so the access log gets the link's number, never its token (the access
        # log middleware would record the path).
        known = EnrolmentLink.objects.filter(token_hash=EnrolmentLink.hash_token(token))
        audit.record(
            user=request.user,
            action=AccessAction.DENIED,
            object_type=EnrolmentLink._meta.label,
            object_id=str(known.values_list("pk", flat=True).first() or "unknown"),
            ip=client_ip(request),
        )
        return render(request, "registration/enrolment_link_invalid.html", status=404)
    return redirect("otp_setup")


@never_cache
@require_http_methods(["GET", "POST"])
def enrolment_links(request: HttpRequest) -> HttpResponse:
    """The NPM head (or an administrator) issues a user's enrolment link: shown once here, and
    e-mailed on request. Needs a fresh password + code, like changing one's own two-factor."""
    if not may_issue(request.user):
        if is_partner_only(request.user):
            raise Http404
        raise PermissionDenied
    if refused := reauth_redirect(request):
        return refused
    form = EnrolmentLinkForm(request.POST if request.method == "POST" else None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = link_issue(
                user=form.cleaned_data["user"],
                by=request.user,
                email=form.cleaned_data["send_email"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            form.add_error("user", error)
        else:
            form = EnrolmentLinkForm()
    recent = EnrolmentLink.objects.select_related("user", "created_by")[:RECENT_LINKS]
    return render(
        request,
        "registration/enrolment_links.html",
        {
            "form": form,
            "issued": issued,
            "recent": recent,
            "hours": settings.NPM_ENROLMENT_LINK_HOURS,
        },
    )


@never_cache
@require_http_methods(["GET"])
def two_factor(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "registration/two_factor.html",
        {
            "enrolled": has_confirmed_device(request.user),
            "backup_codes_left": backup_codes_left(request.user),
            "may_issue_links": may_issue(request.user),
        },
    )


@never_cache
@require_POST
def backup_codes(request: HttpRequest) -> HttpResponse:
    if not has_confirmed_device(request.user):
        return redirect("otp_setup")
    if refused := reauth_redirect(request):
        return refused
    codes = backup_codes_create(user=request.user)
    messages.success(request, _("New backup codes made; the old ones no longer work."))
    return render(
        request,
        "registration/backup_codes.html",
        {"codes": codes, "next": reverse("two_factor")},
    )


@never_cache
@sensitive_post_parameters("password", "token")
@require_http_methods(["GET", "POST"])
def reauthenticate(request: HttpRequest) -> HttpResponse:
    """Confirm password (and code) before a sensitive action; valid NPM_REAUTH_SECONDS."""
    form = ReauthenticateForm(request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and form.is_valid():
        request.session[REAUTH_SESSION_KEY] = int(time.time())
        return redirect(_next_url(request))
    return render(
        request,
        "registration/reauthenticate.html",
        {"form": form, "next": _next_url(request), "minutes": settings.NPM_REAUTH_SECONDS // 60},
    )


@login_not_required
def locked_out(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """django-axes' lockout response: the same for every username, existing or not."""
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)},
        status=429,
    )


PAGE_SIZE = 50
# The log grows with every confidential view: only its indexed time is sortable.
ACCESS_LOG_SORTS = Sorts({"when": ("created_at",)}, default="-when", descending_first=("when",))


@require_http_methods(["GET"])
def access_log(request: HttpRequest) -> HttpResponse:
    """The access log, for the NPM head: read only, filterable."""
    require_log_reader(request.user)
    entries = AccessLog.objects.select_related("user", "visit__place")
    log_filter = AccessLogFilter(request.GET or None, queryset=entries)
    sorting = ACCESS_LOG_SORTS.from_request(request)
    page = Paginator(log_filter.qs.order_by(*sorting.order_by), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"filter": log_filter, "page": page, "sorting": sorting}
    return render(request, "npm_portal/access_log.html", context)
