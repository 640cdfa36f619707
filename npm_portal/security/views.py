"""Two-factor enrolment and verification, backup codes, re-authentication, the lockout page and
the access log viewer."""

from __future__ import annotations

import time
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from core.roles import is_partner_only
from visits.models import AccessLog

from .filters import AccessLogFilter
from .forms import EnrolForm, OTPVerifyForm, ReauthenticateForm
from .middleware import otp_not_required
from .twofactor import (
    REAUTH_SESSION_KEY,
    authenticator_confirm,
    backup_codes_create,
    backup_codes_left,
    has_confirmed_device,
    pending_authenticator,
    qr_code_data_uri,
    reauth_redirect,
    secret_for_display,
)

LOW_BACKUP_CODES = 3


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("dashboard")


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
        if form.device.name == "backup" and left <= LOW_BACKUP_CODES:
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
    """Enrol an authenticator app. Without one yet: part of the first login. Replacing one: only
    when verified and re-authenticated a moment ago (otherwise a stolen password would be enough
    to swap the second factor)."""
    if has_confirmed_device(request.user):
        if not request.user.is_verified():
            return redirect("otp_verify")
        if refused := reauth_redirect(request):
            return refused
    device = pending_authenticator(request.user)
    form = EnrolForm(request.POST if request.method == "POST" else None, device=device)
    if request.method == "POST" and form.is_valid():
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


@never_cache
@require_http_methods(["GET"])
def two_factor(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "registration/two_factor.html",
        {
            "enrolled": has_confirmed_device(request.user),
            "backup_codes_left": backup_codes_left(request.user),
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


@require_http_methods(["GET"])
def access_log(request: HttpRequest) -> HttpResponse:
    """The access log, for the NPM head: read only, filterable."""
    if not request.user.has_perm("visits.view_accesslog"):
        if is_partner_only(request.user):
            raise Http404
        raise PermissionDenied
    entries = AccessLog.objects.select_related("user", "visit__place")
    log_filter = AccessLogFilter(request.GET or None, queryset=entries)
    page = Paginator(log_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "npm_portal/access_log.html", {"filter": log_filter, "page": page})
