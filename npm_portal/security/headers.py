"""Response headers Django's SecurityMiddleware does not set: no powerful browser features, and
no other site may embed our responses (files, PDFs, images)."""

from __future__ import annotations

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        # The server's name and version help nobody but an attacker.
        if "Server" in response:
            del response["Server"]
        return response
