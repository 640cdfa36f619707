"""What every open-data response carries: anyone may fetch it from any site (CORS `*`, and
Cross-Origin-Resource-Policy `cross-origin`), shared caches may keep a successful answer to a
request without cookies for a while, and the answer varies with the language (theme names)."""

from __future__ import annotations

from django.utils.cache import patch_vary_headers

from ..api.base import PublicApiView, PublicReadOnlyViewSet
from .throttling import OpenDataThrottle

MAX_AGE_SECONDS = 300
EXPOSED_HEADERS = "Retry-After, ETag, Last-Modified, Content-Disposition"


def open_headers(request, response, max_age: int = MAX_AGE_SECONDS):
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    succeeded = 200 <= response.status_code < 300 or response.status_code == 304
    if succeeded and not request.COOKIES:
        response["Cache-Control"] = f"public, max-age={max_age}"
    else:
        # Never keep a 429 or a 400 in a shared cache, nor an answer to a browser with a
        # session (the middleware outside may still refresh its cookie on the way out).
        response["Cache-Control"] = "private, no-store"
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


class OpenDataMixin:
    throttle_classes = [OpenDataThrottle]
    http_method_names = ["get", "head", "options"]
    max_age = MAX_AGE_SECONDS

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return open_headers(request, response, self.max_age)


class OpenDataView(OpenDataMixin, PublicApiView):
    pass


class OpenDataViewSet(OpenDataMixin, PublicReadOnlyViewSet):
    lookup_value_regex = r"[0-9]+"
