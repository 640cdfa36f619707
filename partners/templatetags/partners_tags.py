from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

register = template.Library()

# (key, label, URL name, permission needed; None: every user who reaches the partners area)
TABS = [
    ("organisations", _("Organisations"), "partners:organisation_list", None),
    ("calls", _("Public calls"), "partners:call_list", "partners.view_publiccall"),
    ("agreements", _("Agreements"), "partners:agreement_list", "partners.view_agreement"),
    ("members", _("Members"), "partners:member_list", "partners.view_member"),
    ("network", _("NPM networks"), "partners:network_list", "partners.view_network"),
    ("events", _("Events"), "partners:event_list", "partners.view_event"),
    ("projects", _("Projects"), "partners:project_list", "partners.view_project"),
]


@register.simple_tag(takes_context=True)
def partner_tabs(context) -> list[dict]:
    user = context["request"].user
    active = context.get("tab")
    return [
        {"label": label, "url": reverse(url_name), "active": key == active}
        for key, label, url_name, perm in TABS
        if perm is None or user.has_perm(perm)
    ]
