"""Every URL pattern of the project, with real arguments from the test world."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.urls import URLPattern, URLResolver, get_resolver

from tests.security import matrix_parts
from tests.security.world import World


def url_names() -> Iterator[tuple[str, URLPattern]]:
    """(namespaced name, pattern) of every URL pattern; unnamed patterns are an error."""

    def walk(patterns, namespace: str, prefix: str):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}{pattern.namespace}:"
                yield from walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
            elif pattern.name is None:
                # Only admin patterns have no name (its catch-all, old object URLs).
                yield f"{namespace}<unnamed {prefix}{pattern.pattern}>", pattern
            else:
                yield f"{namespace}{pattern.name}", pattern

    yield from walk(get_resolver().url_patterns, "", "")


def _visit(w: World, **extra) -> dict:
    return {"pk": w.visit.pk, **extra}


# URL name → the arguments that make it point at the world's objects.
ARGUMENTS: dict[str, Callable[[World], dict]] = {
    "partners:organisation_detail": lambda w: {"pk": w.objects["organisation"].pk},
    "partners:organisation_edit": lambda w: {"pk": w.objects["organisation"].pk},
    "partners:call_detail": lambda w: {"pk": w.objects["call"].pk},
    "partners:call_edit": lambda w: {"pk": w.objects["call"].pk},
    "partners:application_create": lambda w: {"pk": w.objects["call"].pk},
    "partners:call_decision": lambda w: {"pk": w.objects["call"].pk},
    "partners:agreement_edit": lambda w: {"pk": w.objects["agreement"].pk},
    "partners:agreement_document": lambda w: {"pk": w.objects["agreement"].pk},
    "partners:member_detail": lambda w: {"pk": w.objects["member"].pk},
    "partners:member_edit": lambda w: {"pk": w.objects["member"].pk},
    "partners:member_pledge": lambda w: {"pk": w.objects["member"].pk},
    "partners:network_detail": lambda w: {"pk": w.objects["network"].pk},
    "partners:network_edit": lambda w: {"pk": w.objects["network"].pk},
    "partners:network_part_create": lambda w: {
        "pk": w.objects["network"].pk,
        "part": "meeting",
    },
    "partners:event_detail": lambda w: {"pk": w.objects["event"].pk},
    "partners:event_edit": lambda w: {"pk": w.objects["event"].pk},
    "partners:participant_create": lambda w: {"pk": w.objects["event"].pk},
    "partners:project_detail": lambda w: {"pk": w.objects["project"].pk},
    "partners:project_edit": lambda w: {"pk": w.objects["project"].pk},
    "partners:result_create": lambda w: {"pk": w.objects["project"].pk},
    "partners:result_edit": lambda w: {
        "pk": w.objects["project"].pk,
        "result_pk": w.objects["result"].pk,
    },
    "visits:lookup": lambda w: {"kind": "visit"},
    "visits:place_detail": lambda w: {"pk": w.objects["place"].pk},
    "visits:place_edit": lambda w: {"pk": w.objects["place"].pk},
    "visits:authority_detail": lambda w: {"pk": w.objects["authority"].pk},
    "visits:authority_edit": lambda w: {"pk": w.objects["authority"].pk},
    "visits:visit_detail": _visit,
    "visits:visit_edit": _visit,
    "visits:visit_conduct": _visit,
    "visits:visit_cancel": _visit,
    "visits:visit_transition": lambda w: _visit(w, action="close"),
    "visits:visit_team": _visit,
    "visits:team_member_remove": lambda w: _visit(w, member_pk=w.objects["team_member"].pk),
    "visits:visit_population": _visit,
    "visits:visit_findings": _visit,
    "visits:visit_interviews": _visit,
    "visits:interview_detail": lambda w: _visit(w, interview_pk=w.objects["interview"].pk),
    "visits:visit_attachments": _visit,
    "visits:attachment_download": lambda w: _visit(
        w, attachment_pk=w.objects["public_attachment"].pk
    ),
    "visits:visit_return": _visit,
    "visits:follow_up_check": lambda w: _visit(w, follow_up_pk=w.objects["follow_up"].pk),
    **matrix_parts.ARGUMENTS,
}


def admin_arguments(pattern: URLPattern) -> dict:
    """Admin patterns: non-staff users are turned away before any lookup, so any value does."""
    values = {"object_id": "1", "app_label": "visits", "content_type_id": "1", "url": "x"}
    return {name: values.get(name, "1") for name in pattern.pattern.regex.groupindex}


def resolve_path(name: str, pattern: URLPattern, world: World) -> str:
    from django.urls import reverse

    if name.startswith("admin:<unnamed"):
        route = name.removeprefix("admin:<unnamed ").removesuffix(">")
        route = route.replace("<path:object_id>", "1").replace("(?P<url>.*)$", "no-such-page/")
        return "/" + route
    if name.startswith("admin:"):
        regex = pattern.pattern.regex
        if regex.groups and not regex.groupindex:
            return reverse(name, args=["1"] * regex.groups)
        return reverse(name, kwargs=admin_arguments(pattern))
    builder = ARGUMENTS.get(name)
    return reverse(name, kwargs=builder(world) if builder else {})
