"""Password reset in the role × URL matrix: anyone may ask for a link, logged in or not. The
world's confirmation link is a made-up one, which every user gets as the "this link does not
work" page (200); a real link is tested in tests/npm_portal/test_password_reset.py."""

MATRIX = {
    "password_reset": "200 200 200 200 200 200",
    "password_reset_done": "200 200 200 200 200 200",
    "password_reset_confirm": "200 200 200 200 200 200",
    "password_reset_complete": "200 200 200 200 200 200",
}

ARGUMENTS = {
    "password_reset_confirm": lambda w: {"uidb64": "MQ", "token": "made-up-token"},
}
