"""The app's own error pages with DEBUG on (`make run`, the demo).

With DEBUG, Django answers every 404 with its technical page, which lists every URL pattern of
the project: a partner or an authority user would see the whole map of the app. This middleware
gives everyone but superusers the styled 404 page instead (JSON under /api/, as in production);
superusers keep the technical page for debugging. Without DEBUG it does nothing: Django already
uses the project's handler404 (npm_portal.api.errors.handler404) and templates/404.html.

The technical page is recognised by its own text, because it is produced after the exception
has left every middleware (an unknown URL never reaches a view or `process_exception`, and a
404 raised in another middleware's `process_view` does not either): replacing the finished
response covers all three ways a 404 arises.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .api.errors import handler404

TECHNICAL_MARKER = b"<code>DEBUG = True</code>"
KEPT_HEADERS = ("Cache-Control", "Expires", "Vary")


def is_technical_404(response: HttpResponse) -> bool:
    return (
        response.status_code == 404
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and TECHNICAL_MARKER in response.content
    )


class StyledNotFoundMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not settings.DEBUG or not is_technical_404(response):
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_superuser:
            return response
        styled = handler404(request)
        for header in KEPT_HEADERS:
            if header in response:
                styled[header] = response[header]
        return styled
