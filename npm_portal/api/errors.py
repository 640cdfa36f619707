"""One JSON error shape for the whole API:

    {"error": {"status": 400, "code": "invalid", "message": "...", "fields": {"name": ["..."]}}}

`fields` only for validation errors (nested fields as dotted paths: "items.0.name"). Django's
Http404, PermissionDenied and ValidationError (raised by the services) get the same shape, and
so does a 404 for any unknown path under /api/.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from rest_framework import exceptions, status
from rest_framework.fields import get_error_detail
from rest_framework.views import exception_handler as drf_exception_handler

from .middleware import API_PATH_PREFIX

NON_FIELD_KEYS = {"non_field_errors", "__all__"}


def error_body(status_code: int, code: str, message: str, fields: dict | None = None) -> dict:
    error = {"status": status_code, "code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def _flatten(detail, path: str = "") -> dict[str, list[str]]:
    """{"a": {"b": ["x"]}, "c": [{"d": ["y"]}]} -> {"a.b": ["x"], "c.0.d": ["y"]}."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            flat.update(_flatten(value, f"{path}.{key}" if path else str(key)))
        return flat
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        flat = {}
        for index, value in enumerate(detail):
            flat.update(_flatten(value, f"{path}.{index}" if path else str(index)))
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return {path or "non_field_errors": [str(message) for message in messages]}


def _validation_body(exc: exceptions.ValidationError) -> dict:
    detail = exc.detail
    if not isinstance(detail, dict):
        messages = [str(m) for m in (detail if isinstance(detail, list) else [detail])]
        return error_body(400, "invalid", " ".join(messages) or _("Invalid input."))
    fields = _flatten(detail)
    general = [m for key in NON_FIELD_KEYS for m in fields.pop(key, [])]
    message = " ".join(general) or _("Some fields are invalid: see `fields`.")
    return error_body(400, "invalid", message, fields)


def _from_django(exc):
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(get_error_detail(exc))
    return exc


def exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]."""
    exc = _from_django(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a bug: the server error page (and the error report)
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc)
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        detail = exc.detail
        if isinstance(detail, dict | list):
            detail = " ".join(m for messages in _flatten(detail).values() for m in messages)
        response.data = error_body(response.status_code, code, str(detail))
    return response


def handler404(request: HttpRequest, exception=None):
    """The site's 404 handler: JSON under /api/, the HTML page elsewhere."""
    if request.path.startswith(API_PATH_PREFIX):
        return not_found_json()
    return page_not_found(request, exception)


def not_found_json() -> JsonResponse:
    return JsonResponse(
        error_body(status.HTTP_404_NOT_FOUND, "not_found", _("No such API endpoint.")),
        status=status.HTTP_404_NOT_FOUND,
    )
