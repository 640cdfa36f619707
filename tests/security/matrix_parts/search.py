"""The header search (npm_portal.search) in the role × URL matrix.

Every signed-in NPM role and partner member may search (200); what each finds is limited to
what they may see (tests/search/test_global_search.py: a partner finds nothing of a visit they
are not on). Anonymous users get the login page; authority users a 404 (the authority area is
their whole app: tests/security/test_authority_matrix.py).
"""

MATRIX = {
    "search:index": "L 200 200 200 200 200",
}

ARGUMENTS: dict = {}
