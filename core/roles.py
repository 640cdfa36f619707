"""Roles: one Django group each, with the model permissions the role carries.

`user_roles(user)` is the one place that answers "what can this person be"; views check
permissions (`user.has_perm`) for role-wide abilities and `visible_to(user)` querysets for rows.
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.db.models import TextChoices
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class Role(TextChoices):
    # The value is the group name stored in the database; the label is translated for display.
    HEAD = "NPM head", _("NPM head")
    STAFF = "NPM staff", _("NPM staff")
    PARTNER = "Partner member", _("Partner member")
    COMPLIANCE = "Compliance officer", _("Compliance officer")
    # A person of an addressee authority (npm_portal.authority_portal): no model permission at
    # all; what they see comes from their authority account, in the authority area only.
    AUTHORITY = "Authority user", _("Authority user")


# Group names, for queries over users (the value of each Role is its group's name).
NPM_GROUPS = (Role.HEAD.value, Role.STAFF.value, Role.COMPLIANCE.value)
PARTNER_GROUP = Role.PARTNER.value
AUTHORITY_GROUP = Role.AUTHORITY.value
# Who drafts reports and receives the staff digests and reminders.
STAFF_GROUPS = (Role.STAFF.value, Role.HEAD.value)


# Permission specs: "app_label.codename", or "app_label.*" for every permission of an app.
# A spec whose permission does not exist yet (a model added by a later migration) is skipped,
# and picked up when a later migration calls `sync_roles` again.
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.HEAD: [
        "visits.*",
        "partners.*",
        "recommendations.*",
        "npm_portal.view_user",
        # Issue two-factor enrolment links (npm_portal.security.enrolment).
        "npm_portal.add_enrolmentlink",
        "npm_portal.view_enrolmentlink",
        # Authority accounts, their submissions, escalations (npm_portal.authority_portal).
        "authority_portal.*",
    ],
    Role.STAFF: [
        "visits.view_authority",
        "visits.add_authority",
        "visits.change_authority",
        "visits.view_place",
        "visits.add_place",
        "visits.change_place",
        "visits.add_visit",
        "visits.change_visit",
        "visits.view_visit",
        "visits.add_teammember",
        "visits.change_teammember",
        "visits.view_teammember",
        "visits.add_finding",
        "visits.change_finding",
        "visits.view_finding",
        "visits.add_interview",
        "visits.change_interview",
        "visits.view_interview",
        "visits.add_interviewidentity",
        "visits.change_interviewidentity",
        "visits.add_attachment",
        "visits.change_attachment",
        "visits.view_attachment",
        "visits.add_returnoperation",
        "visits.change_returnoperation",
        "visits.view_returnoperation",
        "visits.add_followup",
        "visits.change_followup",
        "visits.view_followup",
        "visits.view_report",
        "visits.add_report",
        "visits.change_report",
        "visits.view_reportsection",
        "visits.add_reportsection",
        "visits.change_reportsection",
        "visits.view_dispatch",
        "visits.add_dispatch",
        "visits.view_theme",
        "recommendations.view_recommendation",
        "recommendations.add_recommendation",
        "recommendations.change_recommendation",
        "recommendations.view_authorityresponse",
        "recommendations.add_authorityresponse",
        "recommendations.change_authorityresponse",
        "recommendations.view_assessment",
        "recommendations.add_assessment",
        "recommendations.view_followupcheck",
        "recommendations.change_followupcheck",
        "partners.view_organisation",
        "partners.add_organisation",
        "partners.change_organisation",
        "partners.view_publiccall",
        "partners.add_publiccall",
        "partners.change_publiccall",
        "partners.view_application",
        "partners.add_application",
        "partners.change_application",
        "partners.view_agreement",
        "partners.add_agreement",
        "partners.change_agreement",
        "partners.view_member",
        "partners.add_member",
        "partners.change_member",
        "partners.view_network",
        "partners.add_network",
        "partners.change_network",
        "partners.view_networkmembership",
        "partners.add_networkmembership",
        "partners.change_networkmembership",
        "partners.view_networkchair",
        "partners.add_networkchair",
        "partners.change_networkchair",
        "partners.view_workinggroup",
        "partners.add_workinggroup",
        "partners.change_workinggroup",
        "partners.view_networkmeeting",
        "partners.add_networkmeeting",
        "partners.change_networkmeeting",
        "partners.view_event",
        "partners.add_event",
        "partners.change_event",
        "partners.view_eventparticipant",
        "partners.add_eventparticipant",
        "partners.change_eventparticipant",
        "partners.view_project",
        "partners.add_project",
        "partners.change_project",
        "partners.view_projectresult",
        "partners.add_projectresult",
        "partners.change_projectresult",
        "authority_portal.view_authorityaccount",
        "authority_portal.add_authorityaccount",
        "authority_portal.change_authorityaccount",
        "authority_portal.view_submission",
        "authority_portal.review_submission",
        "authority_portal.view_escalation",
    ],
    Role.COMPLIANCE: [
        "visits.view_authority",
        "visits.view_place",
        "visits.view_visit",
        "visits.view_teammember",
        "visits.view_finding",
        "visits.view_attachment",
        "visits.view_returnoperation",
        "visits.view_followup",
        "visits.view_report",
        "visits.view_reportsection",
        "visits.view_dispatch",
        "visits.view_theme",
        "recommendations.view_recommendation",
        "recommendations.view_authorityresponse",
        "recommendations.add_authorityresponse",
        "recommendations.change_authorityresponse",
        "recommendations.view_assessment",
        "recommendations.add_assessment",
        "recommendations.view_followupcheck",
        "partners.view_organisation",
        "partners.view_publiccall",
        "partners.view_application",
        "partners.view_agreement",
        "partners.view_member",
        "partners.view_network",
        "partners.view_networkmembership",
        "partners.view_networkchair",
        "partners.view_workinggroup",
        "partners.view_networkmeeting",
        "partners.view_event",
        "partners.view_eventparticipant",
        "partners.view_project",
        "partners.view_projectresult",
        "authority_portal.view_authorityaccount",
        "authority_portal.view_submission",
        "authority_portal.review_submission",
        "authority_portal.view_escalation",
    ],
    Role.PARTNER: [
        "visits.view_authority",
        "visits.view_place",
        # Row-level rules (`Visit.objects.visible_to`) limit this to the visits they are on.
        "visits.view_visit",
    ],
    # None: an authority user's rows come from their authority account (authority_portal.access).
    Role.AUTHORITY: [],
}


def sync_roles(apps=global_apps) -> None:
    """Create the role groups and set their permissions exactly to ROLE_PERMISSIONS.

    Safe to call from data migrations (pass the historical `apps`) and from `load_demo`.
    """
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate finishes; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, specs in ROLE_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=role.value)
        permissions = []
        for spec in specs:
            app_label, codename = spec.split(".", 1)
            matching = permission_model.objects.filter(content_type__app_label=app_label)
            if codename == "*":
                # History is append-only: no role gets to change or delete historical records.
                matching = matching.exclude(content_type__model__startswith="historical")
            else:
                matching = matching.filter(codename=codename)
            permissions.extend(matching)
        group.permissions.set(permissions)


def user_roles(user) -> list[Role]:
    """The roles of a user, in the order of `Role`; cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_npm_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = [role for role in Role if role.value in names]
        user._npm_roles = cached
    return cached


def has_role(user, *roles: Role) -> bool:
    return any(role in user_roles(user) for role in roles)


def is_partner_only(user) -> bool:
    """A partner member with no NPM role: sees only what their visits and organisation allow."""
    roles = user_roles(user)
    return (
        Role.PARTNER in roles
        and not any(r in roles for r in (Role.HEAD, Role.STAFF, Role.COMPLIANCE))
        and not user.is_superuser
    )


def is_authority_only(user) -> bool:
    """An authority user with no NPM role: lives in the authority area (/authority/) only, every
    other page of the app is a 404 for them (npm_portal.authority_portal.middleware)."""
    roles = user_roles(user)
    return (
        Role.AUTHORITY in roles
        and not any(r in roles for r in (Role.HEAD, Role.STAFF, Role.COMPLIANCE, Role.PARTNER))
        and not user.is_superuser
    )


def roles_context(request: HttpRequest) -> dict:
    from django.conf import settings

    user = getattr(request, "user", None)
    return {
        "user_roles": user_roles(user) if user is not None else [],
        "npm_name": settings.NPM_NAME or _("National Preventive Mechanism"),
    }
