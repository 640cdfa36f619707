from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .forms import PlaceForm
from .models import (
    AccessLog,
    Attachment,
    Authority,
    Dispatch,
    District,
    Finding,
    FollowUp,
    Interview,
    Place,
    Report,
    ReportSection,
    ReturnOperation,
    TeamMember,
    Theme,
    Visit,
)


@admin.register(Authority)
class AuthorityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "name_sr", "short_name", "kind", "parent", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "name_sr", "short_name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(District)
class DistrictAdmin(SimpleHistoryAdmin):
    """The list places choose their district from; renaming one renames it on its places."""

    list_display = ["name", "name_sr"]
    search_fields = ["name", "name_sr"]


@admin.register(Place)
class PlaceAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "name_sr",
        "category",
        "authority",
        "municipality",
        "district",
        "capacity",
        "active",
    ]
    list_filter = ["category", "active", "district"]
    search_fields = ["name", "name_sr", "municipality", "district", "district_sr", "address"]
    list_select_related = ["authority"]
    autocomplete_fields = ["authority"]
    readonly_fields = ["created_at", "updated_at"]
    form = PlaceForm  # the district from the list, as on the place page


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    autocomplete_fields = ["user"]
    raw_id_fields = ["member"]


@admin.register(Visit)
class VisitAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "place", "kind", "status", "planned_start", "night", "announced"]
    list_filter = ["status", "kind", "night", "announced", "place__category"]
    search_fields = ["place__name", "purpose", "joint_with"]
    list_select_related = ["place"]
    autocomplete_fields = ["place"]
    # Status changes go through the services (visits/services/visits.py), never a free edit here.
    readonly_fields = ["status", "cancel_reason", "year", "number", "night", "created_at"]
    inlines = [TeamMemberInline]
    date_hierarchy = "planned_start"


@admin.register(Finding)
class FindingAdmin(SimpleHistoryAdmin):
    list_display = ["visit", "theme", "kind", "phase"]
    list_filter = ["kind", "theme"]
    list_select_related = ["visit__place", "theme"]
    raw_id_fields = ["visit"]
    filter_horizontal = ["attachments"]


@admin.register(Interview)
class InterviewAdmin(SimpleHistoryAdmin):
    # Identities are not in the admin at all: they are revealed only on the visit page, logged.
    list_display = ["code", "visit", "format", "interviewee", "consent", "reprisal_risk"]
    list_filter = ["interviewee", "consent", "reprisal_risk", "allegation"]
    search_fields = ["code"]
    list_select_related = ["visit__place"]
    readonly_fields = ["code", "sequence", "visit"]


@admin.register(Attachment)
class AttachmentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "visit", "content_type", "size", "confidential", "created_at"]
    list_filter = ["confidential", "content_type"]
    list_select_related = ["visit__place"]
    readonly_fields = ["file", "original_name", "content_type", "size", "visit", "uploaded_by"]


@admin.register(ReturnOperation)
class ReturnOperationAdmin(SimpleHistoryAdmin):
    list_display = ["visit", "kind", "organising_state", "destination_state", "means"]
    list_select_related = ["visit__place"]
    raw_id_fields = ["visit"]


@admin.register(FollowUp)
class FollowUpAdmin(SimpleHistoryAdmin):
    list_display = ["description", "place", "visit", "created_at", "checked_at"]
    list_select_related = ["place", "visit"]
    raw_id_fields = ["place", "visit", "interview", "checked_by"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Append-only: readable by admins, never changed or deleted."""

    list_display = ["created_at", "user", "action", "object_type", "object_id", "visit", "ip"]
    list_filter = ["action", "object_type"]
    list_select_related = ["user", "visit"]
    search_fields = ["object_id", "user__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- Reports (status changes only through visits/services/, i.e. the report pages) ----------


class ReportSectionInline(admin.TabularInline):
    model = ReportSection
    fields = ["order", "title", "kind", "author", "status", "version", "confidential"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class DispatchInline(admin.TabularInline):
    model = Dispatch
    fields = ["authority", "sent_on", "reference", "channel", "recorded_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "visit", "language", "status", "issued_on"]
    list_filter = ["status", "language"]
    list_select_related = ["visit__place"]
    search_fields = ["reference", "title", "visit__place__name"]
    readonly_fields = [
        "visit",
        "reference",
        "status",
        "created_by",
        "approved_by",
        "approved_at",
        "issued_by",
        "issued_on",
        "issued_at",
        "pdf",
        "pdf_sha256",
        "pdf_pages",
        "public_pdf",
        "public_pdf_sha256",
    ]
    inlines = [ReportSectionInline, DispatchInline]

    def has_add_permission(self, request) -> bool:
        # Reports are created from the visit (numbering, default sections): see report_create.
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # Title and language only, while the report is drafted or reviewed (as on its page);
        # approved reports are reopened first, issued ones never change.
        if obj is not None and obj.status not in ("drafting", "in_review"):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReportSection)
class ReportSectionAdmin(SimpleHistoryAdmin):
    """Read-only: text goes through the optimistic lock of the section page."""

    list_display = ["title", "report", "author", "status", "version", "updated_at"]
    list_filter = ["status", "kind", "confidential"]
    list_select_related = ["report", "author"]
    search_fields = ["title", "report__reference"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Dispatch)
class DispatchAdmin(SimpleHistoryAdmin):
    list_display = ["report", "authority", "sent_on", "channel", "reference"]
    list_filter = ["channel"]
    list_select_related = ["report", "authority"]
    search_fields = ["report__reference", "authority__name", "reference"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "name_sr", "code", "order", "forced_return", "active"]
    list_filter = ["forced_return", "active"]
    list_editable = ["order", "active"]
    search_fields = ["name", "name_sr", "code"]
