"""The token page (/accounts/tokens/): every user's own API tokens: list, create, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from npm_portal.security.twofactor import reauth_redirect

from . import services
from .forms import TokenCreateForm
from .models import ApiToken


@never_cache
@require_http_methods(["GET"])
def token_list(request: HttpRequest) -> HttpResponse:
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at", "-pk")
    return render(request, "api/token_list.html", {"tokens": tokens})


@never_cache
@require_http_methods(["GET", "POST"])
def token_create(request: HttpRequest) -> HttpResponse:
    """A token is a password that skips the login: it needs a fresh password and, with two-factor
    login on, a fresh code (the re-authentication page). The plaintext is shown once, in the
    answer to the POST, and never again."""
    if refused := reauth_redirect(request):
        return refused
    form = TokenCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            token, plaintext = services.token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=form.expires_at(),
                by=request.user,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return render(
                request, "api/token_created.html", {"token": token, "plaintext": plaintext}
            )
    return render(request, "api/token_create.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks first; POST revokes. Someone else's token is a 404."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if request.method == "POST":
        if not token.is_revoked:
            services.token_revoke(token=token, by=request.user)
            messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
        return redirect("api_tokens")
    return render(request, "api/token_revoke.html", {"token": token})
