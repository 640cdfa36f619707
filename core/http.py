"""Small helpers every app's views share: bound-form data, the one-form page, a service's errors
next to the fields, and sending a stored file privately."""

from __future__ import annotations

import hashlib
import hmac
import logging

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

logger = logging.getLogger(__name__)


def posted(request: HttpRequest):
    """POST data for a bound form (even an empty POST must show its errors), else None."""
    return request.POST if request.method == "POST" else None


def posted_files(request: HttpRequest):
    return request.FILES if request.method == "POST" else None


def form_page(request, form, title, cancel_url, breadcrumbs) -> HttpResponse:
    """A page with one form (templates/includes/form_page.html)."""
    context = {
        "form": form,
        "page_title": title,
        "cancel_url": cancel_url,
        "breadcrumbs": breadcrumbs,
    }
    return render(request, "includes/form_page.html", context)


def apply_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the form's fields (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class StoredFileAltered(Exception):
    """A frozen file no longer matches the checksum recorded when it was frozen."""


def _verify(handle, sha256: str, logged_as) -> None:
    """Re-hash the stored file (decrypted, in chunks) before sending it: a frozen report that
    was changed in storage (a disk or a bucket someone else can write to) is never served as the
    issued one. A mismatch is an error for the operators (logged, a 500), not a download."""
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(64 * 1024), b""):
        digest.update(chunk)
    handle.seek(0)
    if not hmac.compare_digest(digest.hexdigest(), sha256):
        handle.close()
        logger.error("Stored file of %r does not match its recorded SHA-256", logged_as)
        raise StoredFileAltered(f"stored file of {logged_as!r} does not match its SHA-256")


def private_file_response(
    request: HttpRequest,
    field: FieldFile,
    *,
    logged_as,
    visit=None,
    filename: str,
    content_type: str,
    inline: bool = False,
    sha256: str = "",
    private: bool = True,
) -> FileResponse:
    """Send a stored file (404 when it is missing) as a download, never through MEDIA_URL;
    `private` keeps it out of every cache. Stored files are encrypted at rest: the file is
    decrypted as it is sent, and Content-Length is its clear size. With `sha256` (a frozen
    file's recorded checksum) the file is hashed again first and refused if it has changed.

    Every download to a logged-in user is written to the access log as a download of the row
    `logged_as` (of `visit`): once the response is on its way, by npm_portal's access-log
    middleware through visits.audit.record (core cannot import visits). Anonymous downloads
    (the public portal's issued public PDFs) are not logged."""
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    if sha256:
        _verify(handle, sha256, logged_as)
    response = FileResponse(
        handle, as_attachment=not inline, filename=filename, content_type=content_type
    )
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        request.npm_access_log = {"action": "download", "object": logged_as, "visit": visit}
    response["X-Content-Type-Options"] = "nosniff"
    if sha256:
        response["X-Content-SHA256"] = sha256
    if private:
        response["Cache-Control"] = "private, no-store"
    return response


def save_form_page(request, form, saved_message, then, title, cancel_url, breadcrumbs):
    """The create/edit pattern: on a valid POST save the form, say so (`saved_message`, or a
    function of the saved object) and redirect to `then` (the saved object when None); otherwise
    the one-form page with the errors next to the fields."""
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(
            request, saved_message(saved) if callable(saved_message) else saved_message
        )
        return redirect(saved if then is None else then)
    return form_page(request, form, title, cancel_url, breadcrumbs)


def over_rate(request: HttpRequest, scope: str, *, limit: int, seconds: int) -> bool:
    """True once this user (or address) has made more than `limit` requests of `scope` within
    the current window of `seconds`; counted in the cache (shared when Redis is configured)."""
    who = request.user.pk if request.user.is_authenticated else request.META.get("REMOTE_ADDR")
    key = f"rate:{scope}:{who}"
    if cache.add(key, 1, timeout=seconds):
        return False
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds)
        return False
