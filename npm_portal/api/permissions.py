"""Who may call an endpoint at all: a signed-in user, and for writes a token with the write
scope. Which rows they see is the apps' access layer (`visible_to`), in each viewset."""

from rest_framework.permissions import SAFE_METHODS, BasePermission


class TokenScopePermission(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        scopes = getattr(request.auth, "scopes", None)
        if scopes is None:  # a session (two-factor login already passed)
            return True
        return "read" in scopes if request.method in SAFE_METHODS else "write" in scopes
