from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    Agreement,
    Application,
    Event,
    EventParticipant,
    Member,
    Network,
    NetworkChair,
    NetworkMeeting,
    NetworkMembership,
    Organisation,
    Project,
    ProjectResult,
    PublicCall,
    WorkingGroup,
)


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "name_sr", "short_name", "kind", "country", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "name_sr", "short_name", "country"]
    readonly_fields = ["created_at", "updated_at"]


class ApplicationInline(admin.TabularInline):
    model = Application
    extra = 0
    autocomplete_fields = ["organisation"]
    # The outcome is set by recording the decision on the call's page, not by hand.
    readonly_fields = ["outcome"]


@admin.register(PublicCall)
class PublicCallAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "gazette_reference",
        "published_on",
        "application_deadline",
        "decision_date",
    ]
    search_fields = ["title", "gazette_reference", "decision_number"]
    readonly_fields = ["decision_number", "decision_date", "created_at", "updated_at"]
    inlines = [ApplicationInline]


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "call", "received_on", "outcome"]
    list_filter = ["outcome", "call"]
    list_select_related = ["organisation", "call"]
    autocomplete_fields = ["organisation", "call"]
    readonly_fields = ["outcome"]


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = [
        "reference_number",
        "organisation",
        "signed_on",
        "valid_from",
        "valid_until",
        "state_label",
    ]
    list_filter = ["organisation", "scope_visits"]
    list_select_related = ["organisation"]
    search_fields = ["reference_number", "organisation__name", "organisation__short_name"]
    autocomplete_fields = ["organisation", "call"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description=_("state"))
    def state_label(self, obj: Agreement) -> str:
        return obj.get_state_display()


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):
    list_display = [
        "last_name",
        "first_name",
        "organisation",
        "expertise",
        "pledge_signed_on",
        "active",
    ]
    list_filter = ["expertise", "active", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["first_name", "last_name", "email"]
    autocomplete_fields = ["organisation", "user"]
    readonly_fields = ["created_at", "updated_at"]
    actions = ["give_partner_role"]

    @admin.action(description=_("Give the linked login accounts the Partner member role"))
    def give_partner_role(self, request, queryset) -> None:
        done = 0
        for member in queryset.exclude(user=None).select_related("user"):
            try:
                services.member_link_user(member=member, user=member.user)
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
            else:
                done += 1
        self.message_user(request, _("%(n)d account(s) updated.") % {"n": done})


class MembershipInline(admin.TabularInline):
    model = NetworkMembership
    extra = 0
    autocomplete_fields = ["organisation"]


class ChairInline(admin.TabularInline):
    model = NetworkChair
    extra = 0
    autocomplete_fields = ["organisation"]


class WorkingGroupInline(admin.TabularInline):
    model = WorkingGroup
    extra = 0


@admin.register(Network)
class NetworkAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "established_on"]
    search_fields = ["name", "short_name"]
    inlines = [MembershipInline, ChairInline, WorkingGroupInline]


@admin.register(NetworkMeeting)
class NetworkMeetingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "network", "working_group", "starts_on", "location"]
    list_filter = ["network", "working_group"]
    list_select_related = ["network", "working_group"]
    autocomplete_fields = ["host"]


class ParticipantInline(admin.TabularInline):
    model = EventParticipant
    extra = 0
    autocomplete_fields = ["user", "member"]


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "starts_on", "location"]
    list_filter = ["kind"]
    search_fields = ["title", "location", "organiser"]
    autocomplete_fields = ["organisations"]
    inlines = [ParticipantInline]
    readonly_fields = ["created_at", "updated_at"]


class ResultInline(admin.TabularInline):
    model = ProjectResult
    extra = 0


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organisation", "donor", "budget", "currency", "starts_on", "ends_on"]
    list_select_related = ["organisation"]
    search_fields = ["title", "donor", "organisation__name"]
    autocomplete_fields = ["organisation", "partner_organisations"]
    inlines = [ResultInline]
    readonly_fields = ["created_at", "updated_at"]
