"""Personal access tokens: `Authorization: Bearer <token>` (filled in by the token work)."""

from rest_framework.authentication import BaseAuthentication


class TokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        return None
