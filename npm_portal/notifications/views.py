"""The notification list (mark one or all read) and the e-mail preference. A user sees only
their own notifications; a partner member only those of visits they are on."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.roles import is_authority_only

from . import services
from .forms import PreferenceForm
from .models import Notification

PER_PAGE = 25


def _own(request: HttpRequest):
    if is_authority_only(request.user):
        raise Http404  # the authority area has no NPM notifications
    return Notification.objects.for_user(request.user)


@require_http_methods(["GET", "HEAD"])
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = _own(request).select_related("visit").order_by("-created_at", "-pk")
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "notifications": page.object_list,
            "unread": services.unread_count(request.user),
        },
    )


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one read; with `open`, go where it points (the place where the work is done)."""
    notification = get_object_or_404(_own(request), pk=pk)
    services.notification_mark_read(user=request.user, pk=notification.pk)
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.url)
    return redirect("notifications:list")


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    _own(request)
    count = services.notification_mark_read(user=request.user)
    messages.success(request, _("%(count)d notification(s) marked read.") % {"count": count})
    return redirect("notifications:list")


@require_http_methods(["GET", "HEAD", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    _own(request)
    delivery, language = services.preference_of(request.user)
    form = PreferenceForm(
        request.POST or None, initial={"delivery": delivery, "language": language}
    )
    if request.method == "POST" and form.is_valid():
        services.preference_set(
            user=request.user,
            delivery=form.cleaned_data["delivery"],
            language=form.cleaned_data["language"],
        )
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})
