"""Enrolment links in the role × URL matrix.

Rules: only the NPM head (or an administrator) issues enrolment links: other NPM roles get 403,
partner-only users 404. Opening an enrolment link needs a login (anonymous users are sent to the
login page); the world's link is the head's, so the head is sent on to the enrolment page and
everyone else gets the same 404 page as for an unknown, used or expired link.
"""

from django.contrib.auth import get_user_model

from npm_portal.security.enrolment import link_issue

MATRIX = {
    "enrolment_links": "L 200 403 403 404 404",
    "enrolment_link": "L R 404 404 404 404",
}

ARGUMENTS = {
    "enrolment_link": lambda w: {"token": w.objects["enrolment_token"]},
}


def extend_world(world) -> None:
    head = get_user_model().objects.get(username="w-head")
    url = link_issue(user=head, by=None).url
    world.objects["enrolment_token"] = url.rstrip("/").rsplit("/", 1)[-1]
