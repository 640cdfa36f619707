"""The NPM head's webhook pages: subscriptions (the secret shown once, on creation and on
rotation), the delivery log per subscription, a test event, redelivery of a failed delivery.
Other NPM roles get 403, partner members 404."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.http import apply_service_errors, form_page, posted
from core.roles import is_partner_only
from core.sorting import Sorts

from . import services
from .forms import SubscriptionForm
from .models import DeliveryStatus, WebhookDelivery, WebhookSubscription

PAGE_SIZE = 50


def _require_manager(request: HttpRequest) -> None:
    if not services.may_manage(request.user):
        if is_partner_only(request.user):
            raise Http404
        raise PermissionDenied


def _subscription(request: HttpRequest, pk: int) -> WebhookSubscription:
    _require_manager(request)
    return get_object_or_404(WebhookSubscription, pk=pk)


def _crumbs():
    return [(_("Webhooks"), reverse("webhooks:list"))]


def _queued_message() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return _("Queued: the next run of “manage.py deliver_webhooks” sends it.")
    return _("Queued: it is sent within a minute.")


def _secret_page(request, subscription, secret, title) -> HttpResponse:
    return render(
        request,
        "webhooks/secret.html",
        {"subscription": subscription, "secret": secret, "page_title": title},
    )


# A handful of subscriptions: any column orders cheaply.
SUBSCRIPTION_SORTS = Sorts(
    {"name": ("name",), "url": ("url",), "active": ("-active", "name")}, default="name"
)


@require_http_methods(["GET"])
def subscription_list(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    sorting = SUBSCRIPTION_SORTS.from_request(request)
    subscriptions = WebhookSubscription.objects.order_by(*sorting.order_by)
    context = {"subscriptions": subscriptions, "sorting": sorting}
    return render(request, "webhooks/list.html", context)


@require_http_methods(["GET", "POST"])
def subscription_create(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = SubscriptionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            subscription, secret = services.subscription_create(
                **form.cleaned_data, by=request.user
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _secret_page(request, subscription, secret, _("Subscription created"))
    return form_page(
        request, form, _("New webhook subscription"), reverse("webhooks:list"), _crumbs()
    )


@require_http_methods(["GET", "POST"])
def subscription_edit(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription(request, pk)
    initial = {
        "name": subscription.name,
        "url": subscription.url,
        "events": subscription.events,
        "active": subscription.active,
        "description": subscription.description,
    }
    form = SubscriptionForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.subscription_update(
                subscription=subscription, **form.cleaned_data, by=request.user
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The subscription is saved."))
            return redirect("webhooks:list")
    return form_page(
        request,
        form,
        _("Edit %(name)s") % {"name": subscription.name},
        reverse("webhooks:list"),
        _crumbs(),
    )


@require_http_methods(["GET", "POST"])
def subscription_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription(request, pk)
    if request.method == "POST":
        secret = services.subscription_rotate_secret(subscription=subscription, by=request.user)
        return _secret_page(request, subscription, secret, _("New signing secret"))
    return render(
        request,
        "webhooks/confirm.html",
        {
            "subscription": subscription,
            "page_title": _("Rotate the signing secret of %(name)s") % {"name": subscription.name},
            "question": _(
                "A new secret replaces the current one at once: the receiver rejects every event "
                "until it has the new secret. Continue?"
            ),
            "button": _("Rotate the secret"),
            "action": reverse("webhooks:rotate", args=[subscription.pk]),
        },
    )


@require_http_methods(["GET", "POST"])
def subscription_delete(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription(request, pk)
    if request.method == "POST":
        services.subscription_delete(subscription=subscription, by=request.user)
        messages.success(request, _("The subscription and its delivery log are deleted."))
        return redirect("webhooks:list")
    return render(
        request,
        "webhooks/confirm.html",
        {
            "subscription": subscription,
            "page_title": _("Delete %(name)s") % {"name": subscription.name},
            "question": _(
                "The subscription and its whole delivery log are deleted, and no more events are "
                "sent to it. This cannot be undone. Continue?"
            ),
            "button": _("Delete"),
            "action": reverse("webhooks:delete", args=[subscription.pk]),
        },
    )


@require_http_methods(["GET"])
def delivery_list(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription(request, pk)
    deliveries = WebhookDelivery.objects.filter(subscription=subscription).order_by(
        "-created_at", "-pk"
    )
    page = Paginator(deliveries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "webhooks/deliveries.html",
        {"subscription": subscription, "page": page, "failed": DeliveryStatus.FAILED},
    )


@require_POST
def subscription_ping(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription(request, pk)
    services.subscription_ping(subscription=subscription, by=request.user)
    messages.success(request, _("A test event is queued. %(when)s") % {"when": _queued_message()})
    return redirect(subscription)


@require_POST
def delivery_redeliver(request: HttpRequest, pk: int, delivery_pk: int) -> HttpResponse:
    subscription = _subscription(request, pk)
    delivery = get_object_or_404(WebhookDelivery, pk=delivery_pk, subscription=subscription)
    try:
        services.delivery_redeliver(delivery=delivery, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The event is sent again. %(when)s") % {"when": _queued_message()}
        )
    return redirect(subscription)
