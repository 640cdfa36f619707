"""The OpenAPI schema's own parts: the two ways to authenticate and the one error shape."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message"],
            "properties": {
                "status": {"type": "integer", "example": 400},
                "code": {"type": "string", "example": "invalid"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "description": "Validation errors by field (nested fields as dotted paths).",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}
ERROR_DESCRIPTIONS = {
    "400": "Invalid input: a field, a filter value, the cursor, or malformed JSON.",
    "401": "No valid token (missing, unknown, expired, revoked, or the account cannot sign in).",
    "403": "The token lacks the scope, or the record may be seen but not changed.",
    "404": "Not found, or not visible to you.",
    "405": "Method not allowed.",
    "406": "Not acceptable: this API answers JSON.",
    "415": "Unsupported media type: send application/json.",
    "429": "Too many requests: retry after the Retry-After header's seconds.",
}
PUBLIC_CODES = ("400", "404", "405", "406", "429")
SIGNED_IN_CODES = ("401", "403")
BODY_CODES = ("415",)


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "npm_portal.api.authentication.TokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token from /accounts/tokens/: "
            "`Authorization: Bearer npm_…`.",
        }


class TwoFactorSessionScheme(OpenApiAuthenticationExtension):
    target_class = "npm_portal.api.authentication.TwoFactorSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "A browser session after two-factor login (writes need the CSRF "
            "token in X-CSRFToken).",
        }


def add_error_responses(result, generator, request, public):
    """POSTPROCESSING_HOOKS: every operation documents the errors it can answer."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = list(PUBLIC_CODES)
            if operation.get("security"):
                codes += SIGNED_IN_CODES
            if "requestBody" in operation or method in ("post", "put", "patch"):
                codes += BODY_CODES
            for code in sorted(codes):
                operation["responses"].setdefault(
                    code,
                    {
                        "description": ERROR_DESCRIPTIONS[code],
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                )
    return result
