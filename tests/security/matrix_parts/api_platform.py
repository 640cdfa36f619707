"""The API platform in the role × URL matrices: the token page, the API root, the schema and the
docs page.

Rules: every signed-in role has its own tokens page and may create tokens (partner members too:
the API shows them only their visits); someone else's token is a 404, for everyone but its owner
(the world's token is the head's). The schema is public (tools fetch it without a token); the API
root needs a token or a session (401 otherwise, from the API itself); the docs page is a page:
login (and two-factor) as for every page, so a token alone gets the login redirect.
"""

from django.contrib.auth import get_user_model

from npm_portal.api.services import token_create

EVERY_ROLE = "L 200 200 200 200 200"

MATRIX = {
    "api_tokens": EVERY_ROLE,
    "api_token_create": EVERY_ROLE,
    "api_token_revoke": "L 200 404 404 404 404",
    "api:root": "401 200 200 200 200 200",
    "api:schema": "200 200 200 200 200 200",
    "api:docs": EVERY_ROLE,
}

# Columns: anonymous, partner off, partner on, compliance, staff, head (test_access_matrix's
# POST_ORDER). Only the owner revokes; an empty create form is shown again with its errors.
POST_MATRIX = {
    "api_token_revoke": "L 404 404 404 404 R",
    "api_token_create": "L 200 200 200 200 200",
}

# With a read token per role (tests/security/test_api_matrix.py).
API_MATRIX = {
    "api:root": "401 200 200 200 200 200",
    "api:schema": "200 200 200 200 200 200",
    "api:docs": "L L L L L L",
}

ARGUMENTS = {
    "api_token_revoke": lambda w: {"pk": w.objects["api_platform_token"].pk},
}


def extend_world(world) -> None:
    head = get_user_model().objects.get(username="w-head")
    token, _plaintext = token_create(user=head, name="matrix", scopes=["read"], by=None)
    world.objects["api_platform_token"] = token
